import type { FastifyRequest } from 'fastify';
import { ProblemType, type CapacityBatchRow, type CapacityConflict, type CapacityUnits, type FieldError } from '@ilk/core';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { badRequest, HttpProblem, notFound } from '../errors.ts';
import * as capacity from '../repositories/capacity.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { assertMayRead } from './read-scope.ts';
import { kreisOf } from './scope.ts';

const forbidden = (detail: string, errors: FieldError[]) => new HttpProblem(403, ProblemType.forbidden, 'Forbidden', detail, errors);

/** The Kreis and its allocation units, each with its latest report and version. */
export async function listUnits(db: Queryable, user: AuthUser, kreisArs: string): Promise<CapacityUnits> {
  assertMayRead(user, kreisArs, `Kreis ${kreisArs}`);
  const kreis = await capacity.kreis(db, kreisArs);
  if (!kreis) throw notFound(`Kreis ${kreisArs}`);
  const units = await capacity.units(db, [kreisArs.slice(0, 5)]);
  return { kreis, units: units.map(({ gemeinden: _g, ...u }) => u) };
}

/** True if the user may write capacity reports of a unit with this ARS. */
export function mayEditUnit(user: AuthUser, ars: string): boolean {
  return user.role === 'admin' || (user.role === 'coordinator' && user.districts.includes(kreisOf(ars)));
}

/** Everything the schema cannot say: scope (403), then repeated units and the cross-field rule (400). */
function checkRows(user: AuthUser, rows: readonly CapacityBatchRow[]): void {
  const outside = rows.flatMap((r, i) => (mayEditUnit(user, r.ars) ? [] : [{ field: `/reports/${i}/ars`, message: `unit ${r.ars} lies outside the districts you may edit` }]));
  if (outside.length > 0) throw forbidden(`${outside.length} units lie outside the districts you may edit; nothing was written`, outside);
  const errors: FieldError[] = [];
  const first = new Map<string, number>();
  rows.forEach((r, i) => {
    const seen = first.get(r.ars);
    if (seen === undefined) first.set(r.ars, i);
    else errors.push({ field: `/reports/${i}/ars`, message: `repeats the unit of /reports/${seen}; one report per unit and batch` });
    if (r.housing_free_barrier_free > r.housing_free) errors.push({ field: `/reports/${i}/housing_free_barrier_free`, message: `must not exceed housing_free (${r.housing_free})` });
  });
  if (errors.length > 0) throw badRequest(`${errors.length} cells are invalid; nothing was written`, errors);
}

/** Appends the reports and one audit entry per report, inside the caller's transaction. */
export async function appendAudited(
  tx: Queryable, user: AuthUser, request: FastifyRequest, rows: readonly (capacity.CapacityReportInput & { ars: string; report_date: string })[], source: 'batch' | 'import',
) {
  const written = await capacity.appendMany(tx, rows);
  for (const report of written) {
    await audit.record(tx, { user_id: user.user_id, actor: user.email, action: 'create', entity: 'capacity_report', entity_id: String(report.id), after: { ...report, source }, request_id: request.id });
  }
  return written;
}

/**
 * Writes a report per row, all or none. Each row carries the version of its unit as the client
 * read it; if any unit has moved on, 412 lists every such unit and nothing is written.
 */
export async function writeBatch(db: Database, user: AuthUser, request: FastifyRequest, rows: readonly CapacityBatchRow[]) {
  checkRows(user, rows);
  return db.transaction(async (tx) => {
    const current = await capacity.lockVersions(tx, rows.map((r) => r.ars));
    const unknown = rows.flatMap((r, i) => (current.has(r.ars) ? [] : [{ field: `/reports/${i}/ars`, message: `no allocation unit with ARS ${r.ars}` }]));
    if (unknown.length > 0) throw badRequest(`${unknown.length} rows name no allocation unit; nothing was written`, unknown);
    const conflicts: CapacityConflict[] = rows.flatMap((r) => {
      const unit = current.get(r.ars)!;
      return unit.version === r.version ? [] : [{ ars: r.ars, name: unit.name, expected: r.version, current: unit.version }];
    });
    if (conflicts.length > 0) {
      throw new HttpProblem(412, ProblemType.preconditionFailed, 'Precondition failed',
        `${conflicts.length} units were changed by someone else since you read them (${conflicts.map((c) => c.name).join(', ')}); reload them and apply your changes again. Nothing was written.`,
        undefined, { conflicts });
    }
    const written = await appendAudited(tx, user, request, rows.map(({ version: _v, ...r }: CapacityBatchRow) => ({ ...r, note: r.note ?? null })), 'batch');
    const byArs = new Map(written.map((w) => [w.ars, w.id]));
    return { written: rows.map((r) => ({ ars: r.ars, id: byArs.get(r.ars)!, version: byArs.get(r.ars)! })) };
  });
}
