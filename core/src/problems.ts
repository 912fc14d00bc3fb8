// RFC 9457 problem types: one named constant each, shared by server and client, so a client
// can branch on `type` rather than on English text.
export const PROBLEM_BASE = 'https://integrationslandkarte.example/problems/';

export const ProblemType = {
  validation: `${PROBLEM_BASE}validation`,
  notFound: `${PROBLEM_BASE}not-found`,
  unauthenticated: `${PROBLEM_BASE}unauthenticated`,
  forbidden: `${PROBLEM_BASE}forbidden`,
  conflict: `${PROBLEM_BASE}conflict`,
  preconditionFailed: `${PROBLEM_BASE}precondition-failed`,
  preconditionRequired: `${PROBLEM_BASE}precondition-required`,
  payloadTooLarge: `${PROBLEM_BASE}payload-too-large`,
  unsupportedMediaType: `${PROBLEM_BASE}unsupported-media-type`,
  tooManyRequests: `${PROBLEM_BASE}too-many-requests`,
  unavailable: `${PROBLEM_BASE}unavailable`,
  internal: `${PROBLEM_BASE}internal`,
} as const;

export type ProblemTypeUri = (typeof ProblemType)[keyof typeof ProblemType];

/** One invalid input field: `field` is a JSON pointer into the body, or a query parameter name. */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  request_id?: string;
}
