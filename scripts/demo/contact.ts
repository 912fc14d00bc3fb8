import type { Gemeinde } from './regions.ts';
import type { Random } from './random.ts';

/**
 * Addresses and contact details that cannot reach anyone: example.org (RFC 2606) for mail and
 * web, and telephone numbers from the block the Bundesnetzagentur keeps free for films and
 * books (Hamburg, 040 66969 000-999; Mitteilung 148/2021).
 */
const TOWN_STREETS = [
  'Am Markt', 'Bahnhofstraße', 'Rathausplatz', 'Holstenstraße', 'Süderstraße', 'Norderstraße',
  'Gartenstraße', 'Lindenallee', 'Schulstraße', 'Hafenstraße', 'Neue Straße', 'Am Mühlenteich',
] as const;
const VILLAGE_STREETS = [
  'Dorfstraße', 'Hauptstraße', 'Schulweg', 'Kirchenweg', 'Am Sportplatz', 'Mühlenweg', 'Birkenweg',
  'Achter de Möhl', 'Am Kamp', 'Wiesengrund', 'Eichenweg', 'Osterstraße',
] as const;

export interface Address {
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
}

export function addressIn(gemeinde: Gemeinde, rng: Random): Address {
  const town = gemeinde.population >= 5_000;
  const street = `${rng.pick(town ? TOWN_STREETS : VILLAGE_STREETS)} ${rng.int(1, town ? 120 : 40)}`;
  return { street, postcode: gemeinde.postcode, city: gemeinde.name };
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A slug short enough for a mail address, cut at a word boundary. */
export function shortSlug(text: string, max = 40): string {
  const full = slug(text);
  if (full.length <= max) return full;
  const cut = full.slice(0, max + 1);
  return cut.slice(0, cut.lastIndexOf('-'));
}

/** Numbers 000-999 of the drama block; callers hand out each index once. */
export function dramaPhone(index: number): string {
  if (index < 0 || index > 999) throw new Error(`no drama number ${index}`);
  return `040 66969-${String(index).padStart(3, '0')}`;
}
