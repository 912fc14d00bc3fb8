// The offer's stored fields, in the order of the API contract. Adding a field: see
// docs/architecture.md, "How to add a field".
import { Type } from 'typebox';
import { CategoryKeySchema, Id, IsoDate, LanguageList, Nullable, SubcategoryKey, TargetGroupList, Text } from '../schemas/common.ts';
import { defineFields } from './types.ts';

const opt = Type.Optional;

export const OFFER_FIELDS = defineFields({
  category: { schema: CategoryKeySchema, cell: 'text', column: 'category_key', label: { de: 'Kategorie', en: 'Category' }, aliases: ['kategorie'], exported: true, control: 'select' },
  subcategory: { schema: opt(Nullable(SubcategoryKey)), cell: 'text', column: 'subcategory_key', label: { de: 'Unterkategorie', en: 'Subcategory' }, aliases: ['unterkategorie'], exported: true, control: 'select' },
  provider_id: { schema: opt(Nullable(Id)), cell: 'integer', label: { de: 'Träger', en: 'Provider' }, aliases: [], exported: true, control: 'select' },
  external_id: {
    schema: opt(Nullable(Type.String({ minLength: 1, maxLength: 100 }))), cell: 'text', label: { de: 'Externe Kennung', en: 'External identifier' },
    aliases: ['externe_id', 'id_extern', 'kennung'], exported: true, control: null,
  },
  name: { schema: Type.String({ minLength: 1, maxLength: 200 }), cell: 'text', label: { de: 'Name', en: 'Name' }, aliases: ['bezeichnung', 'angebot'], exported: true, control: 'text' },
  description: { schema: opt(Nullable(Text(4000))), cell: 'text', label: { de: 'Beschreibung', en: 'Description' }, aliases: ['beschreibung'], exported: true, control: 'textarea' },
  street: { schema: opt(Nullable(Text(200))), cell: 'text', label: { de: 'Straße und Hausnummer', en: 'Street and number' }, aliases: ['strasse', 'adresse', 'anschrift'], exported: true, control: 'text' },
  postcode: { schema: opt(Nullable(Type.String({ pattern: '^[0-9]{5}$' }))), cell: 'text', label: { de: 'Postleitzahl', en: 'Postcode' }, aliases: ['plz', 'postleitzahl'], exported: true, control: 'text' },
  city: { schema: opt(Nullable(Text(100))), cell: 'text', label: { de: 'Ort', en: 'Town' }, aliases: ['ort', 'stadt'], exported: true, control: 'text' },
  email: { schema: opt(Nullable(Type.String({ format: 'email', maxLength: 200 }))), cell: 'text', label: { de: 'E-Mail', en: 'Email' }, aliases: ['e_mail', 'mail'], exported: true, control: 'email' },
  phone: { schema: opt(Nullable(Type.String({ maxLength: 50, pattern: '^[0-9 +()/-]*$' }))), cell: 'text', label: { de: 'Telefon', en: 'Phone' }, aliases: ['telefon', 'tel'], exported: true, control: 'tel' },
  website: {
    schema: opt(Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }))), cell: 'text', label: { de: 'Website', en: 'Website' },
    aliases: ['webseite', 'internetseite', 'homepage', 'url'], exported: true, control: 'url',
  },
  contact_person: {
    schema: opt(Nullable(Text(200))), cell: 'text', label: { de: 'Ansprechperson', en: 'Contact person' },
    aliases: ['ansprechperson', 'ansprechpartner', 'ansprechpartnerin', 'kontaktperson'], exported: true, control: 'text',
  },
  languages: { schema: opt(LanguageList), cell: 'list', label: { de: 'Sprachen', en: 'Languages' }, aliases: ['sprachen'], exported: true, control: 'list-text' },
  places_total: { schema: opt(Nullable(Type.Integer({ minimum: 0, maximum: 100_000 }))), cell: 'integer', label: { de: 'Plätze gesamt', en: 'Places in total' }, aliases: ['plaetze_gesamt', 'plaetze'], exported: true, control: 'number' },
  places_free: { schema: opt(Nullable(Type.Integer({ minimum: 0, maximum: 100_000 }))), cell: 'integer', label: { de: 'Freie Plätze', en: 'Free places' }, aliases: ['plaetze_frei', 'freie_plaetze'], exported: true, control: 'number' },
  barrier_free: { schema: opt(Nullable(Type.Boolean())), cell: 'boolean', label: { de: 'Barrierefrei', en: 'Barrier-free' }, aliases: ['barrierefrei'], exported: true, control: 'tristate', triState: true },
  target_groups: { schema: opt(TargetGroupList), cell: 'list', label: { de: 'Zielgruppen', en: 'Target groups' }, aliases: ['zielgruppen'], exported: true, control: 'checkboxes' },
  opening_hours: { schema: opt(Nullable(Text(500))), cell: 'text', label: { de: 'Öffnungszeiten', en: 'Opening hours' }, aliases: ['oeffnungszeiten'], exported: true, control: 'text' },
  valid_from: { schema: opt(Nullable(IsoDate)), cell: 'date', label: { de: 'Gültig ab', en: 'Valid from' }, aliases: ['gueltig_ab'], exported: true, control: 'date' },
  valid_to: { schema: opt(Nullable(IsoDate)), cell: 'date', label: { de: 'Gültig bis', en: 'Valid until' }, aliases: ['gueltig_bis'], exported: true, control: 'date' },
  last_verified: { schema: opt(Nullable(IsoDate)), cell: 'date', label: { de: 'Zuletzt geprüft', en: 'Last verified' }, aliases: ['zuletzt_geprueft', 'geprueft_am'], exported: true, control: 'date' },
});

export type OfferFieldKey = keyof typeof OFFER_FIELDS;
export const OFFER_FIELD_KEYS = Object.keys(OFFER_FIELDS) as OfferFieldKey[];
