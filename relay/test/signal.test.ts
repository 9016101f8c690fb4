// /signal against the real relay process: y-webrtc's protocol message by message, robustness against
// garbage, and two unmodified y-webrtc clients (in their own processes, over @roamhq/wrtc) syncing a
// Y.Doc through it.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { spawnRelay, removeDir, type RelayProcess } from './helpers/relay-process'
import { closed, nextJson, open, sleep } from './helpers/ws'

let relay: RelayProcess
const sockets: WebSocket[] = []
const connect = async () => {
  const ws = await open(relay.signalUrl)
  sockets.push(ws)
  return ws
}

beforeAll(async () => {
  relay = await spawnRelay(['--max-bad-frames', '5'])
})
afterAll(async () => {
  for (const ws of sockets) ws.terminate()
  await relay.stop()
  removeDir(relay.dataDir)
})

describe('/signal (y-webrtc signaling protocol)', () => {
  it('answers ping with pong', async () => {
    const ws = await connect()
    const pong = nextJson(ws)
    ws.send(JSON.stringify({ type: 'ping' }))
    expect(await pong).toEqual({ type: 'pong' })
  })

  it('relays a publish to every subscriber, the sender included, with the subscriber count', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()]
    a.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }))
    b.send(JSON.stringify({ type: 'subscribe', topics: ['room-1', 'room-2'] }))
    c.send(JSON.stringify({ type: 'subscribe', topics: ['room-2'] }))
    await sleep(100)
    const got = [nextJson(a), nextJson(b)]
    const notC = nextJson(c, () => true, 300).catch(() => 'nothing')
    a.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: { hi: 1 } }))
    for (const m of await Promise.all(got))
      expect(m).toEqual({ type: 'publish', topic: 'room-1', data: { hi: 1 }, clients: 2 })
    expect(await notC).toBe('nothing')

    b.send(JSON.stringify({ type: 'unsubscribe', topics: ['room-1'] }))
    await sleep(100)
    const onlyA = nextJson(a)
    const notB = nextJson(b, () => true, 300).catch(() => 'nothing')
    c.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 2 }))
    expect(await onlyA).toMatchObject({ data: 2, clients: 1 })
    expect(await notB).toBe('nothing')
  })

  it('ignores malformed messages, then closes a socket that keeps sending them', async () => {
    const ws = await connect()
    const healthy = await connect()
    for (const junk of ['{', 'null', '[1,2]', '{"type":"subscribe","topics":7}', '{"type":"publish"}'])
      ws.send(junk)
    // Still served after five bad frames (the limit in this test is 5).
    const pong = nextJson(ws)
    ws.send('{"type":"ping"}')
    expect(await pong).toEqual({ type: 'pong' })
    const bye = closed(ws)
    ws.send('not json')
    expect(await bye).toEqual({ code: 1008, reason: 'too many malformed messages' })
    const pong2 = nextJson(healthy)
    healthy.send('{"type":"ping"}')
    expect(await pong2).toEqual({ type: 'pong' })
    expect(relay.alive()).toBe(true)
  })

  it('closes a socket that sends a frame over the size limit with 1009', async () => {
    const ws = await connect()
    const bye = closed(ws)
    ws.send('x'.repeat(300 * 1024))
    expect((await bye).code).toBe(1009)
    expect(relay.alive()).toBe(true)
  })

  it('lets two stock y-webrtc clients sync a Y.Doc', async () => {
    const peerScript = join(fileURLToPath(new URL('.', import.meta.url)), 'helpers/y-webrtc-peer.ts')
    const run = (me: string, other: string, jitter: number) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(
          process.execPath,
          ['--import', 'tsx', peerScript, relay.signalUrl, 'tailmesh-test-room', me, other, String(jitter)],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        )
        let out = ''
        p.stdout.on('data', (d: Buffer) => (out += d.toString()))
        p.stderr.on('data', (d: Buffer) => (out += d.toString()))
        const kill = setTimeout(() => p.kill('SIGKILL'), 40_000)
        p.on('exit', (code) => (clearTimeout(kill), resolve({ code, out })))
      })
    const [a, b] = await Promise.all([run('alice', 'bob', 0), run('bob', 'alice', 400)])
    expect(a.code, a.out).toBe(0)
    expect(b.code, b.out).toBe(0)
    for (const r of [a, b]) {
      const line = JSON.parse(r.out.trim().split('\n').at(-1)!) as { map: object; webrtcConns: number }
      expect(line.map).toEqual({ alice: 'hello from alice', bob: 'hello from bob' })
      expect(line.webrtcConns).toBeGreaterThan(0)
    }
  }, 60_000)
})
