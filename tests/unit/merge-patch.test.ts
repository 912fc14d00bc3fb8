import { describe, expect, it } from 'vitest';
import { applyMergePatch, mergePatchPointers } from '@ilk/core/merge-patch';

// RFC 7396, Appendix A: every example, target + patch = result.
const APPENDIX_A: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyMergePatch (RFC 7396)', () => {
  it.each(APPENDIX_A)('Appendix A: %j + %j = %j', (target, patch, result) => {
    expect(applyMergePatch(target, patch)).toStrictEqual(result);
  });

  it('the RFC section 3 example: nested merge, null removes, arrays replace', () => {
    const target = { title: 'Goodbye!', author: { givenName: 'John', familyName: 'Doe' }, tags: ['example', 'sample'], content: 'This will be unchanged' };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyMergePatch(target, patch)).toStrictEqual({
      title: 'Hello!', author: { givenName: 'John' }, tags: ['example'], content: 'This will be unchanged', phoneNumber: '+01-123-456-7890',
    });
  });

  it('modifies neither argument', () => {
    const target = { a: { b: 1, c: [1, 2] } };
    const patch = { a: { b: null, d: { e: 1 } } };
    const t = structuredClone(target);
    const p = structuredClone(patch);
    applyMergePatch(target, patch);
    expect(target).toStrictEqual(t);
    expect(patch).toStrictEqual(p);
  });

  it('a __proto__ member stays a member and never becomes the prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}');
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
  });
});

describe('mergePatchPointers', () => {
  it('names every member, parents first, escaped as RFC 6901', () => {
    expect(mergePatchPointers({ properties: { name: 'x', 'a/b~c': null }, geometry: { coordinates: [1, 2] } }))
      .toEqual(['/properties', '/properties/name', '/properties/a~1b~0c', '/geometry', '/geometry/coordinates']);
    expect(mergePatchPointers([1])).toEqual([]);
  });
});
