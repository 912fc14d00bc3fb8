import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, parsePlanView, writePlanView, zeroWeights, type PlanView } from '../../client/src/lib/state/plan-url.ts';

const write = (v: PlanView) => {
  const p = new URLSearchParams();
  writePlanView(p, v);
  return p;
};
const parse = (s: string) => parsePlanView(new URLSearchParams(s));

describe('the planning scenario in the URL hash', () => {
  it('writes nothing for the default scenario', () => {
    expect(write(DEFAULT_PLAN).toString()).toBe('');
    expect(parse('')).toEqual(DEFAULT_PLAN);
  });

  it('restores every field it writes', () => {
    const v: PlanView = {
      kind: 'households', n: 120, weights: { ...zeroWeights(), kita_free: 0.55, load: 1, language_match: 0.25 },
      maxDeviation: { unit: 'persons', value: 3 }, credit: 0.5, unknownCapacity: 'unlimited', excluded: ['010995908000', '010995903000'],
      bounds: { '010990019000': { min: 2, max: 10 }, '010995901000': { max: 4 } }, measure: 'deviation', tab: 'compare',
      open: 7, compare: [3, 4],
    };
    const p = write(v);
    expect(p.get('w')).toBe('kita_free:0.55,load:1,language_match:0.25');
    expect(p.get('b')).toBe('010990019000:2-10,010995901000:-4');
    expect(p.get('uc')).toBe('unlimited');
    expect(parse(p.toString())).toEqual({ ...v, excluded: ['010995903000', '010995908000'] });
  });

  it('leaves out an N that is not a whole number while it is being typed', () => {
    expect(write({ ...DEFAULT_PLAN, n: Number.NaN }).has('n')).toBe(false);
    expect(write({ ...DEFAULT_PLAN, n: 2.5 }).has('n')).toBe(false);
  });

  it('ignores values it does not know instead of failing', () => {
    const v = parse('pk=nope&n=-3&w=kita_free:11,load:-1,unknown:1,school_free:0.5,health_care:&dev=percent:x&credit=11&ex=123,010990019000,010990019000&b=1:2-3,010990030000:x-5,010990019000:-5&pv=x&ptab=x&plan=0&cmp=1,2,3&uc=0');
    expect(v).toEqual({
      ...DEFAULT_PLAN, weights: { ...zeroWeights(), school_free: 0.5 }, excluded: ['010990019000'],
      bounds: { '010990019000': { max: 5 } }, tab: 'result',
    });
  });

  it('counts unknown capacities as no room unless the link says otherwise', () => {
    expect(parse('').unknownCapacity).toBe('none');
    expect(parse('uc=unlimited').unknownCapacity).toBe('unlimited');
    expect(parse('uc=infinite').unknownCapacity).toBe('none');
    expect(write({ ...DEFAULT_PLAN, unknownCapacity: 'none' }).has('uc')).toBe(false);
  });

  it('keeps a closed drawer apart from the default tab', () => {
    expect(write({ ...DEFAULT_PLAN, tab: null }).get('ptab')).toBe('-');
    expect(parse('ptab=-').tab).toBeNull();
  });
});
