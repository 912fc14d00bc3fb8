import type { NeedEvent, NeedEventInput, NeedHistory } from '@ilk/core/schemas/need-events';
import { getJson, recordEtag, request } from './client.ts';

export type { NeedEvent, NeedEventInput, NeedHistory };

export const getNeedHistory = (id: number, signal?: AbortSignal) => getJson<NeedHistory>(`/api/needs/${id}/events`, signal);

/** Assignments and status changes state the version they were based on; a comment needs none. */
export async function addNeedEvent(id: number, input: NeedEventInput, version?: number): Promise<NeedEvent> {
  const ifMatch = version === undefined ? undefined : recordEtag('need', id, version);
  return (await request<NeedEvent>('POST', `/api/needs/${id}/events`, { body: input, ifMatch })).data;
}
