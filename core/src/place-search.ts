// Finding a Gemeinde or an Amt by a typed name: the partners' place picker. Pure, so the ranking
// and the typo suggestions are unit-tested; the list itself comes from GET /api/partner/regions.

export interface Place {
  key: string;
  level: string;
  kind: string;
  name: string;
  /** The Verband (Amt) a Gemeinde belongs to; null for a Verband. */
  parent_name: string | null;
  kreis_name: string | null;
}

export interface PlaceMatch<P extends Place = Place> {
  place: P;
  /** 0 exact, 1 the name starts with the query, 2 a word of it does, 3 it contains the query. */
  rank: number;
}

// Umlauts typed as ae/oe/ue and ß as ss find the same place as the letters themselves: both
// sides are folded alike, so the fold only widens matches and never hides one.
const FOLDS: [RegExp, string][] = [[/ae/g, 'a'], [/oe/g, 'o'], [/ue/g, 'u']];

/** Lower case, without diacritics, ae/oe/ue/ß folded, punctuation as single spaces. */
export function foldName(s: string): string {
  let t = s.toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  for (const [re, to] of FOLDS) t = t.replace(re, to);
  return t.replace(/[^a-z0-9]+/g, ' ').trim();
}

function rankOf(name: string, q: string): number | null {
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  if (name.split(' ').some((w) => w.startsWith(q))) return 2;
  return name.includes(q) ? 3 : null;
}

/**
 * The places whose name matches the query, best first: exact, prefix, word prefix, substring;
 * within a rank shorter names first (the one typed in full), then alphabetically.
 */
export function searchPlaces<P extends Place>(places: readonly P[], query: string, limit = 12): PlaceMatch<P>[] {
  const q = foldName(query);
  if (!q) return [];
  const hits: (PlaceMatch<P> & { folded: string })[] = [];
  for (const place of places) {
    const folded = foldName(place.name);
    const rank = rankOf(folded, q);
    if (rank !== null) hits.push({ place, rank, folded });
  }
  hits.sort((a, b) => a.rank - b.rank || a.folded.length - b.folded.length || a.place.name.localeCompare(b.place.name, 'de') || a.place.level.localeCompare(b.place.level));
  return hits.slice(0, limit).map(({ place, rank }) => ({ place, rank }));
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Typos allowed for a query of this length: none below 4 letters, then one per four letters, at most 3. */
export const allowedTypos = (length: number) => (length < 4 ? 0 : Math.min(3, Math.max(1, Math.floor(length / 4))));

/**
 * "Did you mean": for a query nothing matches, the places whose name (or a word of it, or its
 * beginning as long as the query) is within a few typos, closest first. Empty when none is.
 */
export function suggestPlaces<P extends Place>(places: readonly P[], query: string, limit = 3): P[] {
  const q = foldName(query);
  const max = allowedTypos(q.length);
  if (max === 0) return [];
  const scored: { place: P; d: number }[] = [];
  for (const place of places) {
    const name = foldName(place.name);
    const candidates = [name, name.slice(0, q.length), ...name.split(' ')];
    const d = Math.min(...candidates.map((c) => editDistance(q, c)));
    if (d <= max) scored.push({ place, d });
  }
  scored.sort((a, b) => a.d - b.d || a.place.name.localeCompare(b.place.name, 'de'));
  return scored.slice(0, limit).map((s) => s.place);
}
