// The app's diagnostic log: what core says about failures it otherwise keeps quiet (a relay away, a
// frame that does not decode, a write that failed), kept only when the person turns it on in
// Settings → Diagnostics, only in memory (the last 1,000 lines), and only leaving the device when they
// download it for a bug report. Core's loggers never carry keys, invite links or message contents.
//
// `appLogger()` is what the app hands to core (Replica.start, transports, friends, pairing,
// presence): one boolean check per line while the log is off, so it may be passed everywhere.
import { errorFields, sinkLogger, type ComponentLogger, type LogRecord, type Logger } from '@tailmesh/core'

/** How many lines the log keeps: older ones are dropped. */
export const LOG_LIMIT = 1000

/** The last `limit` lines, oldest first: a fixed array written round and round. */
export class LogRing {
  private readonly slots: string[]
  private next = 0
  private count = 0

  constructor(readonly limit = LOG_LIMIT) {
    this.slots = new Array<string>(limit)
  }

  get size(): number {
    return this.count
  }

  push(line: string): void {
    this.slots[this.next] = line
    this.next = (this.next + 1) % this.limit
    if (this.count < this.limit) this.count++
  }

  lines(): string[] {
    const start = (this.next - this.count + this.limit) % this.limit
    const out: string[] = []
    for (let i = 0; i < this.count; i++) out.push(this.slots[(start + i) % this.limit]!)
    return out
  }

  clear(): void {
    this.slots.fill('')
    this.next = 0
    this.count = 0
  }
}

/** One line: time, level, component, message, then the fields as JSON. */
export function formatRecord(r: LogRecord): string {
  const head = `${new Date(r.time).toISOString()} ${r.level.toUpperCase().padEnd(5)} [${r.component}] ${r.message}`
  if (!r.fields || Object.keys(r.fields).length === 0) return head
  let fields: string
  try {
    fields = JSON.stringify(r.fields, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))
  } catch {
    fields = '{"fields":"not serialisable"}' // a cycle: the message itself is still worth keeping
  }
  return `${head} ${fields}`
}

/** Where the on/off choice is kept (localStorage in the app; a map in tests). */
export interface FlagStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export const DIAGNOSTICS_KEY = 'tailmesh.diagnostics'

export interface DiagnosticLog {
  /** Core's loggers, writing here while the log is on and doing nothing while it is off. */
  readonly logger: ComponentLogger
  enabled(): boolean
  /** Turning it off also forgets what was kept. */
  setEnabled(on: boolean): void
  /** Re-reads the choice from the store (another tab changed it). */
  reload(): void
  lines(): string[]
}

export function diagnosticLog(options: { store?: FlagStore | null; limit?: number } = {}): DiagnosticLog {
  const store = options.store ?? null
  const ring = new LogRing(options.limit)
  const read = (): boolean => {
    try {
      return store?.getItem(DIAGNOSTICS_KEY) === 'on'
    } catch {
      return false // storage unavailable (private mode, blocked): the log stays off
    }
  }
  let on = read()
  const sink = sinkLogger((record) => ring.push(formatRecord(record)))
  const logger: ComponentLogger = {
    forComponent(component) {
      const inner = sink.forComponent(component)
      const gated: Logger = {
        debug(message, fields) {
          if (on) inner.debug(message, fields)
        },
        info(message, fields) {
          if (on) inner.info(message, fields)
        },
        warn(message, fields) {
          if (on) inner.warn(message, fields)
        },
        error(message, fields) {
          if (on) inner.error(message, fields)
        },
      }
      return gated
    },
  }
  return {
    logger,
    enabled: () => on,
    setEnabled(next) {
      on = next
      if (!next) ring.clear()
      try {
        if (next) store?.setItem(DIAGNOSTICS_KEY, 'on')
        else store?.removeItem(DIAGNOSTICS_KEY)
      } catch {
        // Not kept across reloads, but on for this page as asked.
      }
    },
    reload() {
      const next = read()
      if (next === on) return
      on = next
      if (!next) ring.clear()
    },
    lines: () => ring.lines(),
  }
}

// --- the app's own log --------------------------------------------------------------------------

function pageStorage(): FlagStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

const appLog = diagnosticLog({ store: pageStorage() })

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === DIAGNOSTICS_KEY || e.key === null) appLog.reload()
  })
  // What escapes every handler belongs in a bug report too.
  const page = appLog.logger.forComponent('app')
  window.addEventListener('error', (e) => page.error('uncaught error', errorFields(e.error ?? e.message)))
  window.addEventListener('unhandledrejection', (e) =>
    page.error('unhandled rejection', errorFields(e.reason)),
  )
}

/** The app's logger for core: pass it as `logger` wherever core takes one. */
export function appLogger(): ComponentLogger {
  return appLog.logger
}

export function diagnosticsEnabled(): boolean {
  return appLog.enabled()
}

export function setDiagnosticsEnabled(on: boolean): void {
  appLog.setEnabled(on)
  if (on)
    appLog.logger.forComponent('app').info('diagnostic log on', {
      userAgent: typeof navigator === 'undefined' ? undefined : navigator.userAgent,
    })
}

/** The kept lines, oldest first. */
export function logLines(): string[] {
  return appLog.lines()
}

/** Saves the kept lines as a text file (the browser's download). */
export function downloadLog(): void {
  const now = new Date()
  const text = [`# Tailmesh diagnostic log, saved ${now.toISOString()}`, ...appLog.lines(), ''].join('\n')
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = `tailmesh-log-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.txt`
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
  // After the click has started the download: revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
