import { Type, type Static } from 'typebox';
import { Id, Nullable } from './common.ts';
import { NEED_KINDS, NEED_PRIORITIES, NEED_STATUSES, NeedInput } from './needs.ts';

// Needs reported by partner organisations, and the coordinators' inbox: every status change,
// assignment and comment is an event in the need's history.

export const NEED_EVENT_KINDS = ['status_change', 'assign', 'comment'] as const;

/** What a partner may report: no status, no reporter (both are set by the server). */
export const PartnerNeedInput = Type.Omit(NeedInput, ['status', 'reported_by'], { additionalProperties: false });
export type PartnerNeedInput = Static<typeof PartnerNeedInput>;

/**
 * One inbox action. `comment` needs `text`; `status_change` needs `status`; `assign` needs
 * `assigned_to` (a user id, or null to unassign). Status changes and assignments change the
 * need and so require If-Match with its ETag; a comment does not.
 */
export const NeedEventInput = Type.Object(
  {
    kind: Type.Enum([...NEED_EVENT_KINDS]),
    status: Type.Optional(Type.Enum([...NEED_STATUSES])),
    assigned_to: Type.Optional(Nullable(Id)),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type NeedEventInput = Static<typeof NeedEventInput>;

/**
 * from_value/to_value: a status for status_change, a user id (as text) for assign; from_name and
 * to_name name those accounts (display name, else e-mail) for assign and are null otherwise.
 */
export const NeedEvent = Type.Object({
  id: Type.Integer(),
  need_id: Type.Integer(),
  at: Type.String(),
  kind: Type.Enum([...NEED_EVENT_KINDS]),
  from_value: Nullable(Type.String()),
  to_value: Nullable(Type.String()),
  from_name: Nullable(Type.String()),
  to_name: Nullable(Type.String()),
  text: Nullable(Type.String()),
  user_id: Nullable(Type.Integer()),
  actor: Nullable(Type.String()),
});
export type NeedEvent = Static<typeof NeedEvent>;

export const NeedHistory = Type.Object({
  need_id: Type.Integer(),
  status: Type.Enum([...NEED_STATUSES]),
  assigned_to: Nullable(Type.Integer()),
  /** The assigned account's display name, else its e-mail. */
  assignee: Nullable(Type.String()),
  /** If-Match for the next status change or assignment: "need-<id>-v<version>". */
  version: Type.Integer(),
  events: Type.Array(NeedEvent),
});
export type NeedHistory = Static<typeof NeedHistory>;

/** A partner's own report as the partner sees it: no assignee, but the whole history. */
export const PartnerNeed = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum([...NEED_KINDS]),
  region_key: Type.String(),
  region_level: Type.String(),
  region_name: Type.String(),
  category: Nullable(Type.String()),
  title: Type.String(),
  description: Nullable(Type.String()),
  priority: Type.Enum([...NEED_PRIORITIES]),
  status: Type.Enum([...NEED_STATUSES]),
  reported_by: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  history: Type.Array(NeedEvent),
});
export type PartnerNeed = Static<typeof PartnerNeed>;
