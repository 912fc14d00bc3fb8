import type { Feature, FeatureCollection, Point } from 'geojson';
import type { OfferFeatureProperties, OfferInput, OfferProperties as OfferInputProperties } from '@ilk/core';
import { getJson, request, withQuery, type ApiResult } from './client.ts';
import { offerFilterQuery, type OfferFilters } from '../state/offer-filter-url.ts';

export type { OfferInput, OfferInputProperties };

/** An offer as the API returns it: the input fields, filled, plus provider, region and version. */
export type OfferProperties = OfferFeatureProperties;

export type OfferFeature = Feature<Point, OfferProperties>;
export type OfferCollection = FeatureCollection<Point, OfferProperties>;

export interface OfferFilter extends Partial<OfferFilters> {
  /** Category keys; undefined for all. */
  categories?: string[];
  q?: string;
  region?: string;
  with_free_places?: boolean;
}

export function offerQuery(f: OfferFilter): Record<string, string | boolean | undefined> {
  return {
    category: f.categories?.join(','),
    q: f.q?.trim() || undefined,
    region: f.region,
    with_free_places: f.with_free_places || undefined,
    ...offerFilterQuery(f),
  };
}

export const getOffers = (f: OfferFilter, signal?: AbortSignal) =>
  getJson<OfferCollection>(withQuery('/api/offers', offerQuery(f)), signal);

export const getOfferCounts = (f: OfferFilter, signal?: AbortSignal) =>
  getJson<Record<string, number>>(withQuery('/api/offers/counts', offerQuery(f)), signal);

export const getOffer = (id: number, signal?: AbortSignal) =>
  request<OfferFeature>('GET', `/api/offers/${id}`, { signal });

export const createOffer = (input: OfferInput): Promise<ApiResult<OfferFeature>> =>
  request<OfferFeature>('POST', '/api/offers', { body: input });

export const updateOffer = (id: number, input: OfferInput, etag: string): Promise<ApiResult<OfferFeature>> =>
  request<OfferFeature>('PUT', `/api/offers/${id}`, { body: input, ifMatch: etag });

export async function deleteOffer(id: number, etag: string): Promise<void> {
  await request<void>('DELETE', `/api/offers/${id}`, { ifMatch: etag });
}

/** The offers' vector tiles under the same filters as the layer (a MapLibre URL template, {z}/{x}/{y} left in). */
export const offerTileUrl = (f: OfferFilter) => withQuery('/tiles/offers/{z}/{x}/{y}.pbf', offerQuery(f));
