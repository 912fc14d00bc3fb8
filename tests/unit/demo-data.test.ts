import { booleanPointInPolygon, booleanValid } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUT_DIR, generate } from '../../scripts/generate-demo-data.ts';

// Checks the committed demo district (data/demo) against the shape the schema and the app expect.
type Props = Record<string, unknown>;
const read = <T>(name: string): T => JSON.parse(readFileSync(join(DEFAULT_OUT_DIR, name), 'utf8')) as T;

const regions = read<FeatureCollection<MultiPolygon, Props>>('regions.geojson').features;
const offers = read<FeatureCollection<Point, Props>>('offers.geojson').features;
const providers = read<Props[]>('providers.json');
const reports = read<Props[]>('capacity-reports.json');
const needs = read<Props[]>('needs.json');

const kreise = regions.filter((f) => f.properties.level === 'kreis');
const verbaende = regions.filter((f) => f.properties.level === 'verband');
const gemeinden = regions.filter((f) => f.properties.level === 'gemeinde');
const population = (f: Feature<MultiPolygon, Props>): number => f.properties.population as number;
const verbandPopulation = (ars: unknown): number =>
  gemeinden.filter((g) => g.properties.parent_ars === ars).reduce((sum, g) => sum + population(g), 0);

/** Subcategory -> category, straight from the migration, so the test follows the schema. */
function subcategoriesFromSchema(): Map<string, string> {
  const sql = readFileSync(new URL('../../migrations/002_offers.sql', import.meta.url), 'utf8');
  const block = sql.slice(sql.indexOf('INSERT INTO offer_subcategories'));
  return new Map([...block.matchAll(/\('([a-z_]+)',\s*'([a-z_]+)'/g)].map((m) => [m[1] as string, m[2] as string]));
}

describe('demo district regions', () => {
  it('has one Kreis, 10-15 Verbände and 90-110 Gemeinden', () => {
    expect(kreise).toHaveLength(1);
    expect(verbaende.length).toBeGreaterThanOrEqual(10);
    expect(verbaende.length).toBeLessThanOrEqual(15);
    expect(gemeinden.length).toBeGreaterThanOrEqual(90);
    expect(gemeinden.length).toBeLessThanOrEqual(110);
  });

  it('has one Kreisstadt of 25,000-35,000 and one uninhabited Verband', () => {
    const kreisstadt = gemeinden.filter((g) => population(g) >= 25_000);
    expect(kreisstadt).toHaveLength(1);
    expect(population(kreisstadt[0] as Feature<MultiPolygon, Props>)).toBeLessThanOrEqual(35_000);
    expect(kreisstadt[0]?.properties.kind).toBe('Stadt');
    const empty = verbaende.filter((v) => verbandPopulation(v.properties.ars) === 0);
    expect(empty.map((v) => v.properties.kind)).toEqual(['Gemeindefreies Gebiet']);
  });

  it('has well-formed keys and consistent parent links', () => {
    const kreis = kreise[0]?.properties;
    expect(kreis).toMatchObject({ ars: '010990000000', ags: '01099', parent_ars: null });
    const verbandArs = new Set(verbaende.map((v) => v.properties.ars));
    expect(verbandArs.size).toBe(verbaende.length);
    for (const v of verbaende) {
      expect(v.properties).toMatchObject({ ags: null, parent_ars: '010990000000', population: null });
      expect(v.properties.ars).toMatch(/^01099\d{4}000$/);
      expect(['Amt', 'Amtsfreie Gemeinde', 'Gemeindefreies Gebiet']).toContain(v.properties.kind);
    }
    for (const g of gemeinden) {
      const { ars, ags, parent_ars: parent } = g.properties as { ars: string; ags: string; parent_ars: string };
      expect(verbandArs.has(parent)).toBe(true);
      expect(ars.slice(0, 9)).toBe(parent.slice(0, 9));
      expect(ags).toBe(`01099${ars.slice(9)}`);
      expect(['Stadt', 'Gemeinde', 'Gemeindefreies Gebiet']).toContain(g.properties.kind);
      expect(Number.isInteger(population(g)) && population(g) >= 0).toBe(true);
    }
    expect(new Set(gemeinden.map((g) => g.properties.ags)).size).toBe(gemeinden.length);
    const order = regions.map((f) => `${['kreis', 'verband', 'gemeinde'].indexOf(f.properties.level as string)}${f.properties.ars}`);
    expect(order).toEqual([...order].sort());
  });

  it('has only valid polygons', () => {
    for (const f of regions) expect(booleanValid(f), `${f.properties.ars}`).toBe(true);
  });
});

describe('demo offers', () => {
  it('number about 400 and cover every category with schema subcategories', () => {
    const schema = subcategoriesFromSchema();
    expect(offers.length).toBeGreaterThanOrEqual(380);
    expect(offers.length).toBeLessThanOrEqual(420);
    expect(new Set(offers.map((o) => o.properties.category)).size).toBe(new Set(schema.values()).size);
    for (const o of offers) expect(schema.get(o.properties.subcategory as string)).toBe(o.properties.category);
  });

  it('lie strictly inside the Gemeinde they name, never in the uninhabited one', () => {
    for (const o of offers) {
      const containing = gemeinden.filter((g) => booleanPointInPolygon(o, g, { ignoreBoundary: true }));
      expect(containing, `${o.properties.external_id}`).toHaveLength(1);
      expect(containing[0]?.properties.name).toBe(o.properties.city);
      expect(population(containing[0] as Feature<MultiPolygon, Props>)).toBeGreaterThan(0);
    }
  });

  it('refer to providers and keep their numbers consistent', () => {
    const providerIds = new Set(providers.map((p) => p.external_id));
    const groups = ['erwachsene', 'jugendliche', 'kinder', 'familien', 'frauen', 'gefluechtete', 'alle'];
    for (const { properties: o } of offers) {
      expect(providerIds.has(o.provider_external_id)).toBe(true);
      expect((o.languages as string[])[0]).toBe('de');
      for (const code of o.languages as string[]) expect(code).toMatch(/^[a-z]{2}$/);
      for (const group of o.target_groups as string[]) expect(groups).toContain(group);
      if (o.places_total !== null) expect(o.places_free as number).toBeLessThanOrEqual(o.places_total as number);
      if (o.valid_from && o.valid_to) expect(o.valid_from <= o.valid_to).toBe(true);
      expect(o.postcode).toMatch(/^\d{5}$/);
    }
  });
});

describe('demo capacity reports and needs', () => {
  it('cover every Verband with plausible numbers', () => {
    for (const v of verbaende) expect(reports.some((r) => r.verband_ars === v.properties.ars), `${v.properties.ars}`).toBe(true);
    for (const r of reports) {
      expect(r.housing_free_barrier_free as number).toBeLessThanOrEqual(r.housing_free as number);
      expect(r.refugees_housed as number).toBeLessThanOrEqual(0.02 * verbandPopulation(r.verband_ars) + 1);
    }
  });

  it('point at existing regions', () => {
    expect(needs.length).toBeGreaterThanOrEqual(25);
    const keys = new Set(regions.map((f) => `${f.properties.level}:${f.properties.ars}`));
    for (const n of needs) expect(keys.has(`${n.region_level}:${n.region_ars}`)).toBe(true);
  });
});

describe('generate-demo-data', () => {
  it('writes byte-identical files when run again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-data-'));
    try {
      for (const name of generate(dir)) {
        expect(readFileSync(join(dir, name)).equals(readFileSync(join(DEFAULT_OUT_DIR, name))), name).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
