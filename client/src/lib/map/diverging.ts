// Diverging classes for signed whole numbers (deviation from the legal key, the difference of two
// plans): one neutral class for exactly zero and up to two classes on each side, symmetric, so
// that the same colour means the same size of deviation above and below. Pure, unit-tested.
import type { Classification, ClassInfo } from './classify.ts';

// ColorBrewer PuOr (5 classes): orange below, purple above, near-white for zero. Readable with
// the common colour vision deficiencies and distinct in greyscale by lightness.
export const DIVERGING = ['#e66101', '#fdb863', '#f7f7f7', '#b2abd2', '#5e3c99'] as const;

/**
 * The classes' lower boundaries are whole numbers: values are rounded first, so a class
 * "1 to 2" holds exactly the values 1 and 2. `t` is where a deviation counts as strong.
 */
export function divergingClasses(values: readonly (number | null)[]): Classification {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v)).map((v) => Math.round(v));
  const extent = present.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const t = Math.max(1, Math.ceil(extent / 2));
  // Ordered from the most negative class up; a class's upper limit is the next one's lower.
  const lowers = [-Infinity, -(t - 1), 0, 1, t];
  const classes: ClassInfo[] = lowers.map((lower, i) => ({ lower, min: Infinity, max: -Infinity, count: 0, color: DIVERGING[i]! }));
  for (const v of present) {
    const i = v <= -t ? 0 : v < 0 ? 1 : v === 0 ? 2 : v < t ? 3 : 4;
    const c = classes[i]!;
    c.count++;
    c.min = Math.min(c.min, v);
    c.max = Math.max(c.max, v);
  }
  return { classes: classes.filter((c) => c.count > 0), noData: values.length - present.length };
}
