import { CATEGORY_KEYS, ISO_639_1, TARGET_GROUPS, type FieldError, type OfferQuery } from '@ilk/core';
import type { Queryable } from '../db/index.ts';
import { badRequest, notFound } from '../errors.ts';
import type { OfferFilter } from '../repositories/offer-layer.repository.ts';
import { arsPrefix, levelOf } from '../repositories/region-layer.repository.ts';

/** minLon,minLat,maxLon,maxLat in EPSG:4326, in order and in range, or a 400 naming `bbox`. */
export function parseBbox(raw: string | undefined, errors: FieldError[], field = 'bbox'): [number, number, number, number] | null {
  if (raw === undefined) return null;
  const v = raw.split(',').map(Number);
  const [w, s, e, n] = v as [number, number, number, number];
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) {
    errors.push({ field, message: 'must be four numbers: minLon,minLat,maxLon,maxLat' });
  } else if (w < -180 || e > 180 || s < -90 || n > 90) {
    errors.push({ field, message: 'must lie within -180..180 and -90..90 (EPSG:4326)' });
  } else if (w > e || s > n) {
    errors.push({ field, message: 'must be ordered minLon,minLat,maxLon,maxLat' });
  } else {
    return [w, s, e, n];
  }
  return null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Turns the validated query string into a filter, resolving the region key to an ARS prefix. */
export async function offerFilter(db: Queryable, q: OfferQuery, districts: readonly string[] | null = null): Promise<OfferFilter> {
  const errors: FieldError[] = [];
  const categories = q.category ? q.category.split(',') : null;
  for (const c of categories ?? []) {
    if (!(CATEGORY_KEYS as readonly string[]).includes(c)) errors.push({ field: 'category', message: `unknown category "${c}"` });
  }
  const languages = listOf(q.language, ISO_639_1, 'language', 'ISO 639-1 code', errors);
  const targetGroups = listOf(q.target_group, TARGET_GROUPS, 'target_group', 'target group', errors);
  const bbox = parseBbox(q.bbox, errors);
  if (q.subcategory && !(await subcategoryExists(db, q.subcategory))) errors.push({ field: 'subcategory', message: `unknown subcategory "${q.subcategory}"` });
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  let regionPrefix: string | null = null;
  if (q.region) {
    const level = await levelOf(db, q.region);
    if (!level) throw notFound(`region ${q.region}`);
    regionPrefix = arsPrefix(level, q.region);
  }
  return {
    categories, subcategory: q.subcategory ?? null, bbox, q: q.q ? escapeLike(q.q) : null, regionPrefix, withFreePlaces: q.with_free_places ?? false,
    minFreePlaces: q.min_free_places ?? null, languages, targetGroups, barrierFree: q.barrier_free ?? null, districts,
  };
}

/** A comma-separated list of registry keys, or a 400 naming the parameter and the unknown key. */
function listOf(raw: string | undefined, known: readonly string[], field: string, what: string, errors: FieldError[]): string[] | null {
  if (raw === undefined) return null;
  const keys = [...new Set(raw.split(','))];
  for (const k of keys) if (!known.includes(k)) errors.push({ field, message: `unknown ${what} "${k}"` });
  return keys;
}

async function subcategoryExists(db: Queryable, key: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM offer_subcategories WHERE key = $1', [key]);
  return rows.length > 0;
}
