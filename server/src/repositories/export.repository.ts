import type { Queryable } from '../db/index.ts';
import type { LayerPage } from '../services/layer-stream.ts';
import { OFFER_FEATURE, OFFER_FROM, OFFER_WHERE, afterFilter, filterParams, type OfferFilter } from './offer-layer.repository.ts';
import { joinedPage } from './layer-page.ts';

// The offer layer's own feature and filter, plus the provider's external id: provider ids are
// local to one database, external ids let an exported file be imported elsewhere.
const OFFER_PAGE = `
  SELECT o.id AS k,
         jsonb_set(${OFFER_FEATURE}::jsonb, '{properties,provider_external_id}', coalesce(to_jsonb(pr.external_id), 'null'::jsonb))::text AS f
    FROM ${OFFER_FROM}
   WHERE ${OFFER_WHERE} AND (${afterFilter(1)}::bigint IS NULL OR o.id > ${afterFilter(1)})
   ORDER BY o.id LIMIT ${afterFilter(2)}`;

/** Pages of offers for the CSV export (keyset on id, like the layer). */
export function offerExportPage(db: Queryable, filter: OfferFilter) {
  const params = filterParams(filter);
  return async (after: string | number | null, limit: number): Promise<LayerPage> => {
    return joinedPage(db, OFFER_PAGE, [...params, after, limit]);
  };
}
