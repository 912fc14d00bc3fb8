import type { ProviderRole } from './providers.ts';

/**
 * What the demo offers look like, per subcategory (keys as in migrations/002_offers.sql): how
 * many, how large a Gemeinde must be to have one, who runs them, and a few name variants. The
 * counts follow a typical Kreis: many Kitas, schools and GPs, few central services.
 */
export type TargetGroup = 'erwachsene' | 'jugendliche' | 'kinder' | 'familien' | 'frauen' | 'gefluechtete' | 'alle';

export interface Variant {
  /** {city} is the Gemeinde, {provider} the provider's name. */
  readonly name: string;
  readonly groups: readonly TargetGroup[];
  readonly places?: readonly [number, number] | null;
  readonly minPopulation?: number;
}

export interface OfferSpec {
  readonly category: string;
  readonly subcategory: string;
  readonly count: number;
  readonly minPopulation: number;
  /** 1 spreads offers like people, higher concentrates them in the towns. */
  readonly concentration: number;
  readonly providers: readonly ProviderRole[];
  readonly variants: readonly Variant[];
  readonly description: string;
  readonly places: readonly [number, number] | null;
  readonly hours: readonly string[];
  /** How likely languages besides German are, 0 to 1. */
  readonly multilingual: number;
  /** Courses run for a period; the rest are ongoing. */
  readonly course: boolean;
}

const OFFICE_HOURS = ['Mo-Fr 08:00-16:00', 'Mo-Th 08:00-16:00; Fr 08:00-12:00', 'Mo,We 09:00-12:00; Th 14:00-18:00'];
const CONSULTATION = ['Tu 09:00-12:00; Th 14:00-17:00', 'Mo,We 09:00-13:00', 'We 10:00-16:00', 'Mo-Fr 09:00-12:00'];
const COURSE_HOURS = ['Mo-Fr 08:30-12:45', 'Mo-Th 17:30-20:45', 'Mo-Fr 13:00-16:15'];
const SURGERY = ['Mo,Tu,Th 08:00-12:00,14:00-18:00; We,Fr 08:00-12:00', 'Mo-Fr 07:30-12:30; Tu,Th 15:00-18:00'];
const EVENING = ['Tu 15:00-17:00', 'We 16:00-18:00', 'Th 18:00-20:00', 'Sa 10:00-12:00', 'Fr 15:00-17:30'];

export const CATALOGUE: readonly OfferSpec[] = [
  { category: 'sprache', subcategory: 'integrationskurs', count: 22, minPopulation: 5_000, concentration: 1.3, providers: ['vhs', 'sprachschule', 'bildung'],
    variants: [
      { name: 'Integrationskurs {provider}, {city}', groups: ['erwachsene', 'gefluechtete'] },
      { name: 'Integrationskurs mit Kinderbetreuung, {city}', groups: ['erwachsene', 'familien', 'gefluechtete'] },
      { name: 'Frauenintegrationskurs {city}', groups: ['frauen', 'gefluechtete'] },
      { name: 'Alphabetisierungskurs {city}', groups: ['erwachsene', 'gefluechtete'] },
      { name: 'Jugendintegrationskurs {city}', groups: ['jugendliche', 'gefluechtete'] },
    ],
    description: 'Deutschkurs bis Niveau B1 mit Orientierungskurs; Anmeldung mit Berechtigungsschein des BAMF oder über das Jobcenter.',
    places: [12, 25], hours: COURSE_HOURS, multilingual: 0.4, course: true },
  { category: 'sprache', subcategory: 'berufssprachkurs', count: 12, minPopulation: 5_000, concentration: 1.5, providers: ['vhs', 'sprachschule', 'bildung'],
    variants: [
      { name: 'Berufssprachkurs B2 {city}', groups: ['erwachsene'] },
      { name: 'Berufssprachkurs Pflege {city}', groups: ['erwachsene'] },
      { name: 'Berufssprachkurs C1 {provider}', groups: ['erwachsene'] },
    ],
    description: 'Deutsch für den Beruf, berufsbegleitend oder in Vollzeit; Zugang über Jobcenter oder Agentur für Arbeit.',
    places: [10, 20], hours: COURSE_HOURS, multilingual: 0.2, course: true },
  { category: 'sprache', subcategory: 'erstorientierung', count: 26, minPopulation: 300, concentration: 0.8, providers: ['fluechtlingshilfe', 'wohlfahrt', 'vhs', 'begegnung'],
    variants: [
      { name: 'Sprachcafé {city}', groups: ['alle'], places: null },
      { name: 'Erstorientierungskurs {city}', groups: ['erwachsene', 'gefluechtete'] },
      { name: 'Deutsch-Treff für Frauen {city}', groups: ['frauen'], places: null },
    ],
    description: 'Erste Schritte auf Deutsch und Alltagsorientierung in lockerer Runde, ohne Anmeldung.',
    places: [10, 18], hours: EVENING, multilingual: 0.7, course: false },
  { category: 'arbeit', subcategory: 'arbeitsvermittlung', count: 12, minPopulation: 5_000, concentration: 1.3, providers: ['jobcenter', 'wohlfahrt', 'bildung'],
    variants: [
      { name: 'Arbeitsvermittlung für Zugewanderte, {city}', groups: ['erwachsene', 'gefluechtete'] },
      { name: 'Job-Café {city}', groups: ['erwachsene'] },
      { name: 'Sprechstunde {provider}, {city}', groups: ['erwachsene'] },
    ],
    description: 'Beratung zu Arbeitssuche, Bewerbung und Förderleistungen; Termine nach Vereinbarung.',
    places: null, hours: OFFICE_HOURS, multilingual: 0.5, course: false },
  { category: 'arbeit', subcategory: 'ausbildung', count: 18, minPopulation: 2_000, concentration: 1.2, providers: ['bildung', 'vhs', 'jobcenter'],
    variants: [
      { name: 'Einstiegsqualifizierung {city}', groups: ['jugendliche', 'gefluechtete'] },
      { name: 'Ausbildungsvorbereitung für Zugewanderte, {city}', groups: ['jugendliche', 'erwachsene'] },
      { name: 'Qualifizierung Pflegehilfe {city}', groups: ['erwachsene'] },
      { name: 'Berufsorientierung {provider}', groups: ['jugendliche'] },
    ],
    description: 'Vorbereitung auf Ausbildung und Beruf mit Praktikum und begleitendem Deutschunterricht.',
    places: [8, 20], hours: COURSE_HOURS, multilingual: 0.3, course: true },
  { category: 'arbeit', subcategory: 'anerkennung', count: 10, minPopulation: 5_000, concentration: 1.5, providers: ['anerkennung', 'wohlfahrt'],
    variants: [
      { name: 'Anerkennungsberatung {city}', groups: ['erwachsene'] },
      { name: 'Sprechstunde Berufsanerkennung, {city}', groups: ['erwachsene'] },
      { name: 'Anerkennungsberatung {provider}, Sprechstunde {city}', groups: ['erwachsene'] },
    ],
    description: 'Beratung zur Anerkennung ausländischer Berufs- und Studienabschlüsse und zu Anpassungsqualifizierungen.',
    places: null, hours: CONSULTATION, multilingual: 0.6, course: false },
  { category: 'wohnen', subcategory: 'unterkunft', count: 14, minPopulation: 1_500, concentration: 1.2, providers: ['kreis', 'kommune', 'wohlfahrt'],
    variants: [
      { name: 'Gemeinschaftsunterkunft {city}', groups: ['gefluechtete'] },
      { name: 'Wohnunterkunft für Familien, {city}', groups: ['familien', 'gefluechtete'] },
    ],
    description: 'Vorübergehende Unterbringung mit Sozialbetreuung vor Ort; Zuweisung über das Amt oder die Stadt.',
    places: [20, 110], hours: OFFICE_HOURS, multilingual: 0.6, course: false },
  { category: 'wohnen', subcategory: 'wohnraumvermittlung', count: 16, minPopulation: 1_000, concentration: 1, providers: ['wohnungsbau', 'wohlfahrt', 'kommune', 'fluechtlingshilfe'],
    variants: [
      { name: 'Wohnraumvermittlung {city}', groups: ['alle'] },
      { name: 'Sprechstunde Wohnungssuche, {city}', groups: ['gefluechtete', 'familien'] },
      { name: 'Mietpaten {city}', groups: ['gefluechtete'] },
    ],
    description: 'Hilfe bei der Suche nach einer eigenen Wohnung, bei Anträgen und im Kontakt mit Vermietern.',
    places: null, hours: CONSULTATION, multilingual: 0.5, course: false },
  { category: 'betreuung_bildung', subcategory: 'kita', count: 45, minPopulation: 600, concentration: 0.8, providers: ['kommune', 'wohlfahrt'],
    variants: ['Regenbogen', 'Sonnenschein', 'Pusteblume', 'Löwenzahn', 'Seepferdchen', 'Wirbelwind', 'Kunterbunt', 'Arche', 'Deichmäuse', 'Storchennest']
      .map((n) => ({ name: `Kita ${n} {city}`, groups: ['kinder', 'familien'] as const })),
    description: 'Krippe und Elementarbereich; Anmeldung über das Kita-Portal des Landes.',
    places: [20, 130], hours: ['Mo-Fr 07:00-16:00', 'Mo-Fr 07:30-15:00', 'Mo-Th 07:00-17:00; Fr 07:00-14:00'], multilingual: 0.2, course: false },
  { category: 'betreuung_bildung', subcategory: 'schule', count: 35, minPopulation: 800, concentration: 0.8, providers: ['kommune'],
    variants: [
      { name: 'Grundschule {city}', groups: ['kinder'] },
      { name: 'Gemeinschaftsschule {city}', groups: ['jugendliche'], minPopulation: 5_000 },
      { name: 'Gymnasium {city}', groups: ['jugendliche'], minPopulation: 9_000 },
    ],
    description: 'Öffentliche Schule; Aufnahme neu zugewanderter Kinder nach Beratung durch das DaZ-Zentrum.',
    places: null, hours: ['Mo-Fr 07:45-13:15', 'Mo-Fr 08:00-15:00'], multilingual: 0.1, course: false },
  { category: 'betreuung_bildung', subcategory: 'daz', count: 10, minPopulation: 5_000, concentration: 1.2, providers: ['kommune', 'kreis'],
    variants: [
      { name: 'DaZ-Zentrum {city}', groups: ['kinder', 'jugendliche'] },
      { name: 'DaZ-Basisstufe an der Grundschule {city}', groups: ['kinder'] },
      { name: 'DaZ-Basisstufe an der Gemeinschaftsschule {city}', groups: ['jugendliche'] },
    ],
    description: 'Basisstufe Deutsch als Zweitsprache für neu zugewanderte Schülerinnen und Schüler.',
    places: [10, 30], hours: ['Mo-Fr 08:00-13:00'], multilingual: 0.5, course: false },
  { category: 'gesundheit', subcategory: 'hausarzt', count: 40, minPopulation: 800, concentration: 0.9, providers: ['hausarzt'],
    variants: ['Hausarztpraxis {city}', 'Hausarztpraxis am Markt, {city}', 'Allgemeinmedizin {city}', 'Praxis für Allgemeinmedizin {city}', 'Hausärztliche Praxis Dorfmitte, {city}']
      .map((name) => ({ name, groups: ['alle'] as const })),
    description: 'Hausärztliche Versorgung; Termine telefonisch, Akutsprechstunde ohne Termin.',
    places: null, hours: SURGERY, multilingual: 0.3, course: false },
  { category: 'gesundheit', subcategory: 'kinderarzt', count: 15, minPopulation: 3_000, concentration: 1.2, providers: ['kinderarzt'],
    variants: ['Kinderarztpraxis {city}', 'Kinder- und Jugendmedizin {city}', 'Kinderärztliche Praxis am Park, {city}']
      .map((name) => ({ name, groups: ['kinder', 'familien'] as const })),
    description: 'Kinder- und jugendärztliche Versorgung einschließlich Vorsorgeuntersuchungen und Impfungen.',
    places: null, hours: SURGERY, multilingual: 0.3, course: false },
  { category: 'gesundheit', subcategory: 'psychosozial', count: 15, minPopulation: 5_000, concentration: 1.3, providers: ['psych', 'wohlfahrt', 'kreis'],
    variants: [
      { name: 'Psychosoziale Beratung für Geflüchtete, {city}', groups: ['gefluechtete'] },
      { name: 'Sozialpsychiatrischer Dienst, Außenstelle {city}', groups: ['erwachsene'] },
      { name: 'Gesprächsgruppe für Frauen, {city}', groups: ['frauen', 'gefluechtete'] },
      { name: 'Beratungsstelle {provider}, {city}', groups: ['erwachsene', 'gefluechtete'] },
    ],
    description: 'Beratung und Stabilisierung bei seelischer Belastung, auf Wunsch mit Sprachmittlung.',
    places: null, hours: CONSULTATION, multilingual: 0.7, course: false },
  { category: 'beratung', subcategory: 'mbe', count: 15, minPopulation: 3_000, concentration: 1.2, providers: ['wohlfahrt'],
    variants: [{ name: 'Migrationsberatung für Erwachsene, {provider}, {city}', groups: ['erwachsene'] }],
    description: 'Beratung zu Aufenthalt, Sprache, Arbeit, Wohnen und Familie für Zugewanderte ab 27 Jahren.',
    places: null, hours: CONSULTATION, multilingual: 0.8, course: false },
  { category: 'beratung', subcategory: 'jmd', count: 10, minPopulation: 3_000, concentration: 1.3, providers: ['wohlfahrt'],
    variants: [
      { name: 'Jugendmigrationsdienst {city}', groups: ['jugendliche'] },
      { name: 'Jugendmigrationsdienst, Außensprechstunde {city}', groups: ['jugendliche'] },
      { name: 'Jugendmigrationsdienst {provider}', groups: ['jugendliche'] },
    ],
    description: 'Begleitung junger Zugewanderter von 12 bis 27 Jahren in Schule, Ausbildung und Beruf.',
    places: null, hours: CONSULTATION, multilingual: 0.7, course: false },
  { category: 'beratung', subcategory: 'fluechtlingsberatung', count: 20, minPopulation: 1_500, concentration: 1, providers: ['wohlfahrt', 'fluechtlingshilfe', 'kreis'],
    variants: [
      { name: 'Flüchtlingsberatung {city}', groups: ['gefluechtete'] },
      { name: 'Sprechstunde Asyl- und Aufenthaltsrecht, {city}', groups: ['gefluechtete'] },
    ],
    description: 'Unabhängige Beratung im Asylverfahren und zu Fragen des Aufenthalts und Familiennachzugs.',
    places: null, hours: CONSULTATION, multilingual: 0.9, course: false },
  { category: 'einbuergerung', subcategory: 'einbuergerungsberatung', count: 10, minPopulation: 5_000, concentration: 1.3, providers: ['kreis', 'wohlfahrt', 'vhs'],
    variants: [
      { name: 'Einbürgerungsberatung {city}', groups: ['erwachsene'] },
      { name: 'Vorbereitung Einbürgerungstest, {provider}', groups: ['erwachsene'], places: [10, 20] },
    ],
    description: 'Information zu Voraussetzungen, Unterlagen und Ablauf der Einbürgerung.',
    places: null, hours: CONSULTATION, multilingual: 0.5, course: false },
  { category: 'ehrenamt_freizeit', subcategory: 'ehrenamt', count: 20, minPopulation: 500, concentration: 0.8, providers: ['fluechtlingshilfe', 'wohlfahrt'],
    variants: [
      { name: 'Ehrenamtliche Lotsen {city}', groups: ['gefluechtete'] },
      { name: 'Patenschaften {city}', groups: ['familien', 'gefluechtete'] },
      { name: 'Begleitung zu Ämtern und Ärzten, {city}', groups: ['gefluechtete'] },
    ],
    description: 'Ehrenamtliche begleiten bei Behördengängen, Arztbesuchen und im Alltag; neue Ehrenamtliche willkommen.',
    places: null, hours: EVENING, multilingual: 0.6, course: false },
  { category: 'ehrenamt_freizeit', subcategory: 'sport', count: 25, minPopulation: 400, concentration: 0.8, providers: ['sport'],
    variants: [
      { name: 'Fußball für alle, {city}', groups: ['jugendliche', 'erwachsene'] },
      { name: 'Schwimmkurs für Frauen, {city}', groups: ['frauen'], places: [8, 14] },
      { name: 'Lauftreff international, {city}', groups: ['alle'] },
      { name: 'Kindersport {city}', groups: ['kinder'] },
    ],
    description: 'Offenes Training im Verein; die ersten Wochen sind beitragsfrei.',
    places: null, hours: EVENING, multilingual: 0.3, course: false },
  { category: 'ehrenamt_freizeit', subcategory: 'begegnung', count: 15, minPopulation: 500, concentration: 0.9, providers: ['begegnung', 'fluechtlingshilfe', 'wohlfahrt'],
    variants: [
      { name: 'Internationales Café {city}', groups: ['alle'] },
      { name: 'Frauenfrühstück {city}', groups: ['frauen'] },
      { name: 'Interkultureller Garten {city}', groups: ['alle'] },
      { name: 'Kochtreff {city}', groups: ['familien'] },
    ],
    description: 'Treffpunkt für Alteingesessene und Neuzugewanderte; Eintritt frei.',
    places: null, hours: EVENING, multilingual: 0.6, course: false },
];
