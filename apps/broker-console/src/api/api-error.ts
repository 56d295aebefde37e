/** An answer other than 2xx, with the problem+json body when the API sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemBody | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** RFC 9457 fields the API sends (all optional: a proxy may answer with anything). */
export interface ProblemBody {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly code?: string;
  readonly request_id?: string;
  readonly errors?: readonly unknown[];
  /** INSUFFICIENT_CAPACITY: sandboxes missing, and the figures behind it. */
  readonly shortfall?: number;
  readonly available?: number;
  readonly committed?: number;
  readonly requested?: number;
}
