import { ProblemType } from '@ilk/core';
import { HttpProblem } from '../errors.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { kreisOf } from './scope.ts';

/**
 * The Kreise (ARS) a user may read: null for the roles that see every district (admin, ministry,
 * analyst). Coordinators see their own districts only; any other role sees none (deny by default).
 */
export function readableDistricts(user: AuthUser): readonly string[] | null {
  if (user.role === 'admin' || user.role === 'ministry' || user.role === 'analyst') return null;
  return user.role === 'coordinator' ? user.districts : [];
}

/** The same for a request that may be anonymous (the public offer map sees all offers). */
export function requestDistricts(user: AuthUser | null): readonly string[] | null {
  return user ? readableDistricts(user) : null;
}

/** 403 unless the region with this ARS lies in a district the user may read. */
export function assertMayRead(user: AuthUser, ars: string | null, what: string): void {
  const districts = readableDistricts(user);
  if (districts === null || (ars !== null && districts.includes(kreisOf(ars)))) return;
  throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', `${what} lies outside the districts you may see`);
}
