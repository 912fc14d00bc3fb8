import { Type, type Static } from 'typebox';
import { PointGeometry, SubcategoryKey, TARGET_GROUPS } from './common.ts';
import { schemaProperties } from '../fields/types.ts';
import { OFFER_FIELDS } from '../fields/offer.ts';

// The fields themselves (type, limits, labels, CSV names, form control) live in core/src/fields/offer.ts.
export const OfferProperties = Type.Object(schemaProperties(OFFER_FIELDS), { additionalProperties: false });
export type OfferProperties = Static<typeof OfferProperties>;

/** An offer's own fields as stored: every field present, null (or an empty list) where empty. */
export type OfferRecord = Required<Omit<OfferProperties, 'provider_id'>>;

/** An offer's properties as the API returns them (layers, single reads, exports). */
export interface OfferFeatureProperties extends OfferRecord {
  id: number;
  provider_id: number | null;
  provider_name: string | null;
  region_key: string | null;
  region_name: string | null;
  version: number;
  updated_at: string;
}

/** An offer as written by the client or a script: a GeoJSON Feature with a Point. */
export const OfferInput = Type.Object(
  { type: Type.Literal('Feature'), geometry: PointGeometry, properties: OfferProperties },
  { additionalProperties: false },
);
export type OfferInput = Static<typeof OfferInput>;

const filterFields = {
  category: Type.Optional(Type.String({ pattern: '^[a-z_]{2,40}(,[a-z_]{2,40}){0,10}$', description: 'one or more category keys, comma-separated' })),
  subcategory: Type.Optional(SubcategoryKey),
};
const searchFields = {
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'text search in name, provider, city and description' })),
  region: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: 'ARS of a Kreis, Verband or Gemeinde' })),
  with_free_places: Type.Optional(Type.Boolean({ description: 'true: offers with at least one free place (as min_free_places=1)' })),
  min_free_places: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'offers with at least this many free places' })),
  language: Type.Optional(Type.String({ pattern: '^[a-z]{2}(,[a-z]{2}){0,39}$', description: 'ISO 639-1 codes, comma-separated: offers in at least one of them' })),
  target_group: Type.Optional(Type.String({ pattern: '^[a-z_]{2,40}(,[a-z_]{2,40}){0,10}$', description: `target groups, comma-separated: offers for at least one of them (${TARGET_GROUPS.join(', ')})` })),
  barrier_free: Type.Optional(Type.Enum(['true', 'false', 'unknown'], { description: 'barrier-free access: true, false, or unknown (not stated)' })),
};

export const OfferQuery = Type.Object(
  {
    ...filterFields,
    bbox: Type.Optional(Type.String({ pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$', description: 'minLon,minLat,maxLon,maxLat (EPSG:4326)' })),
    ...searchFields,
  },
  { additionalProperties: false },
);
export type OfferQuery = Static<typeof OfferQuery>;

/** Offer tiles up to this zoom carry clusters (grid cells); from the next zoom on, every offer by itself. */
export const OFFER_CLUSTER_MAX_ZOOM = 12;

/** The offers layer's filters for a vector tile (the tile is the bbox), and whether to cluster. */
export const OfferTileQuery = Type.Object(
  {
    ...filterFields,
    ...searchFields,
    cluster: Type.Optional(Type.Boolean({ description: `false: every offer by itself at every zoom; default: clusters up to zoom ${OFFER_CLUSTER_MAX_ZOOM}` })),
  },
  { additionalProperties: false },
);
export type OfferTileQuery = Static<typeof OfferTileQuery>;
