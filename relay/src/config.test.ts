import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config'
import { defaultLimits, TokenBucket } from './limits'

describe('parseConfig', () => {
  it('uses the documented defaults', () => {
    const c = parseConfig([], {})
    if (c === 'help') throw new Error('unexpected help')
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, logLevel: 'info', limits: defaultLimits })
    expect(c.dataDir).toBe(`${process.cwd()}/data`)
  })

  it('reads env and lets flags win', () => {
    const env = { PORT: '9000', HOST: '0.0.0.0', DATA_DIR: '/srv/tm', LOG_LEVEL: 'warn' }
    expect(parseConfig([], env)).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/srv/tm',
      logLevel: 'warn',
    })
    expect(
      parseConfig(['--port', '0', '--topic-quota', '1000', '--max-topic-quota', '5000'], env),
    ).toMatchObject({
      port: 0,
      limits: { topicQuotaBytes: 1000, maxTopicQuotaBytes: 5000 },
    })
    expect(parseConfig(['--help'], {})).toBe('help')
  })

  it('reads the hardening flags: --trust-proxy, --topic-ttl / TOPIC_TTL, the caps', () => {
    expect(parseConfig([], {})).toMatchObject({ trustProxy: false, limits: { topicTtlSeconds: 7_776_000 } })
    expect(parseConfig(['--trust-proxy'], {})).toMatchObject({ trustProxy: true })
    expect(parseConfig([], { TRUST_PROXY: 'on', TOPIC_TTL: '60' })).toMatchObject({
      trustProxy: true,
      limits: { topicTtlSeconds: 60 },
    })
    expect(parseConfig(['--topic-ttl', '5'], { TOPIC_TTL: '60' })).toMatchObject({
      limits: { topicTtlSeconds: 5 },
    })
    expect(
      parseConfig(
        ['--max-connections-per-ip', '3', '--new-topic-fill', '90', '--max-buffered-bytes', '1024'],
        {},
      ),
    ).toMatchObject({ limits: { maxConnectionsPerIp: 3, newTopicFillPercent: 90, maxBufferedBytes: 1024 } })
    expect(() => parseConfig(['--new-topic-fill', '101'], {})).toThrow(ConfigError)
    expect(() => parseConfig([], { TOPIC_TTL: 'soon' })).toThrow(ConfigError)
  })

  it('refuses what it cannot use', () => {
    for (const args of [
      ['--port', '-1'],
      ['--port', '70000'],
      ['--frame-rate', '0'],
      ['--max-connections', '1e3'],
      ['--log-level', 'loud'],
      ['--nope'],
      ['positional'],
    ])
      expect(() => parseConfig(args, {}), args.join(' ')).toThrow(ConfigError)
  })
})

describe('TokenBucket', () => {
  it('allows a burst, then the rate', () => {
    const b = new TokenBucket(10, 20, 0)
    let taken = 0
    while (b.take(1, 0)) taken++
    expect(taken).toBe(20)
    expect(b.take(1, 50)).toBe(false) // 0.5 token after 50 ms
    expect(b.take(1, 100)).toBe(true) // 1 token after 100 ms
    expect(b.full(100)).toBe(false)
    expect(b.full(100 + 2000)).toBe(true)
  })
})
