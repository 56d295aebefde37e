import type { LoggerService } from '@nestjs/common';

/**
 * Nest's start-up chatter: a line per module and per route (about 60 lines). The route lines
 * were also wrong for the routes outside `/v1` (`MetricsController {/v1/metrics}` for a route
 * served at `/metrics`), so they are dropped and `logStartup` says where things are instead.
 */
export const QUIET_CONTEXTS: ReadonlySet<string> = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
]);

function isQuiet(optionalParams: unknown[]): boolean {
  const context = optionalParams[optionalParams.length - 1];
  return typeof context === 'string' && QUIET_CONTEXTS.has(context);
}

/** Forwards everything to `inner` except Nest's module and route mapping lines at `log` level. */
export class QuietNestLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    if (!isQuiet(optionalParams)) this.inner.log(message, ...optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.error(message, ...optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.warn(message, ...optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.debug?.(message, ...optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.inner.verbose?.(message, ...optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...optionalParams);
  }
}
