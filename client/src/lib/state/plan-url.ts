// The planning scenario in the URL hash (see view-url.ts): N, weights and constraints, so a link
// reproduces the suggestion its sender saw. Pure functions, unit-tested; no runes, no DOM.
import { MATCHING_WEIGHT_KEYS, type WeightKey as RegistryWeightKey } from '@ilk/core/registries/weights';
import { UNKNOWN_CAPACITY_POLICIES, type MaxDeviation, type UnknownCapacity } from '@ilk/core/allocation/types';
import { MAX_WEIGHT } from '@ilk/core/allocation/validate';

export const PLAN_KINDS = ['aggregate', 'households'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const PLAN_MEASURES = ['seats', 'deviation'] as const;
export type PlanMeasure = (typeof PLAN_MEASURES)[number];
export const PLAN_TABS = ['result', 'plans', 'compare'] as const;
export type PlanTab = (typeof PLAN_TABS)[number];

/** Household matching adds a bonus for a shared language to the criteria. */
/** Every weight, in slider order, from the weights registry in core. */
export const WEIGHT_KEYS = MATCHING_WEIGHT_KEYS;
export type WeightKey = RegistryWeightKey;
export type PlanWeights = Record<WeightKey, number>;

export interface UnitBounds {
  min?: number;
  max?: number;
}

export interface PlanView {
  kind: PlanKind;
  /** Persons to distribute (aggregate mode). */
  n: number;
  weights: PlanWeights;
  maxDeviation: MaxDeviation | null;
  /** Persons credited per shared-accommodation place; 0 = off. */
  credit: number;
  /** How units without a capacity report count: no room (default) or no housing cap. */
  unknownCapacity: UnknownCapacity;
  excluded: string[];
  bounds: Record<string, UnitBounds>;
  /** What the map shows: persons per unit, or the deviation from the legal key. */
  measure: PlanMeasure;
  tab: PlanTab | null;
  /** The saved plan shown in the plans tab. */
  open: number | null;
  compare: [number, number] | null;
}

export const zeroWeights = (): PlanWeights => Object.fromEntries(WEIGHT_KEYS.map((k) => [k, 0])) as PlanWeights;

export const DEFAULT_PLAN: PlanView = {
  kind: 'aggregate', n: 40, weights: zeroWeights(), maxDeviation: null, credit: 0, unknownCapacity: 'none', excluded: [], bounds: {},
  measure: 'seats', tab: 'result', open: null, compare: null,
};

const MAX_N = 1_000_000;
const UNIT_KEY = /^[0-9]{12}$/;
const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : fallback;
const count = (v: string | undefined | null): number | null => {
  if (v === undefined || v === null || !/^[0-9]{1,7}$/.test(v)) return null;
  const n = Number(v);
  return n <= MAX_N ? n : null;
};
const id = (v: string | undefined | null): number | null => (v && /^[1-9][0-9]{0,11}$/.test(v) ? Number(v) : null);
const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** w=kita_free:0.5,load:1 — only non-zero weights are written. */
function parseWeights(v: string | null): PlanWeights {
  const weights = zeroWeights();
  for (const part of (v ?? '').split(',')) {
    const [key, value] = part.split(':');
    const w = Number(value);
    if ((WEIGHT_KEYS as readonly string[]).includes(key ?? '') && value !== '' && Number.isFinite(w) && w >= 0 && w <= MAX_WEIGHT) {
      weights[key as WeightKey] = w;
    }
  }
  return weights;
}

/** dev=percent:10 or dev=persons:3 */
function parseDeviation(v: string | null): MaxDeviation | null {
  const m = v ? /^(percent|persons):([0-9]{1,7}(?:\.[0-9]{1,3})?)$/.exec(v) : null;
  return m ? { unit: m[1] as MaxDeviation['unit'], value: Number(m[2]) } : null;
}

/** b=010995903000:2-5,010990019000:-10 — minimum and maximum, either may be left out. */
function parseBounds(v: string | null): Record<string, UnitBounds> {
  const bounds: Record<string, UnitBounds> = {};
  for (const part of (v ?? '').split(',')) {
    const m = /^([0-9]{12}):([0-9]*)-([0-9]*)$/.exec(part);
    if (!m) continue;
    const b: UnitBounds = {};
    const min = count(m[2]);
    const max = count(m[3]);
    if (min !== null) b.min = min;
    if (max !== null) b.max = max;
    if (min !== null || max !== null) bounds[m[1]!] = b;
  }
  return bounds;
}

function parseCompare(v: string | null): [number, number] | null {
  const [a, b, ...rest] = (v ?? '').split(',');
  const x = id(a);
  const y = id(b);
  return x !== null && y !== null && rest.length === 0 ? [x, y] : null;
}

export function parsePlanView(p: URLSearchParams): PlanView {
  const d = DEFAULT_PLAN;
  const credit = Number(p.get('credit'));
  const tab = p.get('ptab');
  return {
    kind: oneOf(PLAN_KINDS, p.get('pk'), d.kind),
    n: count(p.get('n')) ?? d.n,
    weights: parseWeights(p.get('w')),
    maxDeviation: parseDeviation(p.get('dev')),
    credit: p.has('credit') && Number.isFinite(credit) && credit >= 0 && credit <= 10 ? credit : d.credit,
    unknownCapacity: oneOf(UNKNOWN_CAPACITY_POLICIES, p.get('uc'), d.unknownCapacity),
    excluded: [...new Set((p.get('ex') ?? '').split(',').filter((k) => UNIT_KEY.test(k)))],
    bounds: parseBounds(p.get('b')),
    measure: oneOf(PLAN_MEASURES, p.get('pv'), d.measure),
    tab: tab === '-' ? null : oneOf(PLAN_TABS, tab, d.tab ?? 'result'),
    open: id(p.get('plan')),
    compare: parseCompare(p.get('cmp')),
  };
}

/** Writes what differs from the default; an invalid N (while typing) is left out. */
export function writePlanView(p: URLSearchParams, v: PlanView): void {
  const d = DEFAULT_PLAN;
  if (v.kind !== d.kind) p.set('pk', v.kind);
  if (Number.isSafeInteger(v.n) && v.n >= 0 && v.n <= MAX_N && v.n !== d.n) p.set('n', String(v.n));
  const weights = WEIGHT_KEYS.filter((k) => v.weights[k] > 0).map((k) => `${k}:${round(v.weights[k], 3)}`);
  if (weights.length) p.set('w', weights.join(','));
  if (v.maxDeviation) p.set('dev', `${v.maxDeviation.unit}:${round(v.maxDeviation.value, 3)}`);
  if (v.credit !== d.credit) p.set('credit', String(round(v.credit, 3)));
  if (v.unknownCapacity !== d.unknownCapacity) p.set('uc', v.unknownCapacity);
  if (v.excluded.length) p.set('ex', [...v.excluded].sort().join(','));
  const bounds = Object.keys(v.bounds).sort().flatMap((key) => {
    const b = v.bounds[key]!;
    return b.min === undefined && b.max === undefined ? [] : [`${key}:${b.min ?? ''}-${b.max ?? ''}`];
  });
  if (bounds.length) p.set('b', bounds.join(','));
  if (v.measure !== d.measure) p.set('pv', v.measure);
  if (v.tab !== d.tab) p.set('ptab', v.tab ?? '-');
  if (v.open !== null) p.set('plan', String(v.open));
  if (v.compare) p.set('cmp', v.compare.join(','));
}
