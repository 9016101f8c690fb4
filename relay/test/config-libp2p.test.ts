// The relay's libp2p flags, and a relay started without libp2p.
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig, type RelayConfig } from '../src/config'
import { spawnRelay } from './helpers/relay-process'

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseConfig(argv, env) as RelayConfig

describe('relay libp2p flags', () => {
  it('listens next to the HTTP port by default, anywhere with --port 0, nowhere with --no-libp2p', () => {
    expect(parse([]).libp2p).toEqual({ port: 8788 })
    expect(parse(['--port', '0']).libp2p).toEqual({ port: 0 })
    expect(parse(['--libp2p-port', '4001']).libp2p).toEqual({ port: 4001 })
    expect(parse([], { LIBP2P_PORT: '4002' }).libp2p).toEqual({ port: 4002 })
    expect(parse(['--no-libp2p']).libp2p).toBeNull()
    expect(parse([], { LIBP2P: 'off' }).libp2p).toBeNull()
    expect(() => parse(['--port', '9000', '--libp2p-port', '9000'])).toThrow(ConfigError)
    expect(() => parse(['--libp2p-port', '70000'])).toThrow(ConfigError)
  })

  it('a relay with --no-libp2p reports libp2p: null and serves the mailbox as before', async () => {
    const relay = await spawnRelay(['--no-libp2p'])
    try {
      const health = (await (await fetch(`${relay.http}/healthz`)).json()) as {
        status: string
        libp2p: unknown
      }
      expect(health).toMatchObject({ status: 'ok', libp2p: null })
      expect(relay.output()).not.toContain('libp2p listening')
    } finally {
      await relay.stop()
    }
  })
})
