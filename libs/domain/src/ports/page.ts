/** One page of a listing; `cursor` is opaque and null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}
