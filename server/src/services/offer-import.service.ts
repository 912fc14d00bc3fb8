import type { FastifyRequest } from 'fastify';
import type { FieldError, OfferInput, OfferRecord } from '@ilk/core';
import { OFFER_FIELDS, OFFER_FIELD_KEYS } from '@ilk/core/fields/offer';
import { csvField, offerRuleErrors, type OfferCandidate } from '@ilk/core/offer-import';
import type { ImportFormat, ImportReport, ImportRowReport } from '@ilk/core/schemas/offer-import';
import type { Database, Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { badRequest } from '../errors.ts';
import { unchangedOffers, upsertOffers, type OfferImportRow } from '../repositories/offers.repository.ts';
import * as lookups from '../repositories/offer-import.repository.ts';
import * as audit from '../repositories/audit.repository.ts';
import { assertMayEdit } from './scope.ts';

/** The compiled OfferInput schema of the single-offer API, returning its field errors. */
export type ValidateOffer = (feature: unknown) => FieldError[];

/** At most this many field errors go into a refused import's problem+json; dry_run lists all. */
export const MAX_PROBLEM_ERRORS = 1000;

/**
 * Rows per statement. 50,000 rows in one statement take seconds (the region trigger runs per
 * row), close to DB_STATEMENT_TIMEOUT_MS; in batches each statement stays short and the
 * embedded database, which runs on the event loop, lets other requests in between. The
 * batches share one transaction, so the import stays all or nothing.
 */
export const IMPORT_BATCH_ROWS = 5000;

async function inBatches<T>(items: readonly T[], fn: (batch: readonly T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += IMPORT_BATCH_ROWS) await fn(items.slice(i, i + IMPORT_BATCH_ROWS));
}

interface Checked {
  report: ImportReport;
  rows: OfferImportRow[];
}

type Valid = { c: OfferCandidate; input: OfferInput };

function mayEdit(user: AuthUser, ars: string | null): boolean {
  try {
    assertMayEdit(user, ars, 'the offer');
    return true;
  } catch {
    return false;
  }
}

const externalId = (c: OfferCandidate): string | null => {
  const id = (c.feature?.properties as Record<string, unknown> | undefined)?.external_id;
  return typeof id === 'string' ? id : null;
};

async function placeByAgs(db: Queryable, candidates: readonly OfferCandidate[]): Promise<void> {
  const pending = candidates.filter((c) => c.feature && c.ags !== null);
  const points = await lookups.gemeindeLabelPoints(db, [...new Set(pending.map((c) => c.ags!))].filter((a) => /^\d{8}$/.test(a)));
  for (const c of pending) {
    const point = points.get(c.ags!);
    if (!/^\d{8}$/.test(c.ags!)) c.errors.push({ field: 'ags', message: 'must be an 8-digit AGS (Amtlicher Gemeindeschlüssel)' });
    else if (!point) c.errors.push({ field: 'ags', message: 'no Gemeinde with this AGS' });
    else c.feature!.geometry = { type: 'Point', coordinates: point };
  }
}

/** JSON schema, then the cross-field rules; returns the rows that passed both. */
function validateRows(candidates: readonly OfferCandidate[], validate: ValidateOffer, subcategories: Map<string, string>): Valid[] {
  const valid: Valid[] = [];
  for (const c of candidates) {
    if (!c.feature) continue;
    // An AGS that could not be placed leaves no geometry: say so once, not twice.
    const unplaced = c.errors.some((e) => e.field === 'ags' || e.field.startsWith('/geometry'));
    const schemaErrors = validate(c.feature).filter((e) => !(unplaced && e.field.startsWith('/geometry')));
    c.errors.push(...schemaErrors);
    if (schemaErrors.length > 0 || unplaced) continue;
    const input = c.feature as unknown as OfferInput;
    c.errors.push(...offerRuleErrors(input.properties, (k) => subcategories.get(k)));
    valid.push({ c, input });
  }
  return valid;
}

function flagRepeatedIds(candidates: readonly OfferCandidate[]): string[] {
  const first = new Map<string, number>();
  for (const c of candidates) {
    const id = externalId(c);
    if (id === null) continue;
    const seen = first.get(id);
    if (seen === undefined) first.set(id, c.row);
    else c.errors.push({ field: '/properties/external_id', message: `repeats the external id of row ${seen}` });
  }
  return [...first.keys()];
}

/** provider_external_id wins; else provider_id is resolved to its provider's external id. */
async function resolveProviders(db: Queryable, valid: readonly Valid[]): Promise<Map<OfferCandidate, string | null>> {
  const byExternal = valid.flatMap(({ c }) => (c.provider_external_id ? [c.provider_external_id] : []));
  const byId = valid.flatMap(({ c, input }) => (!c.provider_external_id && input.properties.provider_id ? [input.properties.provider_id] : []));
  const found = await lookups.providers(db, [...new Set(byExternal)], [...new Set(byId)]);
  const externals = new Set(found.flatMap((p) => (p.external_id ? [p.external_id] : [])));
  const ids = new Map(found.map((p) => [p.id, p.external_id]));
  const resolved = new Map<OfferCandidate, string | null>();
  for (const { c, input } of valid) {
    const id = input.properties.provider_id;
    if (c.provider_external_id) {
      if (externals.has(c.provider_external_id)) resolved.set(c, c.provider_external_id);
      else c.errors.push({ field: '/properties/provider_external_id', message: 'no provider with this external id' });
    } else if (id) {
      const ext = ids.get(id);
      if (ext === undefined) c.errors.push({ field: '/properties/provider_id', message: 'no provider with this id' });
      else if (ext === null) c.errors.push({ field: '/properties/provider_id', message: 'this provider has no external id; an import links providers by provider_external_id' });
      else resolved.set(c, ext);
    } else {
      resolved.set(c, null);
    }
  }
  return resolved;
}

// Every stored field but provider_id (an import links providers by their external id).
function toImportRow(input: OfferInput, providerExternalId: string | null): OfferImportRow {
  const p = input.properties as Record<string, unknown>;
  const [lon, lat] = input.geometry.coordinates;
  const fields = OFFER_FIELD_KEYS.filter((k) => k !== 'provider_id').map((k) => [k, p[k] ?? (OFFER_FIELDS[k].cell === 'list' ? [] : null)]);
  return { ...(Object.fromEntries(fields) as unknown as OfferRecord), provider_external_id: providerExternalId, lon, lat };
}

/**
 * Checks every row as the single-offer API would (schema, cross-field rules, district extent,
 * coordinator scope) plus what only an import has (AGS placement, repeated external ids,
 * providers by external id), and predicts insert, update or unchanged. Reads only. `rows` are
 * the rows to write: an unchanged row is left out.
 */
export async function checkImport(db: Queryable, user: AuthUser, format: ImportFormat, candidates: OfferCandidate[], validate: ValidateOffer): Promise<Checked> {
  await placeByAgs(db, candidates);
  const valid = validateRows(candidates, validate, await lookups.subcategories(db));
  const ids = flagRepeatedIds(candidates);
  const existing = await lookups.existingOffers(db, ids);
  const located = new Map<number, lookups.PointLocation>();
  const points = valid.map(({ c, input }) => ({ i: c.row, lon: input.geometry.coordinates[0], lat: input.geometry.coordinates[1] }));
  await inBatches(points, async (batch) => {
    for (const [i, where] of await lookups.locatePoints(db, batch)) located.set(i, where);
  });
  const providers = await resolveProviders(db, valid);
  const checked: OfferImportRow[] = [];
  for (const { c, input } of valid) {
    const where = located.get(c.row)!;
    const id = externalId(c);
    if (!where.inside) c.errors.push({ field: '/geometry/coordinates', message: 'must lie inside the loaded districts (plus a margin of 0.1°)' });
    else if (!mayEdit(user, where.gemeinde)) c.errors.push({ field: '/geometry/coordinates', message: 'lies outside the districts you may edit' });
    if (id !== null && existing.has(id) && !mayEdit(user, existing.get(id)!)) {
      c.errors.push({ field: '/properties/external_id', message: 'names an offer outside the districts you may edit' });
    }
    if (c.errors.length === 0) checked.push(toImportRow(input, providers.get(c) ?? null));
  }
  const unchanged = new Set<string>();
  await inBatches(checked.filter((r) => r.external_id !== null && existing.has(r.external_id)), async (batch) => {
    for (const id of await unchangedOffers(db, batch)) unchanged.add(id);
  });
  const report = candidates.map((c): ImportRowReport => {
    const id = externalId(c);
    const errors = format === 'csv' ? c.errors.map((e) => ({ field: csvField(e.field, c.ags !== null), message: e.message })) : c.errors;
    const status = errors.length > 0 ? 'error' : id === null || !existing.has(id) ? 'insert' : unchanged.has(id) ? 'unchanged' : 'update';
    return { row: c.row, ...(c.line === undefined ? {} : { line: c.line }), status, external_id: id, errors };
  });
  const count = (s: ImportRowReport['status']) => report.filter((r) => r.status === s).length;
  const summary = { insert: count('insert'), update: count('update'), unchanged: count('unchanged'), error: count('error') };
  return { report: { dry_run: true, rows: report, summary }, rows: checked.filter((r) => r.external_id === null || !unchanged.has(r.external_id)) };
}

function refused(report: ImportReport) {
  const bad = report.rows.filter((r) => r.status === 'error');
  const errors = bad.flatMap((r) => r.errors.map((e) => ({ field: `row ${r.row}: ${e.field}`, message: e.message }))).slice(0, MAX_PROBLEM_ERRORS);
  return badRequest(`${bad.length} of ${report.rows.length} rows are invalid (first: row ${bad[0]!.row}); nothing was imported. Send dry_run=true for the full report.`, errors);
}

/**
 * A dry run only checks. A real run checks and writes inside one transaction: all changed rows in
 * one upsert plus one audit entry, or, if any row is invalid, nothing at all (400 naming the rows).
 * A file that changes nothing (every row unchanged) writes nothing, not even an audit entry.
 */
export async function importOffers(
  db: Database, user: AuthUser, request: FastifyRequest, format: ImportFormat, candidates: OfferCandidate[], validate: ValidateOffer, dryRun: boolean,
): Promise<ImportReport> {
  if (dryRun) return (await checkImport(db, user, format, candidates, validate)).report;
  return db.transaction(async (tx) => {
    const { report, rows } = await checkImport(tx, user, format, candidates, validate);
    if (report.summary.error > 0) throw refused(report);
    if (rows.length === 0) return { ...report, dry_run: false };
    await inBatches(rows, async (batch) => {
      await upsertOffers(tx, batch);
    });
    await audit.record(tx, {
      user_id: user.user_id, actor: user.email, action: 'import', entity: 'offer', entity_id: null,
      after: { format, ...report.summary }, request_id: request.id,
    });
    return { ...report, dry_run: false };
  });
}
