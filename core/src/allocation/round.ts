/**
 * Rounds real values x_i in [lo_i, hi_i] (integer bounds) to whole persons summing to `total`
 * by largest remainders. Ties go to the lower index; callers pass units sorted by key, so ties
 * are broken by key. Because floor(x_i) >= lo_i and ceil(x_i) <= hi_i, no bound is crossed.
 */
export function roundWithinBounds(
  x: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  total: number,
): number[] {
  const seats = x.map((xi, i) => Math.min(hi[i]!, Math.max(lo[i]!, Math.floor(xi))));
  const remainders = x.map((xi, i) => xi - seats[i]!);
  // The floors never exceed the total (sum of floors <= sum of x = total); floating-point error
  // only shows as a remainder close to 1, which then ranks first.
  let missing = total - seats.reduce((sum, s) => sum + s, 0);
  const order = x
    .map((_, i) => i)
    .filter((i) => seats[i]! < hi[i]!)
    .sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (const i of order) {
    if (missing <= 0) break;
    seats[i]! += 1;
    missing -= 1;
  }
  if (missing !== 0) throw new Error(`rounding left ${missing} persons over; bounds infeasible`);
  return seats;
}
