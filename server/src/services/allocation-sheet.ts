import { WEIGHTS } from '@ilk/core';
import type { DataSource } from '../repositories/meta.repository.ts';
import { SUPPRESSED, type ExportUnit, type PlanView } from './allocation-export.ts';

// The printable decision sheet: one A4 page (or more for a large Kreis) in German, for the file
// and for signatures. Inline CSS only: the sheet must print the same when saved to disk.

// Weight names from the weights registry, in German like the whole sheet.
const weightLabel = (key: string) => (WEIGHTS as Readonly<Record<string, { labels: { de: string } }>>)[key]?.labels.de ?? key;

const STYLE = `
  body { font: 11pt/1.4 system-ui, sans-serif; color: #111; margin: 2rem auto; max-width: 60rem; }
  h1 { font-size: 16pt; margin: 0 0 .25rem; }
  .sub { color: #444; margin: 0 0 1rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { border: 1px solid #888; padding: .2rem .4rem; text-align: right; }
  th.t, td.t { text-align: left; }
  thead th { background: #eee; }
  tfoot td { font-weight: 600; }
  .note, footer { font-size: 9pt; color: #333; }
  .sign { display: grid; grid-template-columns: 1fr 1fr; gap: 3rem; margin-top: 3rem; }
  .sign div { border-top: 1px solid #111; padding-top: .25rem; font-size: 9pt; }
  @media print {
    @page { size: A4; margin: 15mm 12mm; }
    body { margin: 0; max-width: none; font-size: 9.5pt; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
    thead th { background: none; }
  }`;

const escape = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const berlin = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', ...options });
const day = (d: string | Date | null) => (d ? berlin({ dateStyle: 'long' }).format(new Date(d)) : '–');
const moment = (d: string | Date | null) => (d ? berlin({ dateStyle: 'long', timeStyle: 'short' }).format(new Date(d)) : '–');
const num = (x: number | null | undefined, digits = 0) =>
  x === null || x === undefined ? '' : x.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const cell = (u: ExportUnit, x: number | null | undefined, digits = 0) => (u.suppressed ? escape(SUPPRESSED) : num(x, digits));

interface Request {
  mode: 'aggregate' | 'households';
  weights: Record<string, number>;
  max_deviation?: { unit: 'percent' | 'persons'; value: number };
  excluded?: string[];
  bounds?: Record<string, { min?: number; max?: number }>;
  shared_accommodation_credit?: number;
  unknown_capacity?: 'none' | 'unlimited';
}

/**
 * How units without a capacity report were counted, and which they were: the choice is part
 * of the decision. Plans saved before the choice existed counted them as no room.
 */
function unknownCapacityLine(r: Request, plan: PlanView): string {
  const units = (plan.inputs.units ?? []) as { key: string; name: string; report_date: string | null }[];
  const unknown = units.filter((u) => u.report_date === null).map((u) => u.name);
  const how = r.unknown_capacity === 'unlimited' ? 'als unbegrenzt (keine Obergrenze durch Wohnraum)' : 'als kein freier Platz (0)';
  const which = unknown.length ? `${unknown.length} von ${units.length} Einheiten ohne Meldung: ${unknown.join(', ')}` : 'alle Einheiten haben gemeldet';
  return `gezählt ${how}; ${which}`;
}

function constraints(r: Request, names: Map<string, string>): string[] {
  const name = (k: string) => `${names.get(k) ?? k}`;
  const lines: string[] = [];
  if (r.max_deviation) lines.push(`Höchstabweichung vom Verteilungsschlüssel: ${num(r.max_deviation.value, 0)} ${r.max_deviation.unit === 'percent' ? '%' : 'Personen'}`);
  if (r.excluded?.length) lines.push(`Ausgenommen: ${r.excluded.map(name).join(', ')}`);
  for (const [k, b] of Object.entries(r.bounds ?? {})) {
    lines.push(`${name(k)}: ${b.min !== undefined ? `mindestens ${b.min}` : ''}${b.min !== undefined && b.max !== undefined ? ', ' : ''}${b.max !== undefined ? `höchstens ${b.max}` : ''}`);
  }
  if (r.shared_accommodation_credit) lines.push(`Anrechnung von Gemeinschaftsunterkunftsplätzen: Faktor ${num(r.shared_accommodation_credit, 2)}`);
  return lines.length ? lines : ['keine'];
}

function solverLine(solver: Record<string, unknown> | null): string | null {
  if (!solver) return null;
  const gap = `Zielwert ${num(solver.objective as number, 3)}, Schranke ${num(solver.bound as number, 3)}, Lücke ${num(100 * (solver.gap as number), 2)} %`;
  return solver.method === 'highs'
    ? `HiGHS (${escape(solver.status)}${solver.optimal ? ', nachweislich optimal' : ''}); ${gap}`
    : `Heuristik (Greedy), da ${escape(solver.reason)}; ${gap}`;
}

function unitTable(plan: PlanView, units: readonly ExportUnit[]): string {
  const households = plan.mode === 'households';
  const rows = units.map((u) => `<tr><td class="t">${escape(u.name)}</td><td class="t">${escape(u.key)}</td><td>${num(u.population)}</td><td>${num(u.credited_intake)}</td>` +
    `<td>${num(u.legal_quota, 2)}</td><td>${num(u.legal_seats)}</td>${households ? `<td>${cell(u, u.households)}</td>` : ''}` +
    `<td>${cell(u, u.seats)}</td><td>${cell(u, u.deviation_persons)}</td><td>${cell(u, u.deviation_percent, 1)}</td></tr>`);
  const sum = (f: (u: ExportUnit) => number | null | undefined) => units.reduce((s, u) => s + (f(u) ?? 0), 0);
  const total = (plan.result as { n?: number }).n ?? sum((u) => u.seats);
  return `<table><thead><tr><th class="t">Verteilungseinheit</th><th class="t">Schlüssel (ARS)</th><th>Einwohner</th>` +
    `<th>Bisher aufgenommen</th><th>Quote</th><th>Nach Schlüssel</th>${households ? '<th>Haushalte</th>' : ''}<th>Vorschlag</th><th>Abweichung</th><th>Abw. %</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody><tfoot><tr><td class="t" colspan="2">Summe</td><td>${num(sum((u) => u.population))}</td><td>${num(sum((u) => u.credited_intake))}</td>` +
    `<td></td><td>${num(sum((u) => u.legal_seats))}</td>${households ? `<td>${num((plan.result as { households?: number }).households)}</td>` : ''}` +
    `<td>${num(total)}</td><td></td><td></td></tr></tfoot></table>`;
}

/** The decision sheet as a complete HTML document. */
export function decisionSheet(plan: PlanView, units: readonly ExportUnit[], sources: readonly DataSource[]): string {
  const request = (plan.inputs.request ?? {}) as Request;
  const names = new Map(units.map((u) => [u.key, u.name]));
  const weights = Object.entries(request.weights ?? {}).filter(([, w]) => w > 0)
    .map(([k, w]) => `${weightLabel(k)} ${num(w, 2)}`).join(', ') || 'keine (reiner Verteilungsschlüssel)';
  const status = plan.status === 'decided' ? `Beschlossen am ${moment(plan.decided_at)} von ${escape(plan.decided_by ?? '–')}` : 'Entwurf, nicht beschlossen';
  const solver = solverLine(plan.solver);
  const suppressed = units.some((u) => u.suppressed);
  const meta: [string, string][] = [
    ['Status', status],
    ...(plan.status === 'decided' ? [['Begründung', escape(plan.justification ?? '–').replace(/\n/g, '<br>')] as [string, string]] : []),
    ['Verfahren', plan.mode === 'households' ? 'Zuordnung einzelner Haushalte (anonyme Profile)' : 'Verteilung einer Personenzahl'],
    ['Zu verteilen', `${num(plan.n)} Personen`],
    ['Gewichtung', escape(weights)],
    ['Nebenbedingungen', constraints(request, names).map(escape).join('<br>')],
    ['Unbekannte Kapazitäten', escape(unknownCapacityLine(request, plan))],
    ...(solver ? [['Berechnung', solver] as [string, string]] : []),
    ['Datenstand', moment(plan.data_as_of)],
    ['Erstellt', `${moment(plan.created_at)} von ${escape(plan.created_by ?? '–')}`],
  ];
  const attribution = sources.map((s) => `<li>${escape(s.name)}: ${escape(s.attribution)} (Lizenz: ${escape(s.licence)}${s.reference_date ? `, Stand ${day(s.reference_date)}` : ''})</li>`).join('');
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verteilungsentscheidung ${escape(plan.name)}</title><style>${STYLE}</style></head>
<body>
<h1>Verteilungsentscheidung: ${escape(plan.name)}</h1>
<p class="sub">${escape(plan.kreis_name)} (${escape(plan.kreis)}) · Zeitraum ${plan.period} · Plan Nr. ${plan.id} · gedruckt am ${day(new Date())}</p>
<dl>${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
${unitTable(plan, units)}
<p class="note">„Bisher aufgenommen“: im Zeitraum bereits aufgenommene und beschlossene Personen (mit angerechneten Gemeinschaftsunterkunftsplätzen). „Nach Schlüssel“: Personen nach dem Bevölkerungsschlüssel unter Anrechnung dieser Aufnahme (größte Reste).
Abweichung = Vorschlag − nach Schlüssel.${suppressed ? ` Werte von Einheiten mit weniger als drei Haushalten sind zum Schutz der Betroffenen als „${escape(SUPPRESSED)}“ ausgewiesen (ebenso eine weitere Einheit, wenn sonst zurückgerechnet werden könnte).` : ''}</p>
<div class="sign"><div>Ort, Datum, Unterschrift (Koordinierung)</div><div>Ort, Datum, Unterschrift (Beschluss)</div></div>
<footer><p>Datenquellen:</p><ul>${attribution || '<li>keine Angaben</li>'}</ul></footer>
</body></html>`;
}
