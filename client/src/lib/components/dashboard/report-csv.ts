import { BOM, csvLine, type CsvWriteOptions } from '@ilk/core/csv';
import type { DashTable } from '../../state/dashboard.svelte.ts';

// The regional report as a spreadsheet: one line per region and category, semicolons, decimal
// commas and a BOM, so German Excel opens it with umlauts and numbers intact.
const OPTS: CsvWriteOptions = { delimiter: ';', decimalComma: true };
const HEADER = ['region_key', 'region_name', 'level', 'population', 'open_needs', 'category', 'offers', 'places_total', 'places_free', 'coverage_10km'];

export function reportCsv(tables: readonly DashTable[], categories: readonly string[]): string {
  let out = BOM + csvLine(HEADER, OPTS);
  for (const table of tables) for (const r of table.rows) {
    for (const c of categories) {
      const o = r.offers[c];
      const share = table.coverage.get(c)?.get(r.key);
      out += csvLine([r.key, r.name, table.level, r.population, r.open_needs, c, o?.count ?? 0, o?.places_total ?? 0, o?.places_free ?? 0, share ?? null], OPTS);
    }
  }
  return out;
}
