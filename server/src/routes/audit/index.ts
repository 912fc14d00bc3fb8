import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { ADMINS } from '../../plugins/auth.ts';
import * as audit from '../../repositories/audit.repository.ts';

const AuditQuery = Type.Object(
  {
    entity: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
    entity_id: Type.Optional(Type.String({ maxLength: 40 })),
    actor: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ pattern: '^[a-z_]{1,20}$' })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

// Read-only by design: the API has no route that changes or deletes audit entries.
export default async function auditRoutes(app: FastifyInstance) {
  app.get('/', { config: { roles: ADMINS }, schema: { tags: ['audit'], summary: 'The audit log, newest first, filterable', querystring: AuditQuery } }, async (request) =>
    audit.list(app.db, request.query as Static<typeof AuditQuery>),
  );
}
