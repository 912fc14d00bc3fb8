import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

// The "Verlauf" of a record (GET /api/history/:entity/:id) and the admin's audit log
// (GET /api/audit, /api/audit.csv). Both are read from the audit log's before/after snapshots.

/**
 * The records with a history, as the URL names them. `capacity` is an allocation unit (its id is
 * the unit's ARS): its history is the sequence of its capacity reports.
 */
export const HISTORY_ENTITIES = ['offer', 'need', 'capacity', 'provider', 'plan'] as const;
export type HistoryEntity = (typeof HISTORY_ENTITIES)[number];

export const HistoryParams = Type.Object({
  entity: Type.Enum([...HISTORY_ENTITIES]),
  // A record id, or a unit's ARS for `capacity`.
  id: Type.String({ pattern: '^[0-9]{1,12}$' }),
});
export type HistoryParams = Static<typeof HistoryParams>;

export const FieldChangeSchema = Type.Object({
  field: Type.String(),
  from: Type.Unknown(),
  to: Type.Unknown(),
  hidden: Type.Optional(Type.Boolean()),
});

/**
 * One step in a record's life: `action` is the audit action (create, update, delete, import,
 * decide) or, for a need, `comment`; `text` carries a comment or a decision's justification.
 */
export const HistoryEntry = Type.Object({
  at: Type.String(),
  actor: Nullable(Type.String()),
  action: Type.String(),
  changes: Type.Array(FieldChangeSchema),
  text: Type.Optional(Nullable(Type.String())),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const History = Type.Object({ entries: Type.Array(HistoryEntry) });
export type History = Static<typeof History>;

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'import', 'login', 'logout', 'token_create', 'token_revoke', 'decide'] as const;

export const AuditQuery = Type.Object(
  {
    entity: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
    entity_id: Type.Optional(Type.String({ maxLength: 40 })),
    /** The account's e-mail, as stored in the entry (case-insensitive, substring). */
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    user_id: Type.Optional(Type.Integer({ minimum: 1 })),
    action: Type.Optional(Type.Enum([...AUDIT_ACTIONS])),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  user_id: Nullable(Type.Integer()),
  actor: Type.String(),
  action: Type.String(),
  entity: Type.String(),
  entity_id: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  request_id: Nullable(Type.String()),
  changes: Type.Array(FieldChangeSchema),
});
export type AuditEntryT = Static<typeof AuditEntrySchema>;

export const AuditPage = Type.Object({ total: Type.Integer(), entries: Type.Array(AuditEntrySchema) });
export type AuditPage = Static<typeof AuditPage>;

/** POST /api/allocations/plans/:id/decide: why this plan is decided (shown in the plan, its history and the sheet). */
export const PlanDecisionSchema = Type.Object(
  { justification: Type.String({ minLength: 10, maxLength: 4000 }) },
  { additionalProperties: false },
);
export type PlanDecision = Static<typeof PlanDecisionSchema>;
