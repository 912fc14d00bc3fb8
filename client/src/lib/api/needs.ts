import type { Feature, FeatureCollection, Point } from 'geojson';
import type { NeedInput } from '@ilk/core';
import { getJson, request, withQuery, type ApiResult } from './client.ts';

export type { NeedInput };
export type NeedStatus = 'neu' | 'in_bearbeitung' | 'erledigt';
export type NeedKind = 'angebotsluecke' | 'information' | 'fortbildung';
export type NeedPriority = 'niedrig' | 'mittel' | 'hoch';

export const NEED_STATUSES: readonly NeedStatus[] = ['neu', 'in_bearbeitung', 'erledigt'];
export const NEED_PRIORITIES: readonly NeedPriority[] = ['hoch', 'mittel', 'niedrig'];

export interface NeedProperties {
  id: number;
  external_id: string | null;
  region_key: string;
  region_level: 'gemeinde' | 'verband' | 'kreis';
  region_name: string;
  category: string | null;
  kind: NeedKind;
  title: string;
  description: string | null;
  priority: NeedPriority;
  status: NeedStatus;
  reported_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export type NeedFeature = Feature<Point, NeedProperties>;
export type NeedCollection = FeatureCollection<Point, NeedProperties>;

export interface NeedFilter {
  status?: NeedStatus;
  category?: string;
  region?: string;
}

export const getNeeds = (f: NeedFilter, signal?: AbortSignal) =>
  getJson<NeedCollection>(withQuery('/api/needs', { ...f }), signal);

export const getNeed = (id: number, signal?: AbortSignal) => request<NeedFeature>('GET', `/api/needs/${id}`, { signal });

/** The write body of a need: PUT replaces the whole record, so every field is sent back. */
export function needInput(p: NeedProperties, changes: Partial<NeedInput> = {}): NeedInput {
  return {
    region_ars: p.region_key,
    region_level: p.region_level,
    category: p.category as NeedInput['category'],
    kind: p.kind,
    title: p.title,
    description: p.description,
    priority: p.priority,
    status: p.status,
    reported_by: p.reported_by,
    ...changes,
  };
}

export const updateNeed = (id: number, input: NeedInput, etag: string): Promise<ApiResult<NeedFeature>> =>
  request<NeedFeature>('PUT', `/api/needs/${id}`, { body: input, ifMatch: etag });
