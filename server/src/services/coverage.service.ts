import { ProblemType } from '@ilk/core';
import { parseThresholds, type CoverageQuery, type WhiteSpotQuery } from '@ilk/core/schemas/coverage';
import type { Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import { HttpProblem, badRequest } from '../errors.ts';
import type { CoverageFilter } from '../repositories/coverage.repository.ts';
import { regionPrefix } from './export.ts';
import { assertMayRead, readableDistricts } from './read-scope.ts';

/** 400 for a subcategory of another category, 404 for an unknown parent, 403 outside a coordinator's districts. */
export async function coverageFilter(db: Queryable, user: AuthUser, q: CoverageQuery | WhiteSpotQuery): Promise<CoverageFilter> {
  if (q.subcategory) {
    const { rows } = await db.query<{ category_key: string }>('SELECT category_key FROM offer_subcategories WHERE key = $1', [q.subcategory]);
    if (rows[0]?.category_key !== q.category) {
      throw badRequest(`subcategory ${q.subcategory} is not a subcategory of ${q.category}`, [{ field: 'subcategory', message: `is not a subcategory of ${q.category}` }]);
    }
  }
  const prefix = await regionPrefix(db, q.parent);
  if (q.parent) assertMayRead(user, q.parent, 'the region');
  return { category: q.category, subcategory: q.subcategory ?? null, freeOnly: q.free_only ?? false, regionPrefix: prefix, districts: readableDistricts(user) };
}

export function thresholdsOf(q: CoverageQuery): number[] {
  const km = parseThresholds(q.thresholds);
  if (!km) throw badRequest('thresholds must be whole km between 1 and 200', [{ field: 'thresholds', message: 'must be whole km between 1 and 200' }]);
  return km;
}

/** A Land figure mixes districts: coordinators, who see only their own, ask for their Kreise instead. */
export function assertMayReadLevel(user: AuthUser, level: string): void {
  if (level === 'land' && readableDistricts(user) !== null) {
    throw new HttpProblem(403, ProblemType.forbidden, 'Forbidden', 'the Land figure includes districts you may not see; ask for level=kreis');
  }
}
