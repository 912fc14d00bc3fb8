import { Type, type Static } from 'typebox';
import { ROLES } from './common.ts';

export const LoginInput = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginInput = Static<typeof LoginInput>;

export const RoleSchema = Type.Enum([...ROLES]);

export const CurrentUser = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  display_name: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  /** ARS of the Kreise a coordinator may edit; empty for the other roles. */
  districts: Type.Array(Type.String()),
  csrf_token: Type.Optional(Type.String()),
});
export type CurrentUser = Static<typeof CurrentUser>;

export const TokenInput = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
