/**
 * The LIKE patterns on a Gemeinde's (or any region's) ARS that express both a region filter
 * (an ARS prefix) and the districts a user may read (Kreis ARS; null = all). One text[] SQL
 * parameter, `ars LIKE ANY($n)`, so every layer query states scope and filter the same way.
 * An empty array matches nothing: a user without districts sees no rows.
 */
export function regionPatterns(prefix: string | null, districts: readonly string[] | null | undefined): string[] | null {
  const kreise = districts?.map((d) => d.slice(0, 5)) ?? null;
  if (kreise === null) return prefix === null ? null : [`${prefix}%`];
  if (prefix === null) return kreise.map((k) => `${k}%`);
  // A region inside a readable Kreis keeps its own prefix; a wider one (a Land) narrows to
  // the readable Kreise within it.
  if (kreise.some((k) => prefix.startsWith(k))) return [`${prefix}%`];
  return kreise.filter((k) => k.startsWith(prefix)).map((k) => `${k}%`);
}
