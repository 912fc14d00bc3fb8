// Code lists of the API contract, from core (one definition for server and client).
export { TARGET_GROUPS, CATEGORY_KEYS } from '@ilk/core/schemas/common';
export { CAPACITY_FIELDS } from '@ilk/core/schemas/capacity';
export { OFFER_CLUSTER_MAX_ZOOM } from '@ilk/core/schemas/offers';
