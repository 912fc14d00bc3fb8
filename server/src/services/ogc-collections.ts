import { Type, type TObject, type TSchema } from 'typebox';
import { CategoryKeySchema, NEED_STATUSES, SubcategoryKey, type FieldError } from '@ilk/core';
import type { Queryable } from '../db/index.ts';
import { badRequest } from '../errors.ts';
import * as ogc from '../repositories/ogc.repository.ts';
import * as regionTable from '../repositories/region-table.repository.ts';
import * as needs from '../repositories/needs.repository.ts';
import { arsPrefix, levelOf } from '../repositories/region-layer.repository.ts';
import { parseBbox } from './offer-filter.ts';
import { REGION_PROPERTIES, type PropertySchema } from './ogc-schema.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
export const MAX_OFFSET = 1_000_000_000;

/** The query parameters every items request accepts; the collection adds its property filters. */
const PAGING = {
  f: Type.Optional(Type.Enum(['json'], { description: 'output format; GeoJSON is the only one' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `features per page: default ${DEFAULT_LIMIT}, maximum ${MAX_LIMIT}; a larger value is served as ${MAX_LIMIT}` })),
  // Bounded: PostgreSQL's OFFSET is a bigint, and a larger value was a 500 instead of a 400.
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0, description: `features to skip (at most ${MAX_OFFSET}); follow the rel=next link instead of counting` })),
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat in CRS84: only features intersecting the box' })),
};

/** The validated query: ajv has filled in the defaults of limit and offset. */
type Query = Record<string, unknown> & { limit: number; offset: number; bbox?: string };

export interface OgcCollection {
  id: string;
  title: string;
  description: string;
  query: TObject;
  /** `districts`: the Kreise the caller may read (null: all). */
  items(db: Queryable, q: Query, districts: readonly string[] | null): Promise<ogc.ItemsPage>;
  /** Undefined when no feature has this id (also when the id is malformed). */
  item(db: Queryable, featureId: string): Promise<object | undefined>;
  /** The features' properties with their types, served as the collection's schema (ogc-schema.ts). */
  properties?: Readonly<Record<string, PropertySchema>>;
}

function bboxOf(q: Query): ogc.Bbox | null {
  const errors: FieldError[] = [];
  const bbox = parseBbox(q.bbox, errors);
  if (errors.length) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  return bbox;
}

const query = (filters: Record<string, TSchema>) => Type.Object({ ...PAGING, ...filters }, { additionalProperties: false });
const numericId = (s: string) => (/^[1-9][0-9]{0,15}$/.test(s) ? Number(s) : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const EMPTY: ogc.ItemsPage = { matched: 0, returned: 0, features: '' };

const offerCollection: OgcCollection = {
  id: 'offers',
  title: 'Angebote (integration offers)',
  description: 'Integration offers as points, with provider, category, places and validity.',
  query: query({ category: Type.Optional(CategoryKeySchema), subcategory: Type.Optional(SubcategoryKey) }),
  items: (db, q, districts) => {
    const filter = { categories: q.category ? [q.category as string] : null, subcategory: str(q.subcategory), bbox: bboxOf(q), q: null, regionPrefix: null, withFreePlaces: false, districts };
    return ogc.offerItems(db, filter, q);
  },
  item: async (db, featureId) => {
    const id = numericId(featureId);
    return id === undefined ? undefined : ogc.offerItem(db, id);
  },
};

const needCollection: OgcCollection = {
  id: 'needs',
  title: 'Bedarfe (reported needs)',
  description: 'Needs reported for a region, drawn at the label point of that region.',
  query: query({ status: Type.Optional(Type.Enum([...NEED_STATUSES])), category: Type.Optional(CategoryKeySchema) }),
  items: (db, q, districts) => ogc.needItems(db, { status: str(q.status), category: str(q.category), bbox: bboxOf(q), districts }, q),
  item: async (db, featureId) => {
    const id = numericId(featureId);
    return id === undefined ? undefined : needs.get(db, id);
  },
};

function regionCollection(level: 'kreis' | 'verband' | 'gemeinde', title: string): OgcCollection {
  return {
    id: `regions-${level}`,
    title,
    description: `Every ${level} with its key (ARS), name and population and its indicators as flat, typed columns (latest capacities, refugees and free housing per 1,000 inhabitants, offers per category, open needs); the feature id is the ARS; the schema link lists the columns.`,
    query: query({ parent: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: 'ARS of a higher region: only regions inside it' })) }),
    items: async (db, q, districts) => {
      const bbox = bboxOf(q);
      const parent = str(q.parent);
      let prefix: string | null = null;
      if (parent) {
        const parentLevel = await levelOf(db, parent);
        // An unknown parent is a filter that matches nothing, not a missing resource.
        if (!parentLevel) return EMPTY;
        prefix = arsPrefix(parentLevel, parent);
      }
      return regionTable.ogcRegionItems(db, level, prefix, bbox, q, districts);
    },
    item: async (db, featureId) => (/^[0-9]{12}$/.test(featureId) ? regionTable.ogcRegionItem(db, level, featureId) : undefined),
    properties: REGION_PROPERTIES,
  };
}

/** The collections of the OGC API, in the order /ogc/collections lists them. */
export const COLLECTIONS: readonly OgcCollection[] = [
  offerCollection,
  regionCollection('kreis', 'Kreise (districts)'),
  regionCollection('verband', 'Ämter und amtsfreie Gemeinden (allocation units)'),
  regionCollection('gemeinde', 'Gemeinden (municipalities)'),
  needCollection,
];
