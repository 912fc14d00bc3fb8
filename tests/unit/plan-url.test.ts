import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseNumberText, RULES, textOfNumber } from '../../client/src/lib/state/number-text.ts';
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

describe('the text of a planning input and the typed scenario (number-text.ts)', () => {
  it('never throws on what an input binding may hand over: a number, null, undefined', () => {
    // The bug: bind:value on a number input gives a number, and `.trim()` on it threw.
    expect(parseNumberText(5, RULES.deviation)).toEqual({ ok: true, value: 5 });
    expect(parseNumberText(null, RULES.deviation)).toEqual({ ok: false });
    expect(parseNumberText(undefined, RULES.bound)).toEqual({ ok: true, value: undefined });
  });

  it('takes only what the URL and the engine keep', () => {
    expect(parseNumberText(' 12.5 ', RULES.deviation)).toEqual({ ok: true, value: 12.5 });
    expect(parseNumberText('12,5', RULES.deviation)).toEqual({ ok: true, value: 12.5 });
    expect(parseNumberText('1.2345', RULES.deviation)).toEqual({ ok: false });
    expect(parseNumberText('-1', RULES.deviation)).toEqual({ ok: false });
    expect(parseNumberText('', RULES.deviation)).toEqual({ ok: false });
    expect(parseNumberText('abc', RULES.credit)).toEqual({ ok: false });
    expect(parseNumberText('10.5', RULES.credit)).toEqual({ ok: false });
    expect(parseNumberText('2.5', RULES.bound)).toEqual({ ok: false });
    expect(parseNumberText('', RULES.n)).toEqual({ ok: false });
    expect(parseNumberText('1000001', RULES.n)).toEqual({ ok: false });
    expect(textOfNumber(undefined)).toBe('');
    expect(textOfNumber(Number.NaN)).toBe('');
    expect(textOfNumber(0.5)).toBe('0.5');
  });

  it('shows again exactly the number a valid text stood for', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9_999_999_000 }), (thousandths) => {
      const v = thousandths / 1000;
      const r = parseNumberText(textOfNumber(v), RULES.deviation);
      expect(r).toEqual({ ok: true, value: v });
    }));
  });
});

describe('every planning control round-trips through the URL', () => {
  /** The scenario after a control changed, written to the URL and read back. */
  const roundTrip = (v: PlanView) => parse(write(v).toString());
  const deviation = (unit: 'percent' | 'persons', text: string): PlanView => {
    const r = parseNumberText(text, RULES.deviation);
    if (!r.ok || r.value === undefined) throw new Error(`invalid ${text}`);
    return { ...DEFAULT_PLAN, maxDeviation: { unit, value: r.value } };
  };

  it.each([
    ['deviation in percent', deviation('percent', '12.5'), 'dev=percent%3A12.5'],
    ['deviation in persons', deviation('persons', '5'), 'dev=persons%3A5'],
    ['deviation of zero persons', deviation('persons', '0'), 'dev=persons%3A0'],
    ['minimum', { ...DEFAULT_PLAN, bounds: { '010990019000': { min: 2 } } }, 'b=010990019000%3A2-'],
    ['maximum', { ...DEFAULT_PLAN, bounds: { '010990019000': { max: 0 } } }, 'b=010990019000%3A-0'],
    ['excluded', { ...DEFAULT_PLAN, excluded: ['010990019000'] }, 'ex=010990019000'],
    ['credit', { ...DEFAULT_PLAN, credit: 0.3 }, 'credit=0.3'],
    ['aggregate weight', { ...DEFAULT_PLAN, weights: { ...zeroWeights(), kita_free: 0.35 } }, 'w=kita_free%3A0.35'],
    ['household weight', { ...DEFAULT_PLAN, kind: 'households', weights: { ...zeroWeights(), language_match: 0.6 } }, 'pk=households&w=language_match%3A0.6'],
    ['unknown capacities', { ...DEFAULT_PLAN, unknownCapacity: 'unlimited' }, 'uc=unlimited'],
    ['N', { ...DEFAULT_PLAN, n: 0 }, 'n=0'],
  ] as [string, PlanView, string][])('%s: set, written, read back; unset, nothing written', (_name, v, url) => {
    expect(write(v).toString()).toBe(url);
    expect(roundTrip(v)).toEqual(v);
    expect(write(roundTrip(v)).toString()).toBe(url);
    expect(write({ ...v, ...pickDefaults(v) }).toString()).toBe('');
  });

  it('an unticked deviation limit is not in the URL, whatever unit and value were typed', () => {
    expect(write({ ...deviation('persons', '5'), maxDeviation: null }).has('dev')).toBe(false);
    expect(parse('dev=persons:5&n=40').maxDeviation).toEqual({ unit: 'persons', value: 5 });
  });

  it('parse(write(x)) = x for generated scenarios', () => {
    const key = fc.stringMatching(/^[0-9]{12}$/);
    const thousandths = (max: number) => fc.integer({ min: 0, max: max * 1000 }).map((t) => t / 1000);
    const plan = fc.record({
      kind: fc.constantFrom('aggregate', 'households'),
      n: fc.integer({ min: 0, max: 1_000_000 }),
      weights: fc.record(Object.fromEntries(Object.keys(zeroWeights()).map((k) => [k, thousandths(10)]))) as unknown as fc.Arbitrary<PlanView['weights']>,
      maxDeviation: fc.option(fc.record({ unit: fc.constantFrom('percent', 'persons'), value: thousandths(9_999_999) }), { nil: null }),
      credit: thousandths(10),
      unknownCapacity: fc.constantFrom('none', 'unlimited'),
      excluded: fc.uniqueArray(key, { maxLength: 4 }).map((a) => a.sort()),
      bounds: fc.dictionary(key, fc.record({ min: fc.integer({ min: 0, max: 1_000_000 }), max: fc.integer({ min: 0, max: 1_000_000 }) }, { requiredKeys: [] })
        .filter((b) => b.min !== undefined || b.max !== undefined)),
    }).map((p) => ({ ...DEFAULT_PLAN, ...p }) as PlanView);
    fc.assert(fc.property(plan, (v) => {
      expect(roundTrip(v)).toEqual(v);
    }));
  });
});

/** The control's fields at their default. */
function pickDefaults(v: PlanView): Partial<PlanView> {
  return Object.fromEntries(Object.keys(v).map((k) => [k, DEFAULT_PLAN[k as keyof PlanView]])) as Partial<PlanView>;
}
