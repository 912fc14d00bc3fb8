// The fields of a capacity report of an allocation unit (Amt / amtsfreie Gemeinde), in the order
// of the API contract. The input and stored report schemas (core/src/schemas/capacity.ts), the
// spreadsheet import's headers (core/src/capacity-import.ts), the region export's capacity_*
// columns, the form, the grid and the detail tables derive from here; the SQL column lists in
// server/src/repositories/capacity.repository.ts are checked by tests/unit/field-sql.test.ts.
// Reports are appended, never edited: `control` says how a new report's form enters a field.
import { Type } from 'typebox';
import { IsoDate, Nullable, Text } from '../schemas/common.ts';
import { defineFields, type FieldDescriptor } from './types.ts';

/** A count in a report: a whole number 0..1 000 000. */
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const count = (label: Record<'de' | 'en', string>, aliases: readonly string[]) =>
  ({ schema: Count, cell: 'integer', label, aliases, exported: true, control: 'number' }) as const satisfies FieldDescriptor;

export const CAPACITY_REPORT_FIELDS = defineFields({
  report_date: {
    schema: IsoDate, cell: 'date', label: { de: 'Stichtag', en: 'Reference date' },
    aliases: ['stichtag', 'meldedatum', 'datum', 'stand', 'date', 'reported_on'], exported: true, control: 'date',
  },
  housing_free: count({ de: 'Freie Wohnplätze', en: 'Free housing places' },
    ['freie_wohnplaetze', 'wohnplaetze_frei', 'wohnplaetze', 'freier_wohnraum', 'wohnraum_frei', 'housing']),
  housing_free_barrier_free: count({ de: 'davon barrierefrei', en: 'of which barrier-free' },
    ['davon_barrierefrei', 'barrierefrei', 'wohnplaetze_barrierefrei', 'freie_wohnplaetze_barrierefrei', 'freie_wohnplaetze_davon_barrierefrei', 'barrier_free']),
  shared_accommodation_places: count({ de: 'Plätze in Gemeinschaftsunterkünften', en: 'Places in shared accommodation' },
    ['gemeinschaftsunterkunft', 'gemeinschaftsunterkuenfte', 'plaetze_gemeinschaftsunterkunft', 'gu', 'gu_plaetze', 'shared_accommodation']),
  kita_free: count({ de: 'Freie Kita-Plätze', en: 'Free day-care places' },
    ['kita', 'kita_plaetze', 'kitaplaetze', 'freie_kitaplaetze', 'freie_kita_plaetze', 'kita_frei', 'kitaplaetze_frei']),
  school_free: count({ de: 'Freie Schulplätze', en: 'Free school places' },
    ['schule', 'schulplaetze', 'freie_schulplaetze', 'schule_frei', 'schulplaetze_frei', 'school']),
  language_course_free: count({ de: 'Freie Sprachkursplätze', en: 'Free language course places' },
    ['sprachkurs', 'sprachkurse', 'sprachkursplaetze', 'freie_sprachkursplaetze', 'sprachkurs_frei', 'language_course']),
  gp_accepting: count({ de: 'Hausarztpraxen mit Aufnahme', en: 'GP practices accepting patients' },
    ['hausaerzte', 'hausarzt', 'hausaerzte_mit_aufnahme', 'aufnehmende_hausaerzte', 'hausaerzte_aufnehmend', 'gp']),
  refugees_housed: count({ de: 'Untergebrachte Geflüchtete', en: 'Refugees housed' },
    ['untergebracht', 'untergebrachte', 'untergebrachte_personen', 'untergebrachte_gefluechtete', 'gefluechtete_untergebracht', 'housed']),
  intake_ytd: count({ de: 'Aufnahmen im laufenden Jahr', en: 'Intake this year' },
    ['zugang_seit_1_1', 'zugang', 'zugaenge', 'zugaenge_seit_1_1', 'zugang_seit_jahresbeginn', 'zugang_lfd_jahr', 'aufnahme_seit_1_1', 'intake']),
  note: {
    schema: Type.Optional(Nullable(Text(2000))), cell: 'text', label: { de: 'Bemerkung', en: 'Note' },
    aliases: ['bemerkung', 'bemerkungen', 'anmerkung', 'hinweis', 'notiz', 'kommentar', 'comment'], exported: false, control: 'textarea',
  },
});

type Fields = typeof CAPACITY_REPORT_FIELDS;
export type CapacityReportFieldKey = keyof Fields;
export const CAPACITY_REPORT_KEYS = Object.keys(CAPACITY_REPORT_FIELDS) as CapacityReportFieldKey[];

/** The counts of a report (the integer fields), in the descriptors' order. */
export type CapacityCountKey = { [K in keyof Fields]: Fields[K]['cell'] extends 'integer' ? K : never }[keyof Fields];
export const CAPACITY_COUNT_KEYS = CAPACITY_REPORT_KEYS.filter((k) => CAPACITY_REPORT_FIELDS[k].cell === 'integer') as CapacityCountKey[];
