import type { Completeness, CompletenessKreis } from '@ilk/core/schemas/completeness';
import { getJson } from './client.ts';

export type { Completeness, CompletenessKreis };

/** What is known and missing per readable Kreis (the completeness panel). */
export const getCompleteness = (signal?: AbortSignal) => getJson<Completeness>('/api/completeness', signal);
