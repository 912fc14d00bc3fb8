import type { PartnerNeed, PartnerNeedInput } from '@ilk/core/schemas/need-events';
import { getJson, request } from './client.ts';

export type { PartnerNeed, PartnerNeedInput };

// A partner organisation's own reports; partners read nothing else of the data.
export const getPartnerNeeds = (signal?: AbortSignal) => getJson<{ needs: PartnerNeed[] }>('/api/partner/needs', signal);

/** Names and keys of the places a need can be reported for (the form's region picker). */
export const getPartnerRegions = (signal?: AbortSignal) =>
  getJson<{ regions: { key: string; level: string; name: string; parent_name: string | null }[] }>('/api/partner/regions', signal);

export async function reportNeed(input: PartnerNeedInput): Promise<PartnerNeed> {
  return (await request<PartnerNeed>('POST', '/api/partner/needs', { body: input })).data;
}
