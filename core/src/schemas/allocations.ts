import { Type, type Static, type TOptional } from 'typebox';
import { CRITERION_KEYS, MATCHING_WEIGHT_KEYS } from '../registries/weights.ts';
import { PROBLEM_BASE } from '../problems.ts';
import { MAX_WEIGHT } from '../allocation/validate.ts';
import { UNKNOWN_CAPACITY_POLICIES } from '../allocation/types.ts';
import { Ars, Id, LanguageList } from './common.ts';

// The contract of /api/allocations: what the browser sends to have the server compute or save
// the suggestion its own copy of the engine shows. Every object is closed, so a household
// profile with a name or case number in it is refused, not silently stored.

export const AllocationProblemType = {
  /**
   * The constraints admit no allocation; the body carries the engine's `infeasibility` and,
   * beside it, the `legal_key` and the `inputs` it was computed from (docs/allocation.md).
   */
  infeasible: `${PROBLEM_BASE}allocation-infeasible`,
  /** A plan's result is not what the engine computes from its inputs. */
  resultMismatch: `${PROBLEM_BASE}allocation-result-mismatch`,
} as const;

export const ALLOCATION_MODES = ['aggregate', 'households'] as const;
export const PLAN_STATUSES = ['draft', 'decided'] as const;
export const MAX_HOUSEHOLDS = 2000;
export const DEFAULT_TIME_LIMIT = 20;
export const MAX_TIME_LIMIT = 60;

const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const Weight = Type.Number({ minimum: 0, maximum: MAX_WEIGHT });
const Small = Type.Integer({ minimum: 0, maximum: 99 });

/** One optional weight per key of the weights registry (core/src/registries/weights.ts). */
function weightProperties<K extends string>(keys: readonly K[]): Record<K, TOptional<typeof Weight>> {
  return Object.fromEntries(keys.map((k) => [k, Type.Optional(Weight)])) as Record<K, TOptional<typeof Weight>>;
}
export const CriterionWeightsSchema = Type.Object(weightProperties(CRITERION_KEYS), { additionalProperties: false });
export const MatchingWeightsSchema = Type.Object(weightProperties(MATCHING_WEIGHT_KEYS), { additionalProperties: false });

export const MaxDeviationSchema = Type.Object(
  { unit: Type.Enum(['percent', 'persons']), value: Type.Number({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);

/** An anonymous household: sizes, age bands and needs; nothing that identifies anyone. */
export const HouseholdProfileSchema = Type.Object(
  {
    size: Type.Integer({ minimum: 1, maximum: 99 }),
    children_0_2: Type.Optional(Small),
    children_3_5: Type.Optional(Small),
    children_6_17: Type.Optional(Small),
    languages: Type.Optional(LanguageList),
    needs_barrier_free: Type.Optional(Type.Boolean()),
    needs_medical: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type HouseholdProfileInput = Static<typeof HouseholdProfileSchema>;

const common = {
  kreis: Ars,
  /** The year whose intake is credited; defaults to the current year. */
  period: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  max_deviation: Type.Optional(MaxDeviationSchema),
  shared_accommodation_credit: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
  /** How units that never reported capacities count; the server stores the default explicitly. */
  unknown_capacity: Type.Optional(Type.Enum([...UNKNOWN_CAPACITY_POLICIES], {
    description: `housing places of units without a capacity report: 'none' (no room, default) or 'unlimited' (no housing cap)`,
  })),
};

export const AggregateRequestSchema = Type.Object(
  {
    ...common,
    mode: Type.Literal('aggregate'),
    n: Count,
    weights: CriterionWeightsSchema,
    bounds: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[0-9]{12}$' }),
        Type.Object({ min: Type.Optional(Count), max: Type.Optional(Count) }, { additionalProperties: false }),
        { additionalProperties: false, maxProperties: 2000 },
      ),
    ),
    excluded: Type.Optional(Type.Array(Ars, { maxItems: 2000, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type AggregateRequest = Static<typeof AggregateRequestSchema>;

export const HouseholdsRequestSchema = Type.Object(
  {
    ...common,
    mode: Type.Literal('households'),
    /** Either the profiles or a pasted CSV (see parseHouseholdCsv), not both. */
    households: Type.Optional(Type.Array(HouseholdProfileSchema, { minItems: 1, maxItems: MAX_HOUSEHOLDS })),
    csv: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000 })),
    weights: MatchingWeightsSchema,
    time_limit: Type.Optional(Type.Number({ minimum: 1, maximum: MAX_TIME_LIMIT, description: `seconds for HiGHS; default ${DEFAULT_TIME_LIMIT}` })),
  },
  { additionalProperties: false },
);
export type HouseholdsRequest = Static<typeof HouseholdsRequestSchema>;

export type SuggestRequest = AggregateRequest | HouseholdsRequest;

// if/then/else rather than anyOf: the validator then reports the errors of the branch the
// `mode` names, instead of every field of the other branch as well.
export const SuggestRequestSchema = Type.Unsafe<SuggestRequest>({
  type: 'object',
  required: ['mode'],
  properties: { mode: Type.Enum([...ALLOCATION_MODES]) },
  if: { type: 'object', properties: { mode: { const: 'households' } }, required: ['mode'] },
  then: HouseholdsRequestSchema,
  else: AggregateRequestSchema,
});

const PlacementSchema = Type.Object(
  { group: Type.Integer({ minimum: 0 }), unit_key: Ars, households: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

/**
 * The result as /suggest returned it. Only what the check needs is declared: the seats per
 * unit, and in household mode the placements. The server stores its own recomputation.
 */
export const PlanResultSchema = Type.Object(
  {
    units: Type.Array(Type.Object({ key: Ars, seats: Count }, { additionalProperties: true }), { maxItems: 2000 }),
    placements: Type.Optional(Type.Array(PlacementSchema, { maxItems: 200_000 })),
  },
  { additionalProperties: true },
);

export const PlanInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    request: SuggestRequestSchema,
    result: PlanResultSchema,
  },
  { additionalProperties: false },
);
export type PlanInput = { name: string; request: SuggestRequest; result: Static<typeof PlanResultSchema> };

export const PlanQuerySchema = Type.Object(
  {
    kreis: Type.Optional(Ars),
    status: Type.Optional(Type.Enum([...PLAN_STATUSES])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type PlanQuery = Static<typeof PlanQuerySchema>;

export const PlanParamsSchema = Type.Object({ id: Id });
export const PlanCompareParamsSchema = Type.Object({ id: Id, other: Id });
