import { describe, expect, it } from 'vitest'
import { errorFields, noLogger, sinkLogger, type LogRecord } from './logger'

describe('logger', () => {
  it('hands scoped lines to the sink, with their fields', () => {
    const lines: LogRecord[] = []
    const log = sinkLogger((r) => lines.push(r)).forComponent('replica')
    log.debug('a frame no key opens', { bytes: 12 })
    log.warn('relay away')
    expect(lines.map((l) => [l.level, l.component, l.message, l.fields])).toEqual([
      ['debug', 'replica', 'a frame no key opens', { bytes: 12 }],
      ['warn', 'replica', 'relay away', undefined],
    ])
  })

  it('survives a sink that throws, and the default logs nothing', () => {
    const log = sinkLogger(() => {
      throw new Error('full')
    }).forComponent('x')
    expect(() => log.error('still fine')).not.toThrow()
    expect(() => noLogger.forComponent('y').debug('nothing')).not.toThrow()
  })

  it('reduces an error to its name and message', () => {
    expect(errorFields(new TypeError('bad'))).toEqual({ error: 'TypeError: bad' })
    expect(errorFields('plain')).toEqual({ error: 'plain' })
  })
})
