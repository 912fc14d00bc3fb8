import { CATEGORY_KEYS, type FieldError, type OfferQuery } from '@ilk/core';
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
  const bbox = parseBbox(q.bbox, errors);
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  let regionPrefix: string | null = null;
  if (q.region) {
    const level = await levelOf(db, q.region);
    if (!level) throw notFound(`region ${q.region}`);
    regionPrefix = arsPrefix(level, q.region);
  }
  return { categories, subcategory: q.subcategory ?? null, bbox, q: q.q ? escapeLike(q.q) : null, regionPrefix, withFreePlaces: q.with_free_places ?? false, districts };
}
