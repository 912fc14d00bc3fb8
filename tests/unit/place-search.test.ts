import { describe, expect, it } from 'vitest';
import { allowedTypos, editDistance, foldName, searchPlaces, suggestPlaces, type Place } from '@ilk/core/place-search';

// The partners' place picker: names as people type them (without umlauts, in part, in any case,
// with a typo) find the place; equal names stay apart by kind and Amt.

const place = (name: string, level = 'gemeinde', kind = 'Gemeinde', parent: string | null = 'Breitenfelde'): Place =>
  ({ key: `${name.length}${name}`, level, kind, name, parent_name: parent, kreis_name: 'Herzogtum Lauenburg' });

const PLACES = [
  place('Mölln', 'verband', 'Amtsfreie Gemeinde', null), place('Alt-Mölln'), place('Groß Grönau', 'gemeinde', 'Gemeinde', 'Lauenburgische Seen'),
  place('Grönwohld'), place('Lauenburg/Elbe', 'verband', 'Amtsfreie Gemeinde', null), place('Fuhlenhagen'), place('Büchen', 'verband', 'Amt', null),
  place('Büchen', 'gemeinde', 'Gemeinde', 'Büchen'), place('Wentorf bei Hamburg', 'verband', 'Amtsfreie Gemeinde', null), place('Wentorf (Amt Sandesneben)'),
];
const names = (q: string) => searchPlaces(PLACES, q).map((m) => m.place.name);

describe('finding a place by name', () => {
  it('folds case, diacritics, ß and umlauts typed as ae/oe/ue', () => {
    expect(foldName('Groß Grönau')).toBe(foldName('GROSS GROENAU'));
    expect(foldName('Lauenburg/Elbe')).toBe(foldName('lauenburg elbe'));
    expect(names('gross gronau')).toEqual(['Groß Grönau']);
  });

  it('ranks an exact name before a prefix, a word prefix and a substring', () => {
    expect(searchPlaces(PLACES, 'mölln').map((m) => [m.place.name, m.rank])).toEqual([['Mölln', 0], ['Alt-Mölln', 2]]);
    expect(names('grö')).toEqual(['Grönwohld', 'Groß Grönau']);
    expect(names('hagen')).toEqual(['Fuhlenhagen']);
    expect(names('went').slice(0, 2)).toEqual(['Wentorf bei Hamburg', 'Wentorf (Amt Sandesneben)']);
  });

  it('keeps equal names apart (the Amt and the Gemeinde Büchen) and finds nothing for an empty query', () => {
    expect(searchPlaces(PLACES, 'Büchen').map((m) => m.place.level).sort()).toEqual(['gemeinde', 'verband']);
    expect(searchPlaces(PLACES, '  ')).toEqual([]);
  });

  it('suggests the closest names for a typo, and nothing for a short or far-off query', () => {
    expect(names('Fiernhagen')).toEqual([]);
    expect(suggestPlaces(PLACES, 'Fuhlenhagn').map((p) => p.name)).toEqual(['Fuhlenhagen']);
    expect(suggestPlaces(PLACES, 'Mlöln').map((p) => p.name)).toContain('Mölln');
    expect(suggestPlaces(PLACES, 'xyz')).toEqual([]);
    expect(suggestPlaces(PLACES, 'Quickborn')).toEqual([]);
  });

  it('counts a transposition as one edit and allows more typos in longer names', () => {
    expect(editDistance('molln', 'mloln')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect([3, 4, 8, 12, 40].map(allowedTypos)).toEqual([0, 1, 2, 3, 3]);
  });
});
