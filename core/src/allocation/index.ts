export * from './types.ts';
export { computeLegalKey } from './legal-key.ts';
export { suggestAllocation } from './suggest.ts';
export { housingCap } from './bounds.ts';
export { STALE_REPORT_DAYS, missingReports, reportStatus, type ReportStatus, type UnitReportStatus } from './report-status.ts';
export { CRITERIA, SCORE_LIMIT, criterionScores, type CriterionSpec } from './criteria.ts';
export { MAX_WEIGHT } from './validate.ts';
export {
  canonicalProfile,
  groupProfiles,
  totalPersons,
  validateMatchingProblem,
  type HouseholdGroup,
  type HouseholdProfile,
  type MatchingProblem,
  type MatchingUnit,
  type MatchingWeights,
} from './households.ts';
export { parseHouseholdCsv, type CsvError, type CsvResult } from './household-csv.ts';
export { fitMatrix, householdFit, relevance } from './household-fit.ts';
export { buildHouseholdModel, type HouseholdModel, type ModelVariable } from './household-lp.ts';
export { greedyMatching, type GroupPlacement, type MatchingSolution } from './household-greedy.ts';
export { solveHouseholdModel, type ExactMatching, type HighsSolver } from './solve-highs.ts';
export * from './online.ts';
export type * from './api.ts';
