import type { PinoLogger } from 'nestjs-pino';

/** A structured logger in pino's argument order (libs/jobs' JobLogger has this shape). */
export interface StructuredLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The one pino → structured logger adapter (job code logs through it under `context`). */
export function structuredLogger(pino: PinoLogger, context: string): StructuredLogger {
  pino.setContext(context);
  return {
    info: (fields, message) => pino.info(fields, message),
    warn: (fields, message) => pino.warn(fields, message),
    error: (fields, message) => pino.error(fields, message),
  };
}
