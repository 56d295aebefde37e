import { ApiError, type ProblemBody } from '../api/api-error';

/** Reads a problem+json body; anything else (HTML from a proxy, empty) gives null. */
export function parseProblem(text: string): ProblemBody | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const body = value as Record<string, unknown>;
    const str = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
    const num = (key: string) => (typeof body[key] === 'number' ? body[key] : undefined);
    return {
      title: str('title'),
      detail: str('detail'),
      code: str('code'),
      request_id: str('request_id'),
      type: str('type'),
      status: num('status'),
      ...(num('shortfall') !== undefined
        ? {
            shortfall: num('shortfall'),
            available: num('available'),
            committed: num('committed'),
            requested: num('requested'),
          }
        : {}),
    };
  } catch {
    return null;
  }
}

const FALLBACK: Readonly<Record<number, string>> = {
  401: 'Not signed in or the session has ended',
  403: 'Not allowed for this role',
  404: 'Not found',
  409: 'Conflict with the current state',
  429: 'Too many requests; try again shortly',
  503: 'The broker is unavailable; try again shortly',
};

/**
 * One line for the operator: the problem's detail (else title), its code and request id so a
 * report can be matched with the logs. Never includes request data (tokens are never echoed).
 */
export function problemMessage(status: number, problem: ProblemBody | null): string {
  const text =
    problem?.detail?.trim() || problem?.title?.trim() || FALLBACK[status] || `HTTP ${status}`;
  const tags = [problem?.code, problem?.request_id ? `request ${problem.request_id}` : undefined]
    .filter(Boolean)
    .join(', ');
  return tags ? `${text} (${tags})` : text;
}

/** A message for anything a call may throw (network failures included). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return `The broker did not answer (${error.message})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
