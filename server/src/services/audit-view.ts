import { diff, formatChange, redact } from '@ilk/core/history';
import type { CsvValue } from '@ilk/core/csv';
import type { StoredAuditEntry } from '../repositories/audit.repository.ts';
import type { CsvColumn, ExportFeature } from './csv-stream.ts';

// The audit log as the admin reads it: snapshots without secrets, and the changes computed by
// the same diff as every record's history.

export function presentEntry(e: StoredAuditEntry) {
  return { ...e, before: redact(e.before), after: redact(e.after), changes: diff(e.before, e.after) };
}

const prop = (name: string): CsvColumn => ({ name, value: (f: ExportFeature) => (f.properties[name] ?? null) as CsvValue });

/** One line per entry; the changes as "field: from → to" joined by " | " (snapshots stay in the API). */
export const AUDIT_COLUMNS: CsvColumn[] = [
  ...['id', 'at', 'actor', 'user_id', 'action', 'entity', 'entity_id'].map(prop),
  { name: 'changes', value: (f) => diff(f.properties.before, f.properties.after).map(formatChange).join(' | ') },
  prop('request_id'),
];
