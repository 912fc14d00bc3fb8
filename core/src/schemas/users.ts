import { Type, type Static } from 'typebox';
import { Ars, Id, Nullable } from './common.ts';
import { RoleSchema } from './auth.ts';

// Accounts as admins manage them in the app. A password hash never leaves the server: the
// response schemas are allow-lists and name none.

const Timestamp = Type.String({ format: 'date-time' });

export const UserDistrict = Type.Object({ ars: Ars, name: Type.String() });
export type UserDistrict = Static<typeof UserDistrict>;

export const UserAccount = Type.Object({
  id: Id,
  email: Type.String(),
  display_name: Nullable(Type.String()),
  role: RoleSchema,
  /** The Kreise a coordinator may edit; empty for the other roles. */
  districts: Type.Array(UserDistrict),
  active: Type.Boolean(),
  /** The organisation a partner reports for. */
  organisation: Nullable(Type.String()),
  created_at: Timestamp,
  password_changed_at: Timestamp,
  /** The latest request of one of the user's sessions or API tokens still on record. */
  last_seen_at: Nullable(Timestamp),
  version: Type.Integer({ minimum: 1 }),
});
export type UserAccount = Static<typeof UserAccount>;

export const UserList = Type.Object({ users: Type.Array(UserAccount) });

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 200 });
const DisplayName = Nullable(Type.String({ minLength: 1, maxLength: 200 }));
const Organisation = Nullable(Type.String({ minLength: 1, maxLength: 200 }));
const DistrictList = Type.Array(Ars, { maxItems: 50, uniqueItems: true });
/** The policy (length, not the e-mail address) is checked by the server and named per field. */
export const NewPassword = Type.String({ minLength: 1, maxLength: 200 });

export const UserCreateInput = Type.Object(
  {
    email: Email,
    display_name: Type.Optional(DisplayName),
    role: RoleSchema,
    /** Kreis ARS; required for coordinators, refused for the other roles. */
    districts: Type.Optional(DistrictList),
    /** Required for partners. */
    organisation: Type.Optional(Organisation),
    password: NewPassword,
  },
  { additionalProperties: false },
);
export type UserCreateInput = Static<typeof UserCreateInput>;

/** Only the fields sent change; `active: false` deactivates, `active: true` reactivates. */
export const UserPatchInput = Type.Object(
  {
    display_name: Type.Optional(DisplayName),
    role: Type.Optional(RoleSchema),
    districts: Type.Optional(DistrictList),
    organisation: Type.Optional(Organisation),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserPatchInput = Static<typeof UserPatchInput>;

/** The admin sets the new password and hands it over; the user's sessions and tokens end. */
export const PasswordResetInput = Type.Object({ password: NewPassword }, { additionalProperties: false });
export type PasswordResetInput = Static<typeof PasswordResetInput>;

export const UserIdParams = Type.Object({ id: Id });
