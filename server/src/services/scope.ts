import { ProblemType } from '@ilk/core';
import { HttpProblem } from '../errors.ts';
import type { AuthUser } from '../plugins/auth.ts';

/** The Kreis an ARS lies in: its first five digits, padded (ARS: Land 2, RB 1, Kreis 2, ...). */
export const kreisOf = (ars: string) => `${ars.slice(0, 5)}0000000`;

/**
 * Coordinators edit only inside their own Kreise; admins everywhere. `ars` is the region the
 * record lies in (null when it lies in no known Gemeinde).
 */
export function assertMayEdit(user: AuthUser, ars: string | null, what: string): void {
  if (user.role === 'admin') return;
  if (user.role === 'coordinator' && ars && user.districts.includes(kreisOf(ars))) return;
  throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', `${what} lies outside the districts you may edit`);
}
