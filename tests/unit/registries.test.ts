import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import {
  AUTO_INDICATOR_KEYS, CATEGORIES, CATEGORY_KEYS, CRITERIA, CRITERION_KEYS, CriterionWeightsSchema, HOUSEHOLD_WEIGHT_KEYS,
  INDICATOR_KEYS, INDICATOR_PROPERTIES, INDICATORS, LANGS, MATCHING_WEIGHT_KEYS, MatchingWeightsSchema, WEIGHTS, SUBCATEGORIES, weightKeys,
} from '@ilk/core';
import { INDICATORS as CLIENT_INDICATORS, parseView, serializeView, DEFAULT_VIEW } from '../../client/src/lib/state/view-url.ts';
import { AUTO_INDICATORS, INDICATOR_DIGITS } from '../../client/src/lib/map/indicators.ts';

const complete = (labels: Record<string, string>) => LANGS.every((l) => typeof labels[l] === 'string' && labels[l]!.trim().length > 0);
const unique = (keys: readonly string[]) => new Set(keys).size === keys.length;

describe('every registry entry has a label in every language', () => {
  it.each(INDICATOR_KEYS)('indicator %s', (k) => expect(complete(INDICATORS[k].labels)).toBe(true));
  it.each(MATCHING_WEIGHT_KEYS)('weight %s (name and effect)', (k) => {
    expect(complete(WEIGHTS[k].labels)).toBe(true);
    expect(complete(WEIGHTS[k].effect)).toBe(true);
  });
  it.each(CATEGORY_KEYS)('category %s', (k) => expect(complete(CATEGORIES[k].labels)).toBe(true));
  it.each(SUBCATEGORIES.map((s) => s.key))('subcategory %s', (k) => expect(complete(SUBCATEGORIES.find((s) => s.key === k)!.labels)).toBe(true));
  it('no registry carries a language outside LANGS', () => {
    const all = [...INDICATOR_KEYS.map((k) => INDICATORS[k].labels), ...MATCHING_WEIGHT_KEYS.map((k) => WEIGHTS[k].labels), ...CATEGORY_KEYS.map((k) => CATEGORIES[k].labels), ...SUBCATEGORIES.map((s) => s.labels)];
    for (const labels of all) expect(Object.keys(labels).sort()).toEqual([...LANGS].sort());
  });
});

describe('keys are unique and well-formed', () => {
  it.each([['indicators', INDICATOR_KEYS], ['weights', MATCHING_WEIGHT_KEYS], ['categories', CATEGORY_KEYS], ['subcategories', SUBCATEGORIES.map((s) => s.key)]] as const)('%s', (_, keys) => {
    expect(unique(keys)).toBe(true);
    for (const k of keys) expect(k).toMatch(/^[a-z][a-z0-9_]{1,39}$/);
  });
  it('category colours are #rrggbb and distinct', () => {
    const colors = CATEGORY_KEYS.map((k) => CATEGORIES[k].color);
    for (const c of colors) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(unique(colors)).toBe(true);
  });
});

describe('weights schemas equal the weights registry', () => {
  it('aggregate weights: one optional property per criterion, nothing else', () => {
    expect(Object.keys(CriterionWeightsSchema.properties)).toEqual([...CRITERION_KEYS]);
    expect(CriterionWeightsSchema.required ?? []).toEqual([]);
    expect((CriterionWeightsSchema as { additionalProperties?: unknown }).additionalProperties).toBe(false);
    expect(weightKeys('aggregate')).toEqual([...CRITERION_KEYS]);
  });
  it('household weights: the criteria plus the household-only weights', () => {
    expect(Object.keys(MatchingWeightsSchema.properties)).toEqual([...CRITERION_KEYS, ...HOUSEHOLD_WEIGHT_KEYS]);
    expect(weightKeys('households')).toEqual([...MATCHING_WEIGHT_KEYS]);
  });
  it('accepts every registry key and refuses others', () => {
    const all = Object.fromEntries(CRITERION_KEYS.map((k) => [k, 1]));
    expect(Value.Check(CriterionWeightsSchema, all)).toBe(true);
    expect(Value.Check(CriterionWeightsSchema, { ...all, language_match: 1 })).toBe(false);
    expect(Value.Check(MatchingWeightsSchema, { ...all, language_match: 1 })).toBe(true);
    expect(Value.Check(CriterionWeightsSchema, { not_a_weight: 1 })).toBe(false);
  });
  it('the engine reads direction and scale from the registry', () => {
    for (const k of CRITERION_KEYS) {
      expect(CRITERIA[k]).toBe(WEIGHTS[k]);
      expect(['count', 'rate']).toContain(CRITERIA[k].scale);
    }
    expect(CRITERIA.load.direction).toBe(-1);
    expect(CRITERIA.housing_free.direction).toBe(1);
  });
});

describe('the client derives its indicator lists from the registry', () => {
  it('URL state, digits and the automatic order', () => {
    expect([...CLIENT_INDICATORS]).toEqual([...INDICATOR_KEYS]);
    for (const k of INDICATOR_KEYS) expect(INDICATOR_DIGITS[k]).toBe(INDICATORS[k].digits);
    expect(AUTO_INDICATORS).toEqual(AUTO_INDICATOR_KEYS);
    expect(AUTO_INDICATORS).not.toContain('open_needs');
    expect(AUTO_INDICATORS[0]).toBe('refugees_per_1000');
  });
  it('every registry indicator survives a round trip through the URL', () => {
    for (const k of INDICATOR_KEYS) {
      const view = { ...DEFAULT_VIEW, indicator: k, indicatorChosen: true };
      expect(parseView(serializeView(view)).indicator).toBe(k);
    }
  });
  it('indicator properties are the ones carried by the region layer', () => {
    expect([...INDICATOR_PROPERTIES].sort()).toEqual(['housing_free_per_1000', 'open_needs', 'population', 'refugees_per_1000']);
  });
});
