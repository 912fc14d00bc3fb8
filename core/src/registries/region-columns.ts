import { CAPACITY_FIELDS } from '../schemas/capacity.ts';
import { CATEGORY_KEYS } from './categories.ts';
import { INDICATORS, INDICATOR_KEYS } from './indicators.ts';

// A region as one flat row of typed columns: what GIS formats without nested values (GeoPackage,
// Shapefile, CSV) can hold. The OGC API region collections, their JSON Schema and the region
// exports (GeoJSON and CSV) are all built from this list, so a new indicator, category or capacity
// count becomes a column everywhere at once. The SQL expression of each column lives in
// server/src/repositories/region-table.repository.ts (a test checks that every column has one).

/** A column's type as JSON Schema names it (GDAL maps it to Integer, Real, String, Date). */
export type ColumnType = 'string' | 'integer' | 'number' | 'date';

export interface RegionColumn {
  name: string;
  type: ColumnType;
  /** What the value is, for the schema and the docs (English, like the column names). */
  description: string;
}

const col = (name: string, type: ColumnType, description: string): RegionColumn => ({ name, type, description });

/** The region itself: keys, names, population. */
export const REGION_BASE_COLUMNS: readonly RegionColumn[] = [
  col('key', 'string', 'ARS, the 12-digit regional key; the feature id'),
  col('level', 'string', 'kreis, verband (Amt or amtsfreie Gemeinde) or gemeinde'),
  col('ags', 'string', 'AGS, the 8-digit municipality key'),
  col('name', 'string', 'official name'),
  col('kind', 'string', 'kind of region as the official data name it (Amt, Stadt, …)'),
  col('parent_key', 'string', 'ARS of the region one level up'),
  col('population', 'integer', 'inhabitants on population_date'),
  col('population_date', 'date', 'date of the population figure'),
  col('area_km2', 'number', 'area in km²'),
  col('label_lon', 'number', 'longitude of the label point (inside the region, where the map writes its name)'),
  col('label_lat', 'number', 'latitude of the label point'),
];

// Indicators that are a region property of their own (population is a base column already);
// digits 0 means a count.
const INDICATOR_COLUMNS = INDICATOR_KEYS.flatMap((k) => {
  const s = INDICATORS[k].source;
  if (!('property' in s) || s.property === 'population') return [];
  return [col(s.property, INDICATORS[k].digits === 0 ? 'integer' : 'number', `${INDICATORS[k].labels.en} (indicator ${k})`)];
});
const perThousand = INDICATOR_COLUMNS.filter((c) => c.type === 'number');
const counts = INDICATOR_COLUMNS.filter((c) => c.type === 'integer');

/** The indicators: latest capacities, rates, offers per category, open needs. */
export const REGION_INDICATOR_COLUMNS: readonly RegionColumn[] = [
  col('capacity_report_date', 'date', 'date of the latest capacity report (the newest among the units summed); empty without a report'),
  ...CAPACITY_FIELDS.map((k) => col(`capacity_${k}`, 'integer', `${k} in the latest capacity report (summed over the units below); empty without a report`)),
  ...perThousand,
  col('offers_total', 'integer', 'offers in the region'),
  ...CATEGORY_KEYS.map((k) => col(`offers_${k}`, 'integer', `offers of the category ${k}`)),
  ...counts,
];

/** Every column of a region row, in order. */
export const REGION_COLUMNS_FLAT: readonly RegionColumn[] = [...REGION_BASE_COLUMNS, ...REGION_INDICATOR_COLUMNS];
