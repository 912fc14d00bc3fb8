// The one conversion between the text of a number input and the typed planning state. Inputs are
// never bound with bind:value (Svelte hands a number, or null, to a number input's binding, and
// code that then treats it as text throws: "E(...).trim is not a function"); they show
// `textOfNumber(state)` and hand `e.currentTarget.value` (always a string) to `parseNumberText`.
// Pure, unit-tested; no runes, no DOM.

export interface NumberRule {
  min: number;
  max: number;
  /** Only whole numbers. */
  integer?: boolean;
  /** At most this many decimals (what the URL keeps); more is an error, not a silent rounding. */
  decimals?: number;
  /** An empty input is a valid "no value" (undefined) instead of an error. */
  optional?: boolean;
}

export type ParsedNumber = { ok: true; value: number | undefined } | { ok: false };

/**
 * The number an input's text stands for under the rule. Accepts whatever a caller may hold
 * (a number or null from an old binding, too), so no caller can throw on it.
 */
export function parseNumberText(text: unknown, rule: NumberRule): ParsedNumber {
  const s = typeof text === 'number' ? String(text) : typeof text === 'string' ? text.trim() : '';
  if (s === '') return rule.optional ? { ok: true, value: undefined } : { ok: false };
  // A decimal comma is what a German user may type where the browser lets it through.
  const v = Number(s.replace(',', '.'));
  if (!Number.isFinite(v) || v < rule.min || v > rule.max) return { ok: false };
  if (rule.integer && !Number.isSafeInteger(v)) return { ok: false };
  if (rule.decimals !== undefined && Number(v.toFixed(rule.decimals)) !== v) return { ok: false };
  return { ok: true, value: v };
}

/** The text an input shows for a state value ('' for none). */
export const textOfNumber = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));

/** The rules of the planning controls, as the engine and plan-url.ts accept them. */
export const RULES = {
  n: { min: 0, max: 1_000_000, integer: true },
  bound: { min: 0, max: 1_000_000, integer: true, optional: true },
  credit: { min: 0, max: 10, decimals: 3 },
  deviation: { min: 0, max: 9_999_999, decimals: 3 },
} as const satisfies Record<string, NumberRule>;
