import { ProblemType } from '@ilk/core';
import { diff, type FieldChange } from '@ilk/core/history';
import type { HistoryEntity, HistoryEntry } from '@ilk/core/schemas/history';
import type { Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { HttpProblem, notFound } from '../errors.ts';
import * as audit from '../repositories/audit.repository.ts';
import { assertMayRead, readableDistricts } from './read-scope.ts';
import { PLAN_KIND } from './allocation-plans.service.ts';

// The "Verlauf" of a record, from the audit log's before/after snapshots. Who may read it is
// who may read the record: staff within their districts, a partner only their own reports.

/** The audit log's name for each entity of the URL (capacity is read from the reports). */
const AUDIT_ENTITY: Record<Exclude<HistoryEntity, 'capacity'>, string> = { offer: 'offer', need: 'need', provider: 'provider', plan: PLAN_KIND };

// The inbox's internal routing is not the reporting partner's business (as in GET /api/partner/needs).
const PARTNER_HIDDEN = ['assigned_to', 'assignee'];
// A report's bookkeeping; the unit is the record the history belongs to.
const REPORT_IGNORED = ['ars', 'source', 'etag'];

const forbidden = (detail: string) => new HttpProblem(403, ProblemType.forbidden, 'Forbidden', detail);

/** The region of a deleted record, as its last snapshot recorded it. */
function snapshotRegion(s: Record<string, unknown> | undefined): string | null | undefined {
  if (!s) return undefined;
  const p = (s.properties ?? s) as Record<string, unknown>;
  return (p.region_key ?? p.kreis ?? null) as string | null;
}

async function regionOf(db: Queryable, entity: Exclude<HistoryEntity, 'capacity' | 'provider'>, id: string) {
  const current = entity === 'offer' ? await audit.offerRegion(db, id) : entity === 'need' ? (await audit.needRegion(db, id))?.ars : await audit.planRegion(db, id);
  return current !== undefined ? current : snapshotRegion(await audit.lastSnapshot(db, AUDIT_ENTITY[entity], id));
}

/** 404 when neither the record nor its history exists; 403 outside the reader's scope. */
async function assertMayReadHistory(db: Queryable, user: AuthUser, entity: HistoryEntity, id: string): Promise<void> {
  if (entity === 'capacity') {
    if (!(await audit.unitExists(db, id))) throw notFound(`allocation unit ${id}`);
    if (user.role === 'partner') throw forbidden('partners see the history of their own reports only');
    return assertMayRead(user, id, 'the allocation unit');
  }
  if (entity === 'provider') {
    if (user.role === 'partner') throw forbidden('partners see the history of their own reports only');
    const visible = await audit.providerVisible(db, id, readableDistricts(user));
    if (visible === undefined) {
      if (!(await audit.lastSnapshot(db, 'provider', id))) throw notFound(`provider ${id}`);
      if (readableDistricts(user) !== null) throw forbidden('the provider lies outside the districts you may see');
    } else if (!visible) throw forbidden('the provider lies outside the districts you may see');
    return;
  }
  if (user.role === 'partner') {
    const need = entity === 'need' ? await audit.needRegion(db, id) : undefined;
    if (entity === 'need' && !need) throw notFound(`need ${id}`);
    if (!need || need.reported_by_user_id !== user.user_id) throw forbidden('partners see only the needs they reported');
    return;
  }
  const region = await regionOf(db, entity, id);
  if (region === undefined) throw notFound(`${entity} ${id}`);
  assertMayRead(user, region, `the ${entity}`);
}

function needEntry(row: audit.HistoryRow, partner: boolean): HistoryEntry | null {
  if (row.entity === 'need_event') {
    const e = row.after as { kind?: string; text?: string | null };
    // Comments are their own entries; a status change or assignment is the need's update.
    if (e.kind !== 'comment') return null;
    return { at: row.at, actor: row.actor, action: 'comment', changes: [], text: e.text ?? null };
  }
  const changes = diff(row.before, row.after, { ignore: partner ? PARTNER_HIDDEN : [] });
  if (row.action === 'update' && changes.length === 0) return null;
  return { at: row.at, actor: row.actor, action: row.action, changes };
}

function auditEntry(row: audit.HistoryRow): HistoryEntry {
  const after = row.after as Record<string, unknown> | null;
  const text = typeof after?.justification === 'string' && row.action === 'decide' ? after.justification : undefined;
  // A decision's justification is its text, not a field change beside the status; its intake per
  // unit is the plan's result, shown with the plan.
  const changes = diff(row.before, row.after, { ignore: row.action === 'decide' ? ['justification', 'intakes'] : [] });
  return { at: row.at, actor: row.actor, action: row.action, changes, ...(text ? { text } : {}) };
}

/** Each report against the one before it: what the unit reported differently this time. */
async function capacityEntries(db: Queryable, ars: string): Promise<HistoryEntry[]> {
  let previous: Record<string, unknown> | null = null;
  const entries: HistoryEntry[] = [];
  for (const r of await audit.capacityHistory(db, ars)) {
    const changes: FieldChange[] = diff(previous, r.report, { ignore: REPORT_IGNORED });
    entries.push({ at: r.at, actor: r.actor, action: 'create', changes });
    previous = r.report;
  }
  return entries;
}

export async function recordHistory(db: Queryable, user: AuthUser, entity: HistoryEntity, id: string): Promise<{ entries: HistoryEntry[] }> {
  await assertMayReadHistory(db, user, entity, id);
  if (entity === 'capacity') return { entries: await capacityEntries(db, id) };
  if (entity === 'need') {
    const rows = await audit.needHistory(db, id);
    return { entries: rows.map((r) => needEntry(r, user.role === 'partner')).filter((e): e is HistoryEntry => e !== null) };
  }
  return { entries: (await audit.history(db, AUDIT_ENTITY[entity], id)).map(auditEntry) };
}
