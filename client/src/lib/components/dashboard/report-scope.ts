import type { CategoryStats, DashboardRow } from '../../api/dashboard.ts';

// What the report is about and its key figures. Pure functions, unit-tested.

export interface ScopeTotals {
  population: number | null;
  offers: number;
  places_total: number;
  places_free: number;
  by_category: Record<string, CategoryStats>;
  open_needs: number;
}

/** The key figures of several regions of one level (usually one): sums; population unknown if any is. */
export function sumRows(rows: readonly DashboardRow[], categories: readonly string[]): ScopeTotals {
  const by: Record<string, CategoryStats> = Object.fromEntries(categories.map((c) => [c, { count: 0, places_total: 0, places_free: 0 }]));
  let population: number | null = 0;
  let needs = 0;
  for (const r of rows) {
    population = population === null || r.population === null ? null : population + r.population;
    needs += r.open_needs;
    for (const [c, o] of Object.entries(r.offers)) {
      const t = (by[c] ??= { count: 0, places_total: 0, places_free: 0 });
      t.count += o.count;
      t.places_total += o.places_total;
      t.places_free += o.places_free;
    }
  }
  const all = Object.values(by);
  const sum = (k: keyof CategoryStats) => all.reduce((s, o) => s + o[k], 0);
  return { population: rows.length ? population : null, offers: sum('count'), places_total: sum('places_total'), places_free: sum('places_free'), by_category: by, open_needs: needs };
}

/**
 * The report's scope by name: the region drilled into, a lone Kreis, the Land above all Kreise,
 * or the Kreise a user sees (`several` formats their names). Never "all Kreise" for one Kreis.
 */
export function scopeName(opts: { parentName: string | null; kreise: readonly { name: string }[]; land: { name: string } | null; several: (names: string) => string }): string {
  if (opts.parentName) return opts.parentName;
  if (opts.kreise.length === 1) return opts.kreise[0]!.name;
  if (opts.land) return opts.land.name;
  return opts.several(opts.kreise.map((k) => k.name).join(', '));
}
