import { Type, type Static } from 'typebox';
import { Ars, CategoryKeySchema, Id, Nullable, Text } from './common.ts';

// Networks of providers (for example "Netzwerk Sprache Nord") with a contact person, and the
// provider directory that can be filtered by them.

export const NetworkMemberInput = Type.Object(
  { provider_id: Id, role: Type.Optional(Nullable(Text(200))) },
  { additionalProperties: false },
);

export const NetworkInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    category: Type.Optional(Nullable(CategoryKeySchema)),
    region_ars: Ars,
    region_level: Type.Enum(['kreis', 'verband', 'gemeinde']),
    description: Type.Optional(Nullable(Text(4000))),
    contact_name: Type.Optional(Nullable(Text(200))),
    contact_email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    contact_phone: Type.Optional(Nullable(Type.String({ maxLength: 50, pattern: '^[0-9 +()/-]*$' }))),
    /** The whole membership: a PUT replaces it. */
    members: Type.Optional(Type.Array(NetworkMemberInput, { maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type NetworkInput = Static<typeof NetworkInput>;

export const Network = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  category: Nullable(Type.String()),
  region_key: Type.String(),
  region_level: Type.String(),
  region_name: Type.String(),
  description: Nullable(Type.String()),
  contact_name: Nullable(Type.String()),
  contact_email: Nullable(Type.String()),
  contact_phone: Nullable(Type.String()),
  version: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
  members: Type.Array(Type.Object({ provider_id: Type.Integer(), name: Type.String(), role: Nullable(Type.String()) })),
});
export type Network = Static<typeof Network>;

export const NetworkQuery = Type.Object(
  {
    category: Type.Optional(CategoryKeySchema),
    region: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: 'ARS: networks of this region and below' })),
  },
  { additionalProperties: false },
);
export type NetworkQuery = Static<typeof NetworkQuery>;

export const ProviderQuery = Type.Object(
  {
    network: Type.Optional(Id),
    category: Type.Optional(CategoryKeySchema),
    region: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: 'ARS: providers with an offer in this region' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'text search in name and city' })),
  },
  { additionalProperties: false },
);
export type ProviderQuery = Static<typeof ProviderQuery>;

export const Provider = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Nullable(Type.String()),
  street: Nullable(Type.String()),
  postcode: Nullable(Type.String()),
  city: Nullable(Type.String()),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  website: Nullable(Type.String()),
  /** Categories of all the provider's offers, and how many offers it has. */
  categories: Type.Array(Type.String()),
  offers: Type.Integer(),
  networks: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), role: Nullable(Type.String()) })),
});
export type Provider = Static<typeof Provider>;

/** A provider (Träger) as written by PUT /api/providers/:id: its own fields; external_id stays the import's. */
export const ProviderInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Optional(Nullable(Text(100))),
    street: Type.Optional(Nullable(Text(200))),
    postcode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{5}$' }))),
    city: Type.Optional(Nullable(Text(100))),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 50, pattern: '^[0-9 +()/-]*$' }))),
    website: Type.Optional(Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type ProviderInput = Static<typeof ProviderInput>;
