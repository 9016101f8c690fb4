import { describe, expect, it } from 'vitest'
import {
  DIAGNOSTICS_KEY,
  LOG_LIMIT,
  LogRing,
  diagnosticLog,
  formatRecord,
  type FlagStore,
} from './log-buffer'

function memoryStore(initial: Record<string, string> = {}): FlagStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial))
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  }
}

describe('LogRing', () => {
  it('keeps the last 1,000 lines in order and drops older ones', () => {
    const ring = new LogRing()
    expect(ring.limit).toBe(LOG_LIMIT)
    for (let i = 1; i <= 2500; i++) ring.push(`line ${i}`)
    const lines = ring.lines()
    expect(lines).toHaveLength(1000)
    expect(lines[0]).toBe('line 1501')
    expect(lines[999]).toBe('line 2500')
    expect(lines).not.toContain('line 1500')
  })

  it('holds fewer lines as they are, and nothing after clear', () => {
    const ring = new LogRing(3)
    ring.push('a')
    ring.push('b')
    expect(ring.lines()).toEqual(['a', 'b'])
    ring.push('c')
    ring.push('d')
    expect(ring.lines()).toEqual(['b', 'c', 'd'])
    ring.clear()
    expect(ring.size).toBe(0)
    expect(ring.lines()).toEqual([])
  })
})

describe('diagnosticLog', () => {
  it('keeps nothing while off (the default)', () => {
    const log = diagnosticLog({ store: memoryStore() })
    expect(log.enabled()).toBe(false)
    log.logger.forComponent('transport:mailbox').debug('could not connect', { code: 1006 })
    expect(log.lines()).toEqual([])
  })

  it('keeps scoped lines while on, remembers the choice, and forgets the lines when turned off', () => {
    const store = memoryStore()
    const log = diagnosticLog({ store })
    const mailbox = log.logger.forComponent('transport:mailbox') // taken while off: still gated per line
    log.setEnabled(true)
    expect(store.data.get(DIAGNOSTICS_KEY)).toBe('on')
    mailbox.debug('could not connect', { url: 'ws://127.0.0.1:9/mailbox', code: 1006 })
    log.logger.forComponent('friends').warn('deny not delivered')
    expect(log.lines()).toEqual([
      expect.stringMatching(
        /^\d{4}-\d\d-\d\dT[\d:.]+Z DEBUG \[transport:mailbox\] could not connect {"url":"ws:\/\/127\.0\.0\.1:9\/mailbox","code":1006}$/,
      ),
      expect.stringMatching(/ WARN {2}\[friends\] deny not delivered$/),
    ])
    expect(diagnosticLog({ store }).enabled()).toBe(true) // a reload finds it on
    log.setEnabled(false)
    expect(store.data.has(DIAGNOSTICS_KEY)).toBe(false)
    expect(log.lines()).toEqual([])
    mailbox.debug('could not connect')
    expect(log.lines()).toEqual([])
  })

  it('keeps only the last lines through the logger too', () => {
    const log = diagnosticLog({ store: memoryStore({ [DIAGNOSTICS_KEY]: 'on' }), limit: 1000 })
    const blobs = log.logger.forComponent('blobs')
    for (let i = 0; i < 1200; i++) blobs.debug(`want ${i} not sent`)
    const lines = log.lines()
    expect(lines).toHaveLength(1000)
    expect(lines[0]).toMatch(/want 200 not sent$/)
    expect(lines[999]).toMatch(/want 1199 not sent$/)
  })

  it('stays off, without throwing, when storage is unavailable', () => {
    const broken: FlagStore = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('SecurityError')
      },
      removeItem: () => undefined,
    }
    const log = diagnosticLog({ store: broken })
    expect(log.enabled()).toBe(false)
    log.setEnabled(true)
    expect(log.enabled()).toBe(true)
  })
})

describe('formatRecord', () => {
  it('writes fields that JSON cannot hold without failing', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const line = formatRecord({ time: 0, level: 'error', component: 'app', message: 'x', fields: cyclic })
    expect(line).toBe('1970-01-01T00:00:00.000Z ERROR [app] x {"fields":"not serialisable"}')
  })
})
