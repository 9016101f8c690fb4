import { Writable } from 'node:stream'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { errorFields, structuredLogger } from '@tailmesh/core'

/** A pino logger whose JSON lines are collected, parsed. */
function collected(level: string): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const l of chunk.toString().split('\n'))
        if (l) lines.push(JSON.parse(l) as Record<string, unknown>)
      done()
    },
  })
  return { log: pino({ level }, out), lines }
}

describe('structuredLogger (core lines through the relay pino)', () => {
  it('scopes each component as a pino child, maps the level and passes fields as the object', () => {
    const { log, lines } = collected('debug')
    const core = structuredLogger(log)
    core.forComponent('transport:mailbox').debug('could not connect', { code: 1006 })
    core.forComponent('friends').warn('deny not delivered', errorFields(new Error('offline')))
    expect(lines).toEqual([
      expect.objectContaining({
        level: 20,
        component: 'transport:mailbox',
        code: 1006,
        msg: 'could not connect',
      }),
      expect.objectContaining({
        level: 40,
        component: 'friends',
        error: 'Error: offline',
        msg: 'deny not delivered',
      }),
    ])
  })

  it('leaves debug lines out at the relay default level (info)', () => {
    const { log, lines } = collected('info')
    structuredLogger(log).forComponent('blobs').debug('want not sent')
    expect(lines).toEqual([])
  })
})
