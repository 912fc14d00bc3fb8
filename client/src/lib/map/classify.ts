// Classed choropleth: class boundaries (quantile or Jenks natural breaks) and colour-blind-safe
// ramps. Pure functions without DOM or MapLibre, unit-tested in tests/unit/classify.test.ts.

export type ClassMethod = 'quantile' | 'jenks';

export interface ClassInfo {
  /** Lower boundary (inclusive); the next class's lower boundary is this class's upper limit. */
  lower: number;
  /** Smallest and largest value actually in the class, as the legend shows them. */
  min: number;
  max: number;
  count: number;
  color: string;
}

export interface Classification {
  classes: ClassInfo[];
  /** How many regions have no value (shown hatched, not coloured). */
  noData: number;
}

// Viridis (matplotlib), light to dark so that more reads as darker; readable with the common
// colour vision deficiencies and in greyscale print.
const VIRIDIS: Record<number, string[]> = {
  1: ['#21918c'],
  2: ['#fde725', '#31688e'],
  3: ['#fde725', '#21918c', '#440154'],
  4: ['#fde725', '#35b779', '#31688e', '#440154'],
  5: ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'],
  6: ['#fde725', '#7ad151', '#22a884', '#2a788e', '#414487', '#440154'],
  7: ['#fde725', '#90d743', '#35b779', '#21918c', '#31688e', '#443983', '#440154'],
};
export const MAX_CLASSES = 7;

export function ramp(k: number): string[] {
  return VIRIDIS[Math.min(Math.max(Math.round(k), 1), MAX_CLASSES)]!;
}

const ascending = (a: number, b: number) => a - b;
const unique = (xs: number[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]);

/** Lower boundaries of k classes with (about) equal counts; ties never split across classes. */
export function quantileBreaks(values: readonly number[], k: number): number[] {
  const sorted = [...values].sort(ascending);
  const n = sorted.length;
  if (n === 0) return [];
  const lowers: number[] = [];
  for (let i = 0; i < k; i++) lowers.push(sorted[Math.floor((i * n) / k)]!);
  return unique(lowers);
}

/**
 * Lower boundaries of k classes by Fisher-Jenks natural breaks: the contiguous grouping of the
 * sorted values with the least sum of squared deviations from each group's mean (dynamic
 * programming, O(k·n²), fine for the few thousand regions of a Land).
 */
export function jenksBreaks(values: readonly number[], k: number): number[] {
  const x = [...values].sort(ascending);
  const n = x.length;
  if (n === 0) return [];
  const kk = Math.min(k, unique(x).length);
  // Prefix sums give any group's squared deviation in O(1).
  const s1 = [0];
  const s2 = [0];
  for (const v of x) {
    s1.push(s1[s1.length - 1]! + v);
    s2.push(s2[s2.length - 1]! + v * v);
  }
  const ssd = (i: number, j: number) => {
    const m = j - i;
    const sum = s1[j]! - s1[i]!;
    return s2[j]! - s2[i]! - (sum * sum) / m;
  };
  // cost[c][j]: best cost of the first j values in c+1 groups; start[c][j]: where the last group begins.
  const cost: number[][] = [];
  const start: number[][] = [];
  for (let c = 0; c < kk; c++) {
    cost.push(new Array<number>(n + 1).fill(Infinity));
    start.push(new Array<number>(n + 1).fill(0));
  }
  for (let j = 1; j <= n; j++) cost[0]![j] = ssd(0, j);
  for (let c = 1; c < kk; c++) {
    for (let j = c + 1; j <= n; j++) {
      for (let i = c; i < j; i++) {
        const v = cost[c - 1]![i]! + ssd(i, j);
        if (v < cost[c]![j]!) {
          cost[c]![j] = v;
          start[c]![j] = i;
        }
      }
    }
  }
  const lowers: number[] = [];
  let j = n;
  for (let c = kk - 1; c > 0; c--) {
    const i = start[c]![j]!;
    lowers.unshift(x[i]!);
    j = i;
  }
  lowers.unshift(x[0]!);
  return unique(lowers);
}

/** The class of a value: the last class whose lower boundary it reaches. */
export function classIndex(value: number, lowers: readonly number[]): number {
  let i = 0;
  while (i + 1 < lowers.length && value >= lowers[i + 1]!) i++;
  return i;
}

export function classify(values: readonly (number | null)[], method: ClassMethod, k: number): Classification {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lowers = method === 'jenks' ? jenksBreaks(present, k) : quantileBreaks(present, k);
  const colors = ramp(lowers.length);
  const classes: ClassInfo[] = lowers.map((lower, i) => ({ lower, min: Infinity, max: -Infinity, count: 0, color: colors[i]! }));
  for (const v of present) {
    const c = classes[classIndex(v, lowers)]!;
    c.count++;
    c.min = Math.min(c.min, v);
    c.max = Math.max(c.max, v);
  }
  return { classes: classes.filter((c) => c.count > 0), noData: values.length - present.length };
}
