import type { History, HistoryEntity, HistoryEntry, AuditPage, AuditQuery, AuditEntryT } from '@ilk/core/schemas/history';
import { getJson, withQuery } from './client.ts';

export type { History, HistoryEntity, HistoryEntry, AuditPage, AuditEntryT };

/** The "Verlauf" of a record; `capacity` takes an allocation unit's ARS as its id. */
export const getHistory = (entity: HistoryEntity, id: string | number, signal?: AbortSignal) =>
  getJson<History>(`/api/history/${entity}/${encodeURIComponent(String(id))}`, signal);

export type AuditFilter = Partial<Omit<AuditQuery, 'limit' | 'offset'>>;

export const getAuditLog = (filter: AuditFilter, limit: number, offset: number, signal?: AbortSignal) =>
  getJson<AuditPage>(withQuery('/api/audit', { ...filter, limit, offset }), signal);

/** The CSV download under the same filters (a plain link: the browser sends the session cookie). */
export const auditCsvUrl = (filter: AuditFilter): string => withQuery('/api/audit.csv', { ...filter });
