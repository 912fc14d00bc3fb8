// The offer filters beyond category and search (free places, languages, subcategory, target
// groups, barrier-free access) in the URL hash, and as the API's query parameters. Pure
// functions, unit-tested in tests/unit/view-url.test.ts; view-url.ts calls them.
import { ISO_639_1 } from '@ilk/core/iso639';
import { TARGET_GROUPS } from '@ilk/core/schemas/common';

export const BARRIER_FREE = ['true', 'false', 'unknown'] as const;
export type BarrierFree = (typeof BARRIER_FREE)[number];

export interface OfferFilters {
  /** At least this many free places; null: any. */
  minFree: number | null;
  /** ISO 639-1 codes: offers in at least one of them; empty: any. */
  languages: string[];
  subcategory: string | null;
  /** Offers for at least one of these target groups; empty: any. */
  targetGroups: string[];
  /** Barrier-free access yes, no, or not stated; null: any. */
  barrierFree: BarrierFree | null;
}

export const DEFAULT_OFFER_FILTERS: OfferFilters = { minFree: null, languages: [], subcategory: null, targetGroups: [], barrierFree: null };

const KEY = /^[a-z_]{2,40}$/;
const known = (list: readonly string[]) => (v: string) => list.includes(v);

/** free=N, lang=ar,uk, sub=key, tg=kinder,frauen, bf=true|false|unknown; unknown values are dropped. */
export function parseOfferFilters(p: URLSearchParams): OfferFilters {
  const free = Number(p.get('free'));
  const list = (name: string, ok: (v: string) => boolean) => [...new Set((p.get(name) ?? '').split(',').filter(ok))];
  const sub = p.get('sub');
  const bf = p.get('bf');
  return {
    minFree: Number.isInteger(free) && free >= 1 && free <= 100_000 ? free : null,
    languages: list('lang', known(ISO_639_1)),
    subcategory: sub !== null && KEY.test(sub) ? sub : null,
    targetGroups: list('tg', known(TARGET_GROUPS)),
    barrierFree: (BARRIER_FREE as readonly string[]).includes(bf ?? '') ? (bf as BarrierFree) : null,
  };
}

export function writeOfferFilters(p: URLSearchParams, f: OfferFilters): void {
  if (f.minFree !== null) p.set('free', String(f.minFree));
  if (f.languages.length) p.set('lang', f.languages.join(','));
  if (f.subcategory) p.set('sub', f.subcategory);
  if (f.targetGroups.length) p.set('tg', f.targetGroups.join(','));
  if (f.barrierFree) p.set('bf', f.barrierFree);
}

/** Whether any of these filters is set (the sidebar offers to reset them). */
export const anyOfferFilter = (f: OfferFilters) =>
  f.minFree !== null || f.languages.length > 0 || f.subcategory !== null || f.targetGroups.length > 0 || f.barrierFree !== null;

/** The API's query parameters for these filters (GET /api/offers, /api/offers/counts, the offer tiles). */
export function offerFilterQuery(f: Partial<OfferFilters>): Record<string, string | undefined> {
  return {
    min_free_places: f.minFree ? String(f.minFree) : undefined,
    language: f.languages?.length ? f.languages.join(',') : undefined,
    subcategory: f.subcategory ?? undefined,
    target_group: f.targetGroups?.length ? f.targetGroups.join(',') : undefined,
    barrier_free: f.barrierFree ?? undefined,
  };
}
