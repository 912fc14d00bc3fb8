import { Type } from 'typebox';
import { ISO_639_1 } from '../iso639.ts';
import { CATEGORY_KEYS } from '../registries/categories.ts';

// Shared building blocks of the API contract. Field names are snake_case: SQL columns, API
// fields and GeoJSON properties share one vocabulary.

// The category keys live in their registry (labels, colours; the offer_categories table equals it).
export { CATEGORY_KEYS, type CategoryKey } from '../registries/categories.ts';

export const TARGET_GROUPS = ['alle', 'erwachsene', 'jugendliche', 'kinder', 'familien', 'frauen', 'gefluechtete'] as const;
export const REGION_LEVELS = ['land', 'kreis', 'verband', 'gemeinde'] as const;
export const ROLES = ['admin', 'coordinator', 'ministry', 'analyst', 'partner'] as const;
export type Role = (typeof ROLES)[number];

export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
export const Ars = Type.String({ pattern: '^[0-9]{12}$' });
export const IsoDate = Type.String({ format: 'date' });
export const CategoryKeySchema = Type.Enum([...CATEGORY_KEYS]);
export const SubcategoryKey = Type.String({ pattern: '^[a-z_]{2,40}$' });
export const LanguageList = Type.Array(Type.Enum([...ISO_639_1]), { maxItems: 40, uniqueItems: true });
export const TargetGroupList = Type.Array(Type.Enum([...TARGET_GROUPS]), { maxItems: TARGET_GROUPS.length, uniqueItems: true });
export const Text = (max: number) => Type.String({ maxLength: max });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Longitude = Type.Number({ minimum: -180, maximum: 180 });
export const Latitude = Type.Number({ minimum: -90, maximum: 90 });
/** Input points are strict: exactly [lon, lat], finite, in range; no third coordinate, no CRS member. */
export const PointGeometry = Type.Object(
  { type: Type.Literal('Point'), coordinates: Type.Tuple([Longitude, Latitude]) },
  { additionalProperties: false },
);
