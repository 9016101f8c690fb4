// The ICE servers the relay advertises for calls: flags and env parsed, STUN as given, TURN with
// coturn's time-limited credentials (REST API form) that verify with the shared secret, bad URLs
// refused with a clear error.
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config'
import { iceServers } from './ice-servers'

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const c = parseConfig(argv, env)
  if (c === 'help') throw new Error('help')
  return c
}

describe('ICE servers for calls', () => {
  it('advertises nothing by default, and STUN URLs as given', () => {
    expect(iceServers(parse([]).ice)).toEqual([])
    const c = parse(['--ice-server', 'stun:stun.example.org:3478', '--ice-server', 'stun:127.0.0.1:3478'])
    expect(iceServers(c.ice)).toEqual([{ urls: ['stun:stun.example.org:3478', 'stun:127.0.0.1:3478'] }])
  })

  it("gives TURN time-limited credentials that coturn's shared secret verifies", () => {
    const c = parse(['--ice-server', 'turn:127.0.0.1:3478?transport=udp'], {
      TURN_SECRET: 's3cret',
      TURN_TTL: '600',
    })
    const now = Date.UTC(2026, 10, 28, 12)
    const [turn] = iceServers(c.ice, now)
    expect(turn?.urls).toEqual(['turn:127.0.0.1:3478?transport=udp'])
    expect(turn?.username).toBe(`${now / 1000 + 600}:tailmesh`)
    expect(turn?.credential).toBe(createHmac('sha1', 's3cret').update(turn!.username!).digest('base64'))
    // Never the secret itself.
    expect(JSON.stringify(iceServers(c.ice))).not.toContain('s3cret')
  })

  it('takes the list from ICE_SERVERS and fixed TURN credentials from the environment', () => {
    const c = parse([], {
      ICE_SERVERS: 'stun:a.example:3478 turn:b.example:3478',
      TURN_USERNAME: 'u',
      TURN_CREDENTIAL: 'p',
    })
    expect(iceServers(c.ice)).toEqual([
      { urls: ['stun:a.example:3478'] },
      { urls: ['turn:b.example:3478'], username: 'u', credential: 'p' },
    ])
  })

  it('refuses what is not a STUN or TURN URL', () => {
    expect(() => parse(['--ice-server', 'https://evil.example/'])).toThrow(ConfigError)
    expect(() => parse(['--ice-server', 'https://evil.example/'])).toThrow(/--ice-server must be a stun:/)
  })
})
