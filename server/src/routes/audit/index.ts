import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AuditPage, AuditQuery, type AuditQuery as AuditQueryT } from '@ilk/core/schemas/history';
import { ADMINS } from '../../plugins/auth.ts';
import * as audit from '../../repositories/audit.repository.ts';
import { streamCsv } from '../../services/csv-stream.ts';
import { sendExport } from '../../services/export.ts';
import { AUDIT_COLUMNS, presentEntry } from '../../services/audit-view.ts';

const AuditCsvQuery = Type.Omit(AuditQuery, ['limit', 'offset'], { additionalProperties: false });

// Read-only by design: the API has no route that changes or deletes audit entries. Registered
// under /api: the log is /api/audit and its download /api/audit.csv.
export default async function auditRoutes(app: FastifyInstance) {
  app.get('/audit', {
    config: { roles: ADMINS },
    schema: { tags: ['audit'], summary: 'The audit log, newest first, filterable by user, entity, action and period; each entry with its changes', querystring: AuditQuery, response: { 200: AuditPage } },
  }, async (request) => {
    const page = await audit.list(app.db, request.query as AuditQueryT);
    return { total: page.total, entries: page.entries.map(presentEntry) };
  });

  app.get('/audit.csv', {
    config: { roles: ADMINS },
    schema: { tags: ['audit'], summary: 'The audit log as CSV (UTF-8 with BOM, semicolons), same filters, every matching entry', querystring: AuditCsvQuery },
  }, async (request, reply) => sendExport(reply, 'audit', 'csv', await streamCsv(audit.page(app.db, request.query as AuditQueryT), AUDIT_COLUMNS, 1000)));
}
