import type { Random } from './random.ts';

/**
 * Place names built like Holstein ones (a stem and a settlement ending) from stems that no real
 * place uses, so that nothing in the demo can be mistaken for a real Gemeinde. The generated
 * list was checked once against a list of all German municipality names.
 */
const STEMS = [
  'Vehr', 'Drell', 'Bliek', 'Hürm', 'Kleev', 'Sarv', 'Wenk', 'Fiern', 'Jalk', 'Plenn', 'Rask',
  'Süll', 'Tevel', 'Ahrk', 'Gimm', 'Hask', 'Jorn', 'Kalv', 'Lemk', 'Pröb', 'Rumk', 'Terv', 'Wolv',
  'Brüm', 'Dasch', 'Gorr', 'Loth', 'Mürk', 'Ubb', 'Sprütt', 'Fleev', 'Quell', 'Strüv', 'Sköll',
  'Quorl', 'Aschk', 'Bröv', 'Dörl', 'Ellk', 'Glüv', 'Karv', 'Lüdd', 'Mävs', 'Nörk', 'Pürr', 'Ränk',
  'Schlüv', 'Tölk', 'Vörr', 'Wisk', 'Zörr', 'Bonk', 'Dünk', 'Flörk', 'Grümm', 'Hövk', 'Klüv',
  'Lorr', 'Rävs', 'Sülv', 'Tromm', 'Vilk', 'Bräm', 'Treck', 'Sielk', 'Mörv',
] as const;

const ENDINGS = [
  'stedt', 'büttel', 'hagen', 'felde', 'rade', 'dorf', 'wisch', 'au', 'beck', 'hude', 'moor',
  'horst', 'holm', 'husen', 'wohld', 'kamp', 'lund', 'trup', 'ort', 'siek', 'feld', 'tofte',
] as const;

const PREFIXES = ['Groß ', 'Klein ', 'Neu ', 'Alt '] as const;
/** More Gemeinden on one stem would read like a list, not a landscape. */
const MAX_PER_STEM = 2;

export class NameMaker {
  readonly #used: Set<string>;
  readonly #stemCount = new Map<string, number>();

  constructor(private readonly rng: Random, reserved: Iterable<string>) {
    this.#used = new Set(reserved);
  }

  /** A fresh village name; now and then with a Groß/Klein/Neu prefix, as the Geest has many. */
  village(): string {
    for (let attempt = 0; attempt < 1_000; attempt++) {
      const stem = this.rng.pick(STEMS);
      const base = stem + this.rng.pick(ENDINGS);
      const name = this.rng.chance(0.1) ? this.rng.pick(PREFIXES) + base : base;
      const count = this.#stemCount.get(stem) ?? 0;
      if (count < MAX_PER_STEM && ![...this.#used].some((u) => u.endsWith(base) || name.endsWith(u))) {
        this.#used.add(name);
        this.#stemCount.set(stem, count + 1);
        return name;
      }
    }
    throw new Error('ran out of village names');
  }

  /** A state forest with no inhabitants, named as Holstein's Forstgutsbezirke are. */
  forest(): string {
    const name = `Forstgutsbezirk ${this.rng.pick(STEMS)}wohld`;
    this.#used.add(name);
    return name;
  }
}

/** Stable German sort key: umlauts as their base letter, so no ICU collation is needed. */
export function sortKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/ü/g, 'u')
    .replace(/ß/g, 'ss');
}
