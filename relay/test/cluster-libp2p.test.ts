// The libp2p nodes of a relay cluster: two relay processes on one real redis-server find each other
// through Redis and connect, so a gossipsub message a member publishes through one relay reaches a
// member attached only to the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { utf8 } from '@tailmesh/core'
import { Libp2pTransport } from '@tailmesh/core/sync/libp2p'
import { Recorder, newAccess } from '@tailmesh/core/test/transport-conformance'
import { until } from '@tailmesh/core/test/until'
import { startRedis, type RedisServer } from './helpers/redis-server'
import { removeDir, spawnRelay, type RelayProcess } from './helpers/relay-process'

interface Libp2pHealth {
  peerId: string
  multiaddrs: string[]
  connections: number
}
const libp2pOf = async (r: RelayProcess): Promise<Libp2pHealth> =>
  ((await (await fetch(`${r.http}/healthz`)).json()) as { libp2p: Libp2pHealth }).libp2p

let redis: RedisServer
const relays: RelayProcess[] = []
beforeAll(async () => {
  redis = await startRedis()
  for (let i = 0; i < 2; i++) relays.push(await spawnRelay(['--redis', redis.url]))
})
afterAll(async () => {
  for (const r of relays) {
    await r.stop()
    removeDir(r.dataDir)
  }
  await redis?.stop()
})

describe('libp2p across a relay cluster', () => {
  it('relays find each other through Redis; a message published via one reaches a member of the other', async () => {
    const [one, two] = [await libp2pOf(relays[0]!), await libp2pOf(relays[1]!)]
    expect(one.peerId).not.toBe(two.peerId)
    await until('the two relays are connected', async () => (await libp2pOf(relays[0]!)).connections >= 1)
    const make = (h: Libp2pHealth) =>
      new Libp2pTransport({ relays: h.multiaddrs, WebSocket, backoff: { minMs: 50, maxMs: 500 } })
    const [ta, tb] = [make(one), make(two)]
    try {
      const access = await newAccess()
      const [ra, rb] = [new Recorder(), new Recorder()]
      const [la] = await Promise.all([ta.open(access, ra), tb.open(access, rb)])
      for (const r of [ra, rb]) await r.until('online', () => r.statuses.includes(true), 15_000)
      // Each member is attached to its own relay only (no direct link between them): the relays' mesh
      // carries the message. Gossipsub builds meshes on its heartbeat, so publish until it lands.
      expect(ta.connections().every((c) => c.peer !== two.peerId)).toBe(true)
      let n = 0
      await until(
        'a message through relay one reaches the member on relay two',
        async () => {
          await la.broadcast(utf8(`via relay one ${n++}`))
          await new Promise((r) => setTimeout(r, 300))
          return rb.texts().some((t) => t.startsWith('via relay one'))
        },
        30_000,
      )
    } finally {
      await Promise.all([ta.close(), tb.close()])
    }
  }, 90_000)
})
