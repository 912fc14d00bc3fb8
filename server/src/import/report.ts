import type { ImportReport } from './import-official.ts';

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

/** The CLI's report: counts first, then every key that did not match, never only a count. */
export function formatReport(r: ImportReport): string {
  return [
    scopeLine(r),
    'Inputs:',
    ...r.files.map((f) => `  ${f.role.padEnd(10)} ${f.file}${f.srid === null ? '' : ` (EPSG:${f.srid} -> EPSG:4326)`}`),
    ...regionLines(r),
    ...matchLines(r),
    ...list('Regions of this scope in the database but not in the new data (kept)', r.not_in_new_data, (x) => `${x.level} ${x.ars} ${x.name} (source ${x.source_key ?? 'none'})`),
    ...(r.demo_regions > 0 ? [`Demo district: ${r.demo_regions} regions with source 'demo' are still in the database (not removed)`] : []),
    ...r.match.notes.map((note) => `Note: ${note}`),
    `Attribution: ${r.attribution.join('; ')} (dl-de/by-2-0)`,
    `Time: ${(r.duration_ms / 1000).toFixed(1)} s in the database`,
  ].join('\n');
}
