import { randomTimestamp } from './dates.ts';
import type { Provider } from './providers.ts';
import type { Random } from './random.ts';
import type { District } from './regions.ts';

export interface Need {
  readonly external_id: string;
  readonly region_level: 'gemeinde' | 'verband';
  readonly region_ars: string;
  readonly category: string | null;
  readonly kind: 'angebotsluecke' | 'information' | 'fortbildung';
  readonly title: string;
  readonly description: string;
  readonly priority: 'niedrig' | 'mittel' | 'hoch';
  readonly status: 'neu' | 'in_bearbeitung' | 'erledigt';
  readonly reported_by: string;
  readonly created_at: string;
}

type Template = Pick<Need, 'kind' | 'category' | 'region_level' | 'title' | 'description'>;

const NEED_COUNT = 30;
/** {region} is the Gemeinde or Verband the need is reported for; {in_region} the same with its preposition. */
const TEMPLATES: readonly Template[] = [
  { kind: 'angebotsluecke', category: 'sprache', region_level: 'verband', title: 'Kein Integrationskurs mit Kinderbetreuung {in_region}', description: 'Mütter mit kleinen Kindern können die Kurse in der Kreisstadt nicht besuchen; es fehlt ein Kurs mit Betreuung vor Ort.' },
  { kind: 'angebotsluecke', category: 'sprache', region_level: 'gemeinde', title: 'Sprachcafé in {region} fehlt', description: 'Seit der Schließung des Gemeindehauses gibt es keinen offenen Treff zum Deutschüben.' },
  { kind: 'angebotsluecke', category: 'gesundheit', region_level: 'verband', title: 'Keine Hausarztpraxis nimmt neue Patienten auf ({region})', description: 'Neu zugewiesene Familien finden im Umkreis keine Praxis; Fahrten in die Kreisstadt sind ohne Auto kaum möglich.' },
  { kind: 'angebotsluecke', category: 'gesundheit', region_level: 'verband', title: 'Psychosoziale Beratung auf Farsi und Arabisch fehlt ({region})', description: 'Die Wartezeit beim Psychosozialen Zentrum beträgt mehrere Monate; Sprachmittlung ist nicht gesichert.' },
  { kind: 'angebotsluecke', category: 'betreuung_bildung', region_level: 'gemeinde', title: 'Kita-Plätze für neu zugezogene Kinder in {region}', description: 'Alle Krippenplätze sind belegt; drei Familien warten auf einen Platz.' },
  { kind: 'angebotsluecke', category: 'betreuung_bildung', region_level: 'verband', title: 'DaZ-Unterricht an der Grundschule reicht nicht ({region})', description: 'Die Stunden für Deutsch als Zweitsprache decken die Zahl der Kinder nicht.' },
  { kind: 'angebotsluecke', category: 'wohnen', region_level: 'gemeinde', title: 'Barrierefreier Wohnraum in {region}', description: 'Für eine Familie mit Rollstuhl gibt es keine passende Wohnung.' },
  { kind: 'angebotsluecke', category: 'arbeit', region_level: 'verband', title: 'Berufssprachkurs in Teilzeit für Beschäftigte {in_region}', description: 'Viele Zugewanderte arbeiten im Schichtdienst und brauchen Kurse am Abend oder am Wochenende.' },
  { kind: 'angebotsluecke', category: 'ehrenamt_freizeit', region_level: 'gemeinde', title: 'Schwimmkurs für Frauen in {region}', description: 'Nachfrage nach einem Kurs mit Trainerin und geschlossenen Zeiten im Bad.' },
  { kind: 'angebotsluecke', category: 'beratung', region_level: 'verband', title: 'Migrationsberatung ohne Sprechstunde vor Ort ({region})', description: 'Die nächste Sprechstunde ist 25 km entfernt; eine mobile Beratung wird gewünscht.' },
  { kind: 'information', category: 'einbuergerung', region_level: 'verband', title: 'Informationsabend zur Einbürgerung {in_region}', description: 'Viele Fragen zu den neuen Fristen und zu den benötigten Unterlagen.' },
  { kind: 'information', category: 'wohnen', region_level: 'gemeinde', title: 'Mehrsprachige Hinweise zu Mietvertrag und Nebenkosten ({region})', description: 'Ein Merkblatt auf Ukrainisch, Arabisch und Farsi würde Missverständnissen vorbeugen.' },
  { kind: 'information', category: null, region_level: 'verband', title: 'Übersicht der Angebote für Neuzugewanderte {in_region}', description: 'Ehrenamtliche wünschen sich eine gedruckte Übersicht für die Erstbegleitung.' },
  { kind: 'information', category: 'arbeit', region_level: 'verband', title: 'Informationen zur Anerkennung von Pflegeabschlüssen ({region})', description: 'Arbeitgeber aus der Pflege fragen nach Ablauf und Dauer des Verfahrens.' },
  { kind: 'fortbildung', category: 'betreuung_bildung', region_level: 'verband', title: 'Fortbildung Mehrsprachigkeit in der Kita ({region})', description: 'Fachkräfte möchten mehrsprachige Kinder im Alltag besser unterstützen.' },
  { kind: 'fortbildung', category: null, region_level: 'verband', title: 'Schulung Asyl- und Aufenthaltsrecht für Ehrenamtliche ({region})', description: 'Grundlagen für Ehrenamtliche, die zu Behörden begleiten.' },
  { kind: 'fortbildung', category: 'gesundheit', region_level: 'verband', title: 'Traumasensibler Umgang für Fachkräfte ({region})', description: 'Halbtägige Schulung für Beschäftigte in Verwaltung und Unterkunft.' },
  { kind: 'fortbildung', category: null, region_level: 'gemeinde', title: 'Interkulturelle Kompetenz für die Gemeindeverwaltung {region}', description: 'Wunsch der Verwaltung nach einer Schulung für den Publikumsverkehr.' },
];

export function buildNeeds(district: District, providers: readonly Provider[], rng: Random): Need[] {
  const gemeinden = district.gemeinden.filter((g) => g.population > 0);
  const verbaende = district.verbaende.filter((v) => v.kind !== 'Gemeindefreies Gebiet');
  const organisations = providers.filter((p) => p.role !== 'kommune').map((p) => p.record.name);
  return Array.from({ length: NEED_COUNT }, (_, i): Need => {
    const t = TEMPLATES[i % TEMPLATES.length] as Template;
    const region =
      t.region_level === 'gemeinde'
        ? rng.weighted(gemeinden, gemeinden.map((g) => Math.sqrt(g.population)))
        : rng.pick(verbaende);
    const createdAt = randomTimestamp(rng, '2025-06-01', '2026-11-20');
    const old = createdAt < '2026-05-01';
    const place = region.name.replace(/^Amt /, '');
    const reporters = [rng.pick(organisations), `Ehrenamtskreis ${place}`, `Verwaltung ${region.name}`];
    const inRegion = region.name.startsWith('Amt ') ? `im ${region.name}` : `in ${region.name}`;
    return {
      external_id: `demo-need-${String(i + 1).padStart(3, '0')}`,
      region_level: t.region_level,
      region_ars: region.ars,
      category: t.category,
      kind: t.kind,
      title: t.title.replace('{region}', region.name).replace('{in_region}', inRegion),
      description: t.description,
      priority: rng.weighted(['niedrig', 'mittel', 'hoch'] as const, [0.25, 0.5, 0.25]),
      status: rng.weighted(['neu', 'in_bearbeitung', 'erledigt'] as const, old ? [0.1, 0.3, 0.6] : [0.5, 0.4, 0.1]),
      reported_by: rng.pick(reporters),
      created_at: createdAt,
    };
  });
}
