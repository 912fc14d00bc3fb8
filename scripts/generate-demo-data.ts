/**
 * Generates the fictional demo district "Kreis Demo-Förde" into data/demo/ (see data/README.md).
 * Deterministic: one seeded random stream per concern and no clock, so a second run writes the
 * same bytes; tests/unit/demo-data.test.ts holds it to that.
 *
 *   npx tsx scripts/generate-demo-data.ts [--out DIR]
 */
import type { Feature, Point } from 'geojson';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCapacityReports } from './demo/capacity.ts';
import { buildGeometry } from './demo/geometry.ts';
import { buildNeeds } from './demo/needs.ts';
import { buildOffers, type OfferProperties } from './demo/offers.ts';
import { featureCollectionText, jsonText, writeFiles } from './demo/output.ts';
import { KREIS_NAME, SEED } from './demo/plan.ts';
import { buildProviders } from './demo/providers.ts';
import { Random } from './demo/random.ts';
import { buildDistrict, regionFeatures } from './demo/regions.ts';
import { validateRegions } from './demo/validate.ts';

export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../data/demo/', import.meta.url));

const META = {
  name: KREIS_NAME,
  demo: true,
  description_de:
    'Erfundener Landkreis mit erfundenen Gemeinden, Trägern, Angeboten, Kapazitätsmeldungen und Bedarfen. ' +
    'Die Lage ähnelt Schleswig-Holstein, aber keine Grenze, kein Name und keine Zahl beschreibt einen realen Ort.',
  description_en:
    'A made-up district with made-up municipalities, providers, offers, capacity reports and needs. ' +
    'It is placed where Schleswig-Holstein lies, but no border, name or number describes a real place.',
  generated_by: 'scripts/generate-demo-data.ts',
  seed: SEED,
};

/** Builds every file in memory; returns file name -> contents. */
export function buildDemoFiles(): Map<string, string> {
  const rng = new Random(SEED);
  const { seeds, tess } = buildGeometry(rng.fork('geometry'));
  const district = buildDistrict(seeds, tess, rng.fork('district'));
  const regions = regionFeatures(district);
  validateRegions(regions);
  const providers = buildProviders(district, rng.fork('providers'));
  const offers = buildOffers(district, providers, rng.fork('offers'));
  const offerFeatures = offers.map((o): Feature<Point, OfferProperties> => ({
    type: 'Feature',
    properties: o.properties,
    geometry: { type: 'Point', coordinates: o.position },
  }));
  return new Map([
    ['regions.geojson', featureCollectionText(regions)],
    ['providers.json', jsonText(providers.map((p) => p.record))],
    ['offers.geojson', featureCollectionText(offerFeatures)],
    ['capacity-reports.json', jsonText(buildCapacityReports(district, offers, rng.fork('capacity')))],
    ['needs.json', jsonText(buildNeeds(district, providers, rng.fork('needs')))],
    ['meta.json', jsonText(META)],
  ]);
}

export function generate(outDir: string = DEFAULT_OUT_DIR): string[] {
  const files = buildDemoFiles();
  writeFiles(outDir, files);
  return [...files.keys()];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = values.out ?? DEFAULT_OUT_DIR;
  const written = generate(outDir);
  console.log(`wrote ${written.join(', ')} to ${outDir}`);
}
