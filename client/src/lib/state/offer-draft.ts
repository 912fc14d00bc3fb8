import type { OfferInput, OfferFeature } from '../api/offers.ts';

/** The offer form's values as the inputs hold them (text), converted to the API body on save. */
export interface OfferDraft {
  lon: number | null;
  lat: number | null;
  category: string;
  subcategory: string;
  /** The Träger's id as the select holds it; '' for none. */
  provider_id: string;
  /**
   * Not editable in the form, carried through unchanged: a save must not clear what the form
   * does not show (a re-import matches offers by it).
   */
  external_id: string | null;
  name: string;
  description: string;
  street: string;
  postcode: string;
  city: string;
  email: string;
  phone: string;
  website: string;
  contact_person: string;
  languages: string;
  /** Text, or a number where the input binds as type=number. */
  places_total: string | number | null;
  places_free: string | number | null;
  barrier_free: '' | 'true' | 'false';
  target_groups: string[];
  opening_hours: string;
  valid_from: string;
  valid_to: string;
  last_verified: string;
}

export type DraftField = keyof OfferDraft | 'coordinates';

export function emptyDraft(category = ''): OfferDraft {
  return {
    lon: null, lat: null, category, subcategory: '', provider_id: '', external_id: null, name: '', description: '', street: '', postcode: '', city: '',
    email: '', phone: '', website: '', contact_person: '', languages: '', places_total: '', places_free: '', barrier_free: '',
    target_groups: [], opening_hours: '', valid_from: '', valid_to: '', last_verified: '',
  };
}

const text = (v: string | null | undefined) => v ?? '';
const numText = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function draftFromFeature(f: OfferFeature): OfferDraft {
  const p = f.properties;
  return {
    lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]!,
    category: p.category, subcategory: text(p.subcategory), provider_id: numText(p.provider_id),
    external_id: p.external_id, name: p.name, description: text(p.description),
    street: text(p.street), postcode: text(p.postcode), city: text(p.city), email: text(p.email), phone: text(p.phone),
    website: text(p.website), contact_person: text(p.contact_person), languages: p.languages.join(', '), places_total: numText(p.places_total),
    places_free: numText(p.places_free), barrier_free: p.barrier_free === null ? '' : p.barrier_free ? 'true' : 'false',
    target_groups: [...p.target_groups], opening_hours: text(p.opening_hours), valid_from: text(p.valid_from),
    valid_to: text(p.valid_to), last_verified: text(p.last_verified),
  };
}

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

/** A number field: empty is null; anything else is sent as typed, so the API can reject it by name. */
function count(v: string | number | null): number | null {
  if (v === null || (typeof v === 'string' && v.trim() === '')) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : (v as unknown as number);
}

/** The POST/PUT body. Values are not second-guessed here: the server's validation is the contract. */
export function inputFromDraft(d: OfferDraft): OfferInput {
  const languages = d.languages.split(/[\s,;]+/).map((l) => l.trim().toLowerCase()).filter(Boolean);
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [d.lon ?? Number.NaN, d.lat ?? Number.NaN] },
    properties: {
      category: d.category as OfferInput['properties']['category'],
      subcategory: orNull(d.subcategory),
      provider_id: d.provider_id === '' ? null : Number(d.provider_id),
      external_id: d.external_id,
      name: d.name.trim(),
      description: orNull(d.description),
      street: orNull(d.street),
      postcode: orNull(d.postcode),
      city: orNull(d.city),
      email: orNull(d.email),
      phone: orNull(d.phone),
      website: orNull(d.website),
      contact_person: orNull(d.contact_person),
      languages: languages as OfferInput['properties']['languages'],
      places_total: count(d.places_total),
      places_free: count(d.places_free),
      barrier_free: d.barrier_free === '' ? null : d.barrier_free === 'true',
      target_groups: d.target_groups as OfferInput['properties']['target_groups'],
      opening_hours: orNull(d.opening_hours),
      valid_from: orNull(d.valid_from),
      valid_to: orNull(d.valid_to),
      last_verified: orNull(d.last_verified),
    },
  };
}

/** Maps an API error's JSON pointer (/properties/languages/2) to the form field that shows it. */
export function fieldOfPointer(pointer: string): DraftField | null {
  if (pointer.startsWith('/geometry')) return 'coordinates';
  const m = /^\/properties\/([a-z_]+)/.exec(pointer);
  if (!m) return null;
  const key = m[1] as keyof OfferDraft;
  return key in emptyDraft() ? key : null;
}

/** The fields whose values differ between two drafts: what a conflict view highlights. */
export function changedFields(a: OfferDraft, b: OfferDraft): (keyof OfferDraft)[] {
  const norm = (v: unknown) => (Array.isArray(v) ? v.join(',') : v === null || v === undefined ? '' : String(v));
  return (Object.keys(a) as (keyof OfferDraft)[]).filter((k) => norm(a[k]) !== norm(b[k]));
}
