import { pino } from 'pino'
import type { Logger } from '../../application/ports/logger.ts'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** JSON lines on stdout; one logger for the process, no per-request children on hot paths. */
export function makePinoLogger(level: LogLevel): Logger & { flush(): void } {
  const logger = pino({ level, base: { service: 'ilp-node' } })
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    flush: () => logger.flush(),
  }
}
