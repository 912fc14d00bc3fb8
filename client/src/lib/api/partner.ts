import type { PartnerNeed, PartnerNeedInput } from '@ilk/core/schemas/need-events';
import { getJson, request } from './client.ts';

export type { PartnerNeed, PartnerNeedInput };

// A partner organisation's own reports; partners read nothing else of the data.
export const getPartnerNeeds = (signal?: AbortSignal) => getJson<{ needs: PartnerNeed[] }>('/api/partner/needs', signal);

export async function reportNeed(input: PartnerNeedInput): Promise<PartnerNeed> {
  return (await request<PartnerNeed>('POST', '/api/partner/needs', { body: input })).data;
}
