// Core's logging seam, shaped after js-libp2p's `ComponentLogger.forComponent`: every part of core
// that can fail quietly (a transport that cannot open, a frame no key opens, a relay that is away)
// asks the logger it was given for a scoped one and says so at `debug`. The default logs nothing, so
// core stays silent unless the host (the relay's pino, a bot, the web app's diagnostics) asks.
//
// Messages are plain text plus fields: never pass keys, secrets, sealed payloads or invite links.

/** The fields a log line carries besides its message (ids, counts, an error). */
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

/** Hands out loggers scoped to a component, e.g. `replica`, `transport:mailbox`. */
export interface ComponentLogger {
  forComponent(component: string): Logger
}

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
}

/** Logs nothing: the default wherever a `logger` option is left out. */
export const noLogger: ComponentLogger = { forComponent: () => silent }

export type LogLevel = keyof Logger

/** One line as `sinkLogger` hands it on. */
export interface LogRecord {
  time: number
  level: LogLevel
  component: string
  message: string
  fields?: LogFields
}

/** A logger that hands every line to `sink` (the web app's ring buffer, a test's array). */
export function sinkLogger(sink: (record: LogRecord) => void): ComponentLogger {
  return {
    forComponent(component) {
      const line =
        (level: LogLevel) =>
        (message: string, fields?: LogFields): void => {
          try {
            sink({ time: Date.now(), level, component, message, ...(fields ? { fields } : {}) })
          } catch {
            // A sink that throws must not break the code that logged.
          }
        }
      return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }
    },
  }
}

/** The part of an error worth a log line: its name and message (never its whole object graph). */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}` }
  return { error: String(error) }
}

/**
 * The part of a pino logger (or anything shaped like one: fields first, then the message) that
 * `structuredLogger` uses. Core does not depend on pino; the relay and the bots hand theirs in.
 */
export interface StructuredLogger {
  child(bindings: LogFields): StructuredLogger
  debug(fields: LogFields, message: string): void
  info(fields: LogFields, message: string): void
  warn(fields: LogFields, message: string): void
  error(fields: LogFields, message: string): void
}

/**
 * Core's loggers on top of a pino logger: `forComponent(name)` is `base.child({ component: name })`,
 * each level is pino's own, and a line's fields are pino's object argument.
 */
export function structuredLogger(base: StructuredLogger): ComponentLogger {
  return {
    forComponent(component) {
      const child = base.child({ component })
      return {
        debug: (message, fields) => child.debug(fields ?? {}, message),
        info: (message, fields) => child.info(fields ?? {}, message),
        warn: (message, fields) => child.warn(fields ?? {}, message),
        error: (message, fields) => child.error(fields ?? {}, message),
      }
    },
  }
}
