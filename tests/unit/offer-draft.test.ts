import { describe, expect, it } from 'vitest';
import { changedFields, emptyDraft, fieldOfPointer, inputFromDraft } from '../../client/src/lib/state/offer-draft.ts';

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
    expect(fieldOfPointer('/properties/provider_id')).toBeNull();
    expect(fieldOfPointer('/type')).toBeNull();
  });

  it('compares drafts by value, whether a number input gave a number or text', () => {
    const a = { ...emptyDraft(), places_free: '7', target_groups: ['kinder'] };
    expect(changedFields(a, { ...a, places_free: 7 })).toEqual([]);
    expect(changedFields(a, { ...a, name: 'x', target_groups: [] })).toEqual(['name', 'target_groups']);
  });
});
