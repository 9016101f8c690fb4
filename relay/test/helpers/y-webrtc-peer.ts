// One stock y-webrtc client, run as its own process by signal.test.ts (two providers in one process
// would sync through lib0's in-process broadcast channel and never touch the relay). Usage:
//   tsx y-webrtc-peer.ts <signaling url> <room> <my name> <other name> <jitter ms>
// Writes its name into a shared Y.Map, waits until the other's name arrives over WebRTC, prints one
// JSON line with the map and how many WebRTC connections it had, and exits 0 (1 on timeout).
import { WebSocket } from 'ws'

// Node 20 has no global WebSocket; y-webrtc's signaling client (lib0/websocket) needs one.
Object.assign(globalThis, { WebSocket })
const { default: wrtc } = await import('@roamhq/wrtc')
const Y = await import('yjs')
const { WebrtcProvider } = await import('y-webrtc')

const [url, room, me, other, jitter] = process.argv.slice(2) as [string, string, string, string, string]
// y-webrtc can deadlock when two peers start in the same millisecond (seen 2 runs in 20): stagger the start.
await new Promise((r) => setTimeout(r, Number(jitter)))

const doc = new Y.Doc()
const provider = new WebrtcProvider(room, doc, {
  signaling: [url],
  peerOpts: { wrtc, config: { iceServers: [] } },
})
const map = doc.getMap<string>('m')
map.set(me, `hello from ${me}`)

const deadline = Date.now() + 25_000
while (map.get(other) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
const ok = map.get(other) !== undefined
// Stay a moment so that the other side also receives our update before we hang up.
await new Promise((r) => setTimeout(r, 1500))
process.stdout.write(
  JSON.stringify({ ok, map: map.toJSON(), webrtcConns: provider.room?.webrtcConns.size ?? 0 }) + '\n',
)
provider.destroy()
doc.destroy()
process.exit(ok ? 0 : 1)
