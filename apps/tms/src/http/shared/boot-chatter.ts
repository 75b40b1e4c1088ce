import type { LoggerService } from '@nestjs/common';

/** Nest's own start-up contexts: one line per module and per route, useful only when debugging. */
const BOOT_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * Nest's start-up messages at debug level instead of info, so that what an operator sees at start is
 * ours (the database, migrations, then the URL and the demo sign-ins last), not 150 route mappings.
 */
export function quietBootChatter(logger: LoggerService): LoggerService {
  const isBoot = (params: unknown[]) => BOOT_CONTEXTS.has(params.at(-1) as string);
  return {
    log: (message: unknown, ...params: unknown[]) =>
      isBoot(params) ? logger.debug?.(message, ...params) : logger.log(message, ...params),
    error: (message: unknown, ...params: unknown[]) => logger.error(message, ...params),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(message, ...params),
    debug: (message: unknown, ...params: unknown[]) => logger.debug?.(message, ...params),
    verbose: (message: unknown, ...params: unknown[]) => logger.verbose?.(message, ...params),
    fatal: (message: unknown, ...params: unknown[]) => logger.fatal?.(message, ...params),
  };
}
