import { describe, expect, it } from 'vitest';
import { changedFields, draftFromFeature, emptyDraft, fieldOfPointer, inputFromDraft } from '../../client/src/lib/state/offer-draft.ts';

describe('the offer form draft', () => {
  it('sends empty inputs as null and lists as arrays', () => {
    const input = inputFromDraft({ ...emptyDraft('sprache'), lon: 10, lat: 54.2, name: ' Sprachcafé ', languages: 'de, AR;uk', places_total: '12', places_free: 3, barrier_free: 'false' });
    expect(input.geometry.coordinates).toEqual([10, 54.2]);
    expect(input.properties).toMatchObject({ category: 'sprache', name: 'Sprachcafé', street: null, languages: ['de', 'ar', 'uk'], places_total: 12, places_free: 3, barrier_free: false, target_groups: [] });
  });

  it('leaves values it cannot read for the server to reject by field', () => {
    expect(inputFromDraft({ ...emptyDraft(), places_total: 'zwölf' }).properties.places_total).toBe('zwölf');
  });

  it('maps the API\'s JSON pointers to form fields', () => {
    expect(fieldOfPointer('/properties/languages/2')).toBe('languages');
    expect(fieldOfPointer('/geometry/coordinates/0')).toBe('coordinates');
    expect(fieldOfPointer('/properties/provider_id')).toBe('provider_id');
    expect(fieldOfPointer('/properties/region_key')).toBeNull();
    expect(fieldOfPointer('/type')).toBeNull();
  });

  it('compares drafts by value, whether a number input gave a number or text', () => {
    const a = { ...emptyDraft(), places_free: '7', target_groups: ['kinder'] };
    expect(changedFields(a, { ...a, places_free: 7 })).toEqual([]);
    expect(changedFields(a, { ...a, name: 'x', target_groups: [] })).toEqual(['name', 'target_groups']);
  });

  it('opens and saves an offer unchanged: provider, external id and "unknown" survive', () => {
    const feature = {
      type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [10.1234567, 54.3210987] },
      properties: {
        id: 7, category: 'sprache', subcategory: null, provider_id: 12, provider_name: 'Diakonie', external_id: 'SRC-1',
        name: 'Sprachcafé', description: null, street: 'Hafenstr. 1', postcode: '24103', city: 'Kiel', email: null, phone: null,
        website: 'https://example.org', contact_person: 'Frau Petersen', languages: ['de', 'uk'], places_total: 10, places_free: 0, barrier_free: null,
        target_groups: ['frauen'], opening_hours: null, valid_from: '2026-01-01', valid_to: null, last_verified: null,
        region_key: '010020000000', region_name: 'Kiel', version: 3, updated_at: '2026-12-01T10:00:00Z',
      },
    } as unknown as Parameters<typeof draftFromFeature>[0];
    const { id: _i, provider_name: _pn, region_key: _rk, region_name: _rn, version: _v, updated_at: _u, ...stored } = feature.properties;
    const input = inputFromDraft(draftFromFeature(feature));
    expect(input.geometry.coordinates).toEqual([10.1234567, 54.3210987]);
    expect(input.properties).toEqual(stored);
    for (const barrier_free of [true, false, null]) {
      const f = { ...feature, properties: { ...feature.properties, barrier_free, provider_id: null, external_id: null } };
      expect(inputFromDraft(draftFromFeature(f)).properties).toMatchObject({ barrier_free, provider_id: null, external_id: null });
    }
  });

  it('sends the picked Träger as a number, none as null', () => {
    expect(inputFromDraft({ ...emptyDraft(), provider_id: '42' }).properties.provider_id).toBe(42);
    expect(inputFromDraft({ ...emptyDraft(), provider_id: '' }).properties.provider_id).toBeNull();
  });
});
