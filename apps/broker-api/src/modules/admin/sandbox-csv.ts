import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import type { Page, Sandbox } from '@broker/domain';
import { toAdminSandbox } from './admin-sandbox.presenter';
import type { AdminSandboxDto } from './dto/admin-sandbox.dto';

/**
 * Every field of the admin view, in column order. `satisfies` makes a field added to
 * AdminSandboxDto (reservation_id was one) a compile error here until it has its column.
 */
const COLUMN_ORDER = {
  sandbox_id: true,
  name: true,
  external_id: true,
  status: true,
  sfdc_account_id: true,
  owner_id: true,
  track_name: true,
  reservation_id: true,
  allocated_at: true,
  expires_at: true,
  deletion_requested_at: true,
  deletion_attempts: true,
  next_attempt_at: true,
  last_error: true,
  quarantine_reason: true,
  deleted_at: true,
  stale_since: true,
  created_at: true,
  updated_at: true,
  version: true,
} as const satisfies Record<keyof AdminSandboxDto, true>;

/** The CSV columns: every field of the admin view, in its order. */
export const CSV_COLUMNS = Object.keys(COLUMN_ORDER) as readonly (keyof AdminSandboxDto)[];

/** Rows read per store page while exporting (the listing's maximum). */
export const EXPORT_PAGE_SIZE = 100;
/** Upper bound on store pages per export (10,000 × 100 rows): the loop always ends. */
export const EXPORT_MAX_PAGES = 10_000;

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return
 * first) gets a leading `'` (OWASP's CSV-injection advice); numbers are left alone.
 */
export function neutraliseCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Streams every row of a filtered listing as CSV, one store page at a time (memory stays one
 * page whatever the pool's size). csv-stringify does the quoting (commas, quotes, newlines in
 * reasons and errors) as RFC 4180 says; a store error mid-way ends the stream with an error.
 */
export function sandboxCsvStream(
  nextPage: (cursor: string | undefined) => Promise<Page<Sandbox>>,
): Readable {
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    let cursor: string | undefined;
    for (let page = 0; page < EXPORT_MAX_PAGES; page += 1) {
      const result = await nextPage(cursor);
      for (const sandbox of result.items) {
        const view = toAdminSandbox(sandbox) as unknown as Record<string, unknown>;
        yield Object.fromEntries(CSV_COLUMNS.map((c) => [c, neutraliseCell(view[c] ?? null)]));
      }
      if (result.cursor === null) return;
      cursor = result.cursor;
    }
  }
  const csv = stringify({
    header: true,
    columns: CSV_COLUMNS.map((key) => ({ key })),
    cast: { boolean: (value) => String(value) },
  });
  const source = Readable.from(rows());
  source.on('error', (error) => csv.destroy(error));
  return source.pipe(csv);
}
