import { describe, expect, it } from 'vitest';
import { diff, formatChange, redact } from '../../core/src/history.ts';

describe('the diff behind every history', () => {
  it('lists changed scalar fields with from and to, and nothing unchanged', () => {
    expect(diff({ name: 'A', places: 3, city: 'Kiel' }, { name: 'B', places: 3, city: 'Kiel' })).toEqual([{ field: 'name', from: 'A', to: 'B' }]);
    expect(diff({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it('descends into nested objects and names the path', () => {
    expect(diff({ opening: { mo: '9-12', tu: '9-12' } }, { opening: { mo: '9-13', tu: '9-12' } })).toEqual([{ field: 'opening.mo', from: '9-12', to: '9-13' }]);
  });

  it('treats an array as one value, equal when its elements are', () => {
    expect(diff({ languages: ['de'] }, { languages: ['de', 'en'] })).toEqual([{ field: 'languages', from: ['de'], to: ['de', 'en'] }]);
    expect(diff({ languages: ['de', { x: 1 }] }, { languages: ['de', { x: 1 }] })).toEqual([]);
    expect(diff({ languages: ['de', 'en'] }, { languages: ['en', 'de'] })).toHaveLength(1);
  });

  it('shows null, added and removed fields, and a null on both sides is no change', () => {
    expect(diff({ note: null, a: 1 }, { note: 'x', a: 1 })).toEqual([{ field: 'note', from: null, to: 'x' }]);
    expect(diff({ a: 1 }, { a: 1, b: 2 })).toEqual([{ field: 'b', from: null, to: 2 }]);
    expect(diff({ a: 1, b: 2 }, { a: 1 })).toEqual([{ field: 'b', from: 2, to: null }]);
    expect(diff({ a: null }, {})).toEqual([]);
  });

  it('lists a created and a deleted record field by field', () => {
    expect(diff(null, { name: 'A', nested: { x: 1 } })).toEqual([{ field: 'name', from: null, to: 'A' }, { field: 'nested.x', from: null, to: 1 }]);
    expect(diff({ name: 'A' }, null)).toEqual([{ field: 'name', from: 'A', to: null }]);
  });

  it('reads a GeoJSON Feature by its properties and geometry, without the envelope', () => {
    const f = (name: string, lon: number) => ({ type: 'Feature', id: 7, geometry: { type: 'Point', coordinates: [lon, 54.3] }, properties: { id: 7, name, version: 1 } });
    expect(diff(f('A', 9.8), { ...f('B', 9.9), properties: { id: 7, name: 'B', version: 2 } })).toEqual([
      { field: 'geometry.coordinates', from: [9.8, 54.3], to: [9.9, 54.3] },
      { field: 'name', from: 'A', to: 'B' },
    ]);
  });

  it('leaves out bookkeeping (version, updated_at) and ignored fields', () => {
    expect(diff({ version: 1, updated_at: 'x', status: 'neu', assigned_to: 1 }, { version: 2, updated_at: 'y', status: 'erledigt', assigned_to: 2 }, { ignore: ['assigned_to'] }))
      .toEqual([{ field: 'status', from: 'neu', to: 'erledigt' }]);
  });

  it('says that a secret changed but never shows it', () => {
    const changes = diff({ password_hash: '$argon2id$a', auth: { token_hash: 'abc' }, email: 'a@b' }, { password_hash: '$argon2id$b', auth: { token_hash: 'def' }, email: 'a@b' });
    expect(changes).toEqual([{ field: 'auth.token_hash', from: null, to: null, hidden: true }, { field: 'password_hash', from: null, to: null, hidden: true }]);
    expect(JSON.stringify(changes)).not.toContain('argon2');
    expect(redact({ email: 'a', password_hash: 'x', nested: [{ csrf_token: 'y', ok: 1 }] })).toEqual({ email: 'a', nested: [{ ok: 1 }] });
    expect(formatChange(changes[1]!)).toBe('password_hash: (hidden)');
  });

  it('formats a change as one line', () => {
    expect(formatChange({ field: 'places', from: null, to: 3 })).toBe('places: – → 3');
    expect(formatChange({ field: 'languages', from: ['de'], to: ['de', 'en'] })).toBe('languages: ["de"] → ["de","en"]');
  });
});
