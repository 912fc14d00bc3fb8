import type { ImportReport } from './import-official.ts';
import { removedNothing, type DemoRemoval } from '../services/demo.service.ts';

const n = (v: number) => v.toLocaleString('en-GB');

function list<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  return [`${title}: ${items.length}`, ...items.map((i) => `  ${line(i)}`)];
}

function scopeLine(r: ImportReport): string {
  const what = r.scope.level === 'kreis' ? 'Kreis' : 'Land';
  return `Official import of ${what} ${r.scope.name} (${r.scope.key}): ${r.dry_run ? 'DRY RUN, nothing written' : 'written in one transaction'}`;
}

function regionLines(r: ImportReport): string[] {
  const rows = r.levels.map((l) => `  ${l.level.padEnd(9)} ${String(l.rows).padStart(6)} ${String(l.inserted).padStart(9)} ${String(l.updated).padStart(8)}`);
  const total = r.levels.reduce((s, l) => s + l.rows, 0);
  return ['Regions:    level       rows  inserted  updated', ...rows, `  total: ${total} rows, ${r.inserted} inserted, ${r.updated} updated`];
}

function matchLines(r: ImportReport): string[] {
  const m = r.match;
  const gemeinden = r.levels.find((l) => l.level === 'gemeinde')?.rows ?? 0;
  const water = Object.entries(m.waterDropped);
  return [
    `Population 31.12.2019: ${n(m.matchedPopulation)} in ${m.matchedGemeinden} of ${gemeinden} Gemeinden (matched by AGS)`,
    `Water features dropped (Geofaktor): ${water.length === 0 ? 0 : water.map(([f, c]) => `${c} in ${f}`).join(', ')}`,
    ...list('Regions merged from several land parts', m.mergedParts, (p) => `${p.level} ${p.key} ${p.name}: ${p.parts} parts`),
    ...list('Boundary Gemeinden without a register row (population left empty)', m.boundaryWithoutRegister, (g) => {
      const predecessors = r.register_located.filter((l) => l.now_in?.ags === g.key);
      const sum = predecessors.reduce((s, p) => s + (p.population ?? 0), 0);
      return `${g.key} ${g.name}${predecessors.length > 0 ? ` (new; contains register Gemeinden ${predecessors.map((p) => p.key).join(', ')} with ${n(sum)} inhabitants)` : ''}`;
    }),
    ...list('Register Gemeinden without a boundary feature (not imported)', r.register_located, (l) =>
      `${l.key} ${l.name} (${l.population === null ? 'population unknown' : `${n(l.population)} inhabitants`})` +
      (l.now_in ? ` -> now part of ${l.now_in.ags} ${l.now_in.name} (merged)` : ' -> outside every imported Gemeinde')),
    ...list('Gemeinden without a Verband in the Verband layer', m.gemeindenWithoutVerband, (g) => `${g.key} ${g.name}`),
    ...list('Verbände without Gemeinden', m.verbaendeWithoutGemeinden, (v) => `${v.key} ${v.name}`),
  ];
}

/** What a demo removal deleted, one kind per line (npm run demo:remove and import:official --remove-demo). */
export function formatDemoRemoval(r: DemoRemoval, dryRun = false): string[] {
  if (removedNothing(r)) return ['Demo district: nothing to remove (the database holds no demo data)'];
  const verb = dryRun ? 'would remove' : 'removed';
  const regions = Object.values(r.regions).reduce((s, v) => s + v, 0);
  const rows: [string, number][] = [
    ['regions', regions], ['offers', r.offers], ['providers', r.providers], ['needs', r.needs], ['need events', r.need_events],
    ['capacity reports', r.capacity_reports], ['allocation plans', r.allocation_plans], ['allocation intakes', r.allocation_intakes],
    ['networks', r.networks], ['coordinator district rows', r.user_districts], ['demo accounts', r.users], ['sessions', r.sessions],
    ['API tokens', r.api_tokens], ['data sources', r.data_sources], ['dataset facts', r.dataset_facts],
  ];
  return [
    `Demo district ${r.kreise.length > 0 ? r.kreise.join(', ') : '(no Kreis left)'}: ${verb}`,
    ...rows.map(([what, n]) => `  ${what.padEnd(26)} ${String(n).padStart(6)}`),
    `  (regions: ${r.regions.kreis} kreis, ${r.regions.verband} verband, ${r.regions.gemeinde} gemeinde)`,
  ];
}

/** The CLI's report: counts first, then every key that did not match, never only a count. */
export function formatReport(r: ImportReport): string {
  return [
    scopeLine(r),
    'Inputs:',
    ...r.files.map((f) => `  ${f.role.padEnd(10)} ${f.file}${f.srid === null ? '' : ` (EPSG:${f.srid} -> EPSG:4326)`}`),
    ...regionLines(r),
    ...matchLines(r),
    ...list('Regions of this scope in the database but not in the new data (kept)', r.not_in_new_data, (x) => `${x.level} ${x.ars} ${x.name} (source ${x.source_key ?? 'none'})`),
    ...(r.demo_removed ? formatDemoRemoval(r.demo_removed, r.dry_run) : []),
    ...(r.demo_regions > 0 ? [`Demo district: ${r.demo_regions} regions with source 'demo' are still in the database (not removed)`] : []),
    ...r.match.notes.map((note) => `Note: ${note}`),
    `Attribution: ${r.attribution.join('; ')} (dl-de/by-2-0)`,
    `Time: ${(r.duration_ms / 1000).toFixed(1)} s in the database`,
  ].join('\n');
}
