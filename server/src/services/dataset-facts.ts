import type { Queryable } from '../db/index.ts';
import type { AuthUser } from '../plugins/auth.ts';
import * as meta from '../repositories/meta.repository.ts';
import { COMPANION_SOURCES } from '../import/import-official.ts';

// Dataset facts follow the data actually present, per district: whether a district is the
// fictional demo, and whose data it is (attribution). One global flag written by each import
// used to mix them up (the demo badge vanished for everyone after an official import).

export interface District {
  ars: string;
  name: string;
  demo: boolean;
  sources: string[];
}

export interface DatasetFacts {
  dataset: { demo: boolean; name?: string; description_de?: string; description_en?: string };
  districts: District[];
  sources: meta.DataSource[];
}

/**
 * The districts whose facts a caller sees: a coordinator their own Kreise (so the header names
 * their district); everyone else, and the anonymous public map, all of them, since attribution
 * and the demo notice are owed to anyone shown the map.
 */
export function factsScope(user: AuthUser | null): readonly string[] | null {
  return user?.role === 'coordinator' ? user.districts : null;
}

/** A name for several districts: their Land when all lie in one loaded Land, else their names, else a count. */
function summaryName(rows: meta.DistrictFacts[]): string | undefined {
  if (rows.length === 0) return undefined;
  if (rows.length === 1) return rows[0]!.name;
  const lands = new Set(rows.map((r) => r.land_name));
  if (lands.size === 1 && rows[0]!.land_name) return rows[0]!.land_name;
  return rows.length <= 3 ? rows.map((r) => r.name).join(' · ') : `${rows.length} Kreise`;
}

export async function datasetFacts(db: Queryable, scope: readonly string[] | null): Promise<DatasetFacts> {
  const [rows, allSources, demoFacts] = await Promise.all([
    meta.listDistricts(db, scope),
    meta.listSources(db),
    meta.getMeta<{ demo?: boolean; description_de?: string; description_en?: string }>(db, 'dataset'),
  ]);
  const districts = rows.map((r) => ({
    ars: r.ars, name: r.name, demo: r.demo,
    sources: [...new Set(r.sources.flatMap((s) => [s, ...(COMPANION_SOURCES[s] ?? [])]))].sort(),
  }));
  const demo = districts.some((d) => d.demo);
  const used = new Set(districts.flatMap((d) => d.sources));
  const name = summaryName(rows);
  const described = demo && demoFacts?.demo ? { description_de: demoFacts.description_de, description_en: demoFacts.description_en } : {};
  return {
    dataset: { demo, ...(name === undefined ? {} : { name }), ...described },
    districts,
    sources: allSources.filter((s) => used.has(s.key)),
  };
}
