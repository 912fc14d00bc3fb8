// Projection of desired targets onto the box [lo, hi] with a fixed total by one common scale
// factor ("water-filling"): x_i = clamp(s * w_i, lo_i, hi_i) with s chosen so that the x_i sum to
// the total. A common factor keeps proportions between unconstrained units and makes the result
// monotone: raising one unit's weight or cap can only lower the others, never itself.

export interface Projection {
  x: number[];
  /** s * w_i before clamping, for telling which bound binds. */
  desired: number[];
}

interface Event {
  at: number;
  i: number;
  start: boolean;
}

/** Requires sum(lo) <= total <= sum over w > 0 of hi plus sum over w = 0 of lo. */
export function waterFill(
  w: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  total: number,
): Projection {
  const events: Event[] = [];
  let constant = 0;
  for (let i = 0; i < w.length; i++) {
    constant += lo[i]!;
    if (w[i]! > 0 && hi[i]! > lo[i]!) {
      events.push({ at: lo[i]! / w[i]!, i, start: true }, { at: hi[i]! / w[i]!, i, start: false });
    }
  }
  // Ties in `at` are ordered by index so that the sweep is the same for the same input.
  events.sort((a, b) => a.at - b.at || a.i - b.i || (a.start ? -1 : 1));
  let slope = 0;
  let scale = events.length > 0 ? events[events.length - 1]!.at : 0;
  if (constant >= total) scale = 0;
  else {
    for (const event of events) {
      if (slope > 0 && constant + slope * event.at >= total) {
        scale = (total - constant) / slope;
        break;
      }
      if (event.start) {
        constant -= lo[event.i]!;
        slope += w[event.i]!;
      } else {
        constant += hi[event.i]!;
        slope -= w[event.i]!;
      }
    }
  }
  const desired = w.map((wi) => scale * wi);
  const x = desired.map((d, i) => Math.min(hi[i]!, Math.max(lo[i]!, d)));
  return { x, desired };
}

/**
 * Two-phase projection. Units with a legal quota share the persons by `primary` weights; only
 * when all of them are full do units whose legal quota is zero (they already received more than
 * their share) take the rest, by `overflow` weights.
 */
export function project(
  primary: readonly number[],
  overflow: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  total: number,
): Projection & { overflow: boolean } {
  let capacity = 0;
  for (let i = 0; i < primary.length; i++) capacity += primary[i]! > 0 ? hi[i]! : lo[i]!;
  if (total <= capacity) return { ...waterFill(primary, lo, hi, total), overflow: false };
  const full = primary.map((p, i) => (p > 0 ? hi[i]! : lo[i]!));
  const second = waterFill(overflow, full, hi, total);
  const desired = second.desired.map((d, i) => (primary[i]! > 0 ? Infinity : d));
  return { x: second.x, desired, overflow: true };
}
