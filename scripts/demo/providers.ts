import { addressIn, dramaPhone, shortSlug } from './contact.ts';
import type { District, Gemeinde, Verband } from './regions.ts';
import type { Random } from './random.ts';

/** What a provider can run; the offer catalogue picks providers by these. */
export type ProviderRole =
  | 'kreis' | 'jobcenter' | 'vhs' | 'wohlfahrt' | 'sprachschule' | 'bildung' | 'anerkennung' | 'hausarzt'
  | 'kinderarzt' | 'psych' | 'fluechtlingshilfe' | 'sport' | 'begegnung' | 'wohnungsbau' | 'kommune';

export interface ProviderRecord {
  readonly external_id: string;
  readonly name: string;
  readonly kind: string;
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
  readonly email: string;
  readonly phone: string;
  readonly website: string;
}

export interface Provider {
  readonly record: ProviderRecord;
  readonly role: ProviderRole;
  readonly seat: Gemeinde;
  /** Set for the Kommune providers: the Verband whose Kitas and schools it runs. */
  readonly verband: Verband | null;
}

interface Template {
  readonly name: string;
  readonly kind: string;
  readonly role: ProviderRole;
  /** Index into the towns, largest first: 0 is the Kreisstadt. */
  readonly town: number;
}

const TEMPLATES: readonly Template[] = [
  { name: 'Kreis Demo-Förde, Fachdienst Migration und Integration', kind: 'Kommune', role: 'kreis', town: 0 },
  { name: 'Jobcenter Kreis Demo-Förde', kind: 'Jobcenter', role: 'jobcenter', town: 0 },
  { name: 'VHS Demo-Förde', kind: 'Volkshochschule', role: 'vhs', town: 0 },
  { name: 'VHS {town}', kind: 'Volkshochschule', role: 'vhs', town: 1 },
  { name: 'Diakonisches Werk Demo-Förde', kind: 'Wohlfahrtsverband', role: 'wohlfahrt', town: 0 },
  { name: 'AWO Kreisverband Demo-Förde', kind: 'Wohlfahrtsverband', role: 'wohlfahrt', town: 1 },
  { name: 'Caritasverband Demo-Förde', kind: 'Wohlfahrtsverband', role: 'wohlfahrt', town: 0 },
  { name: 'DRK-Kreisverband Demo-Förde', kind: 'Wohlfahrtsverband', role: 'wohlfahrt', town: 2 },
  { name: 'Sprachinstitut Fördeblick', kind: 'Bildungsträger', role: 'sprachschule', town: 0 },
  { name: 'Bildungswerk Geest und Förde gGmbH', kind: 'Bildungsträger', role: 'bildung', town: 0 },
  { name: 'Berufsbildungszentrum Demo-Förde', kind: 'Bildungsträger', role: 'bildung', town: 1 },
  { name: 'Anerkennungsberatung Nord, Büro Demo-Förde', kind: 'Bildungsträger', role: 'anerkennung', town: 0 },
  { name: 'Medizinisches Versorgungszentrum Demo-Förde', kind: 'Arztpraxis', role: 'hausarzt', town: 0 },
  { name: 'Gemeinschaftspraxis am Markt {town}', kind: 'Arztpraxis', role: 'hausarzt', town: 1 },
  { name: 'Landarztpraxis {town}', kind: 'Arztpraxis', role: 'hausarzt', town: 2 },
  { name: 'Hausarztzentrum {town}', kind: 'Arztpraxis', role: 'hausarzt', town: 3 },
  { name: 'Hausärzte {town}', kind: 'Arztpraxis', role: 'hausarzt', town: 4 },
  { name: 'Kinder- und Jugendarztpraxis {town}', kind: 'Arztpraxis', role: 'kinderarzt', town: 0 },
  { name: 'Kinderarztpraxis {town}', kind: 'Arztpraxis', role: 'kinderarzt', town: 1 },
  { name: 'Psychosoziales Zentrum für Geflüchtete Demo-Förde', kind: 'Verein', role: 'psych', town: 0 },
  { name: 'Flüchtlingshilfe Demo-Förde e. V.', kind: 'Verein', role: 'fluechtlingshilfe', town: 0 },
  { name: 'Willkommensnetz {town} e. V.', kind: 'Verein', role: 'fluechtlingshilfe', town: 3 },
  { name: 'Kreissportverband Demo-Förde e. V.', kind: 'Verein', role: 'sport', town: 0 },
  { name: 'TSV {town} von 1889 e. V.', kind: 'Verein', role: 'sport', town: 1 },
  { name: 'SV {town} e. V.', kind: 'Verein', role: 'sport', town: 2 },
  { name: 'Interkultureller Treffpunkt {town} e. V.', kind: 'Verein', role: 'begegnung', town: 1 },
  { name: 'Frauencafé International {town} e. V.', kind: 'Verein', role: 'begegnung', town: 0 },
  { name: 'Wohnungsbaugenossenschaft Geest und Förde eG', kind: 'Wohnungsunternehmen', role: 'wohnungsbau', town: 0 },
];

function kommuneName(v: Verband): string {
  if (v.kind === 'Amt') return v.name;
  const seat = v.members[0] as Gemeinde;
  return `${seat.kind === 'Stadt' ? 'Stadt' : 'Gemeinde'} ${seat.name}`;
}

/** Phone numbers 001-099 of the drama block belong to providers, 100 on to offers. */
export function buildProviders(district: District, rng: Random): Provider[] {
  const towns = [...district.gemeinden].sort((a, b) => b.population - a.population).slice(0, 5);
  const seatOf = (v: Verband): Gemeinde => v.members.find((m) => v.name === m.name || v.name === `Amt ${m.name}`) as Gemeinde;
  const entries = [
    ...TEMPLATES.map((t) => {
      const seat = towns[t.town] as Gemeinde;
      return { name: t.name.replace('{town}', seat.name), kind: t.kind, role: t.role, seat, verband: null };
    }),
    ...district.verbaende
      .filter((v) => v.kind !== 'Gemeindefreies Gebiet')
      .map((v) => ({ name: kommuneName(v), kind: 'Kommune', role: 'kommune' as const, seat: seatOf(v), verband: v })),
  ];
  return entries.map((e, i): Provider => {
    const id = String(i + 1).padStart(3, '0');
    const record: ProviderRecord = {
      external_id: `demo-provider-${id}`,
      name: e.name,
      kind: e.kind,
      ...addressIn(e.seat, rng),
      email: `${shortSlug(e.name)}@example.org`,
      phone: dramaPhone(i + 1),
      website: `https://example.org/demo-foerde/${shortSlug(e.name)}`,
    };
    return { record, role: e.role, seat: e.seat, verband: e.verband };
  });
}
