import { errorFields, type Logger } from '../../log/logger'

/**
 * Calls a link handler so that nothing it throws can break the transport's own state. What it threw
 * still goes to the console as before, and to `log` (the transport's scoped logger) at debug.
 */
export function safely(run: () => void, log?: Logger): void {
  try {
    run()
  } catch (e) {
    console.error('tailmesh: a transport handler threw', e)
    log?.debug('a link handler threw', errorFields(e))
  }
}
