// What a changed field is called in a record's "Verlauf" and the audit log: the label from the
// record's field descriptors (offer, need, capacity report), else from the tables below for the
// properties a record shows beside its descriptor fields (a provider's and a plan's fields, the
// read-only framing of features). A field nobody named keeps its key.
import type { Lang } from '../registries/lang.ts';
import type { PlanSummary } from '../allocation/api.ts';
import { OFFER_FIELDS } from './offer.ts';
import { NEED_FIELDS } from './need.ts';
import { CAPACITY_REPORT_FIELDS } from './capacity.ts';
import { propertyOf, type FieldDescriptor } from './types.ts';

type Labels = Record<string, Record<Lang, string>>;

/** Read-only properties several records share. */
const COMMON: Labels = {
  id: { de: 'Nummer', en: 'Number' },
  external_id: { de: 'Externe Kennung', en: 'External identifier' },
  geometry: { de: 'Lage', en: 'Location' },
  region_name: { de: 'Region (Name)', en: 'Region (name)' },
  created_at: { de: 'Angelegt am', en: 'Created on' },
};

/** A provider (Träger): its own fields as PUT /api/providers/:id takes them. */
export const PROVIDER_FIELD_LABELS: Labels = {
  name: { de: 'Name', en: 'Name' },
  kind: { de: 'Art des Trägers', en: 'Kind of provider' },
  street: { de: 'Straße und Hausnummer', en: 'Street and number' },
  postcode: { de: 'Postleitzahl', en: 'Postcode' },
  city: { de: 'Ort', en: 'Town' },
  email: { de: 'E-Mail', en: 'Email' },
  phone: { de: 'Telefon', en: 'Phone' },
  website: { de: 'Website', en: 'Website' },
};

/** An allocation plan as its history records it (the summary, and the intakes of a decision). */
export const PLAN_FIELD_LABELS: Labels & Record<Exclude<keyof PlanSummary, 'id' | 'version' | 'created_at'>, Record<Lang, string>> = {
  name: { de: 'Name', en: 'Name' },
  kreis: { de: 'Kreis (Schlüssel)', en: 'District (key)' },
  kreis_name: { de: 'Kreis', en: 'District' },
  mode: { de: 'Art der Verteilung', en: 'Kind of allocation' },
  period: { de: 'Zeitraum', en: 'Period' },
  status: { de: 'Status', en: 'Status' },
  n: { de: 'Zu verteilende Personen', en: 'People to allocate' },
  data_as_of: { de: 'Datenstand', en: 'Data as of' },
  created_by: { de: 'Angelegt von', en: 'Created by' },
  decided_by: { de: 'Beschlossen von', en: 'Decided by' },
  decided_at: { de: 'Beschlossen am', en: 'Decided on' },
  justification: { de: 'Begründung', en: 'Justification' },
  intakes: { de: 'Zuweisungen', en: 'Intakes' },
};

const fromDescriptors = (fields: Record<string, FieldDescriptor>): Labels =>
  Object.fromEntries(Object.entries(fields).map(([k, f]) => [propertyOf(k, f), f.label]));

const BY_ENTITY: Record<string, Labels> = {
  offer: { ...COMMON, provider_name: { de: 'Träger (Name)', en: 'Provider (name)' }, region_key: { de: 'Region', en: 'Region' }, ...fromDescriptors(OFFER_FIELDS) },
  need: { ...COMMON, ...fromDescriptors(NEED_FIELDS) },
  capacity: { ...COMMON, ...fromDescriptors(CAPACITY_REPORT_FIELDS) },
  provider: { ...COMMON, ...PROVIDER_FIELD_LABELS },
  plan: { ...COMMON, ...PLAN_FIELD_LABELS },
};
// The audit log's names of the same records.
BY_ENTITY.capacity_report = BY_ENTITY.capacity!;
BY_ENTITY.allocation_plan = BY_ENTITY.plan!;

/**
 * The label of a changed field of a record in a language; a dotted path (`geometry.coordinates`)
 * is named by its first part with the rest beside it. Unknown entities and fields: the path itself.
 */
export function fieldLabel(entity: string, field: string, lang: Lang): string {
  const labels = BY_ENTITY[entity];
  if (!labels) return field;
  if (Object.hasOwn(labels, field)) return labels[field]![lang];
  const [head, ...rest] = field.split('.');
  if (rest.length > 0 && Object.hasOwn(labels, head!)) return `${labels[head!]![lang]} (${rest.join('.')})`;
  return field;
}
