import { describe, expect, it } from 'vitest';
import { fieldLabel, PROVIDER_FIELD_LABELS } from '../../core/src/fields/labels.ts';
import { OFFER_FIELDS } from '../../core/src/fields/offer.ts';
import { NEED_FIELDS } from '../../core/src/fields/need.ts';
import { CAPACITY_REPORT_FIELDS } from '../../core/src/fields/capacity.ts';
import { ProviderInput } from '../../core/src/schemas/networks.ts';
import { LANGS } from '../../core/src/registries/lang.ts';

// The Verlauf names a changed field by its label in the interface language, from the field
// descriptors where the record has them; what nobody named keeps its key.
describe('field labels in the history', () => {
  it('takes offer, need and capacity report labels from the descriptors, in each language', () => {
    for (const lang of LANGS) {
      expect(fieldLabel('offer', 'provider_id', lang)).toBe(OFFER_FIELDS.provider_id.label[lang]);
      expect(fieldLabel('offer', 'barrier_free', lang)).toBe(OFFER_FIELDS.barrier_free.label[lang]);
      expect(fieldLabel('need', 'status', lang)).toBe(NEED_FIELDS.status.label[lang]);
      // A need reads its region as region_key: the history's snapshots use that name.
      expect(fieldLabel('need', 'region_key', lang)).toBe(NEED_FIELDS.region_ars.label[lang]);
      expect(fieldLabel('capacity', 'kita_free', lang)).toBe(CAPACITY_REPORT_FIELDS.kita_free.label[lang]);
      // The audit log's name of the same record.
      expect(fieldLabel('capacity_report', 'kita_free', lang)).toBe(CAPACITY_REPORT_FIELDS.kita_free.label[lang]);
    }
    expect(fieldLabel('offer', 'city', 'de')).toBe('Ort');
    expect(fieldLabel('offer', 'city', 'en')).toBe('Town');
  });

  it('labels every provider field and the plan\'s justification', () => {
    expect(Object.keys(PROVIDER_FIELD_LABELS).sort()).toEqual(Object.keys(ProviderInput.properties).sort());
    expect(fieldLabel('provider', 'kind', 'de')).toBe('Art des Trägers');
    expect(fieldLabel('plan', 'justification', 'de')).toBe('Begründung');
    expect(fieldLabel('allocation_plan', 'justification', 'en')).toBe('Justification');
  });

  it('names a nested path by its first part, and falls back to the key', () => {
    expect(fieldLabel('offer', 'geometry.coordinates', 'de')).toBe('Lage (coordinates)');
    expect(fieldLabel('offer', 'no_such_field', 'de')).toBe('no_such_field');
    expect(fieldLabel('user', 'role', 'de')).toBe('role');
    // Inherited object members are no labels.
    expect(fieldLabel('offer', 'constructor', 'de')).toBe('constructor');
  });
});
