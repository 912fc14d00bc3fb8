import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { PartnerNeed, PartnerNeedInput } from '@ilk/core/schemas/need-events';
import type { PartnerPlace } from '@ilk/core/schemas/places';
import { getJson, request } from './client.ts';

export type { PartnerNeed, PartnerNeedInput, PartnerPlace };

// A partner organisation's own reports; partners read nothing else of the data.
export const getPartnerNeeds = (signal?: AbortSignal) => getJson<{ needs: PartnerNeed[] }>('/api/partner/needs', signal);

/** Names and keys of the places a need can be reported for (the form's region picker). */
export const getPartnerRegions = (signal?: AbortSignal) => getJson<{ regions: PartnerPlace[] }>('/api/partner/regions', signal);

/** The Gemeinden's simplified outlines with key and name only (the picker's map). */
export const getPartnerShapes = (signal?: AbortSignal) =>
  getJson<FeatureCollection<Polygon | MultiPolygon, { key: string; name: string }>>('/api/partner/regions/shapes', signal);

export async function reportNeed(input: PartnerNeedInput): Promise<PartnerNeed> {
  return (await request<PartnerNeed>('POST', '/api/partner/needs', { body: input })).data;
}
