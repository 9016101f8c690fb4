// A child process of the relay cluster bench holding up to a few thousand subscriber sockets: one
// process cannot hold 20k sockets under this machine's `ulimit -n` (20,000, per process), so the bench
// spreads its subscribers over several of these. It speaks to the bench over IPC (wire below) and
// stamps every push with wall-clock ms (performance.timeOrigin + now: comparable across processes on
// one machine, sub-millisecond).
import { WebSocket } from 'ws'
import { MailboxClientOp, MailboxRelayOp, encodeMailboxClientFrame } from '@tailmesh/core'

/** From the bench: open sockets and subscribe; arm for one broadcast; close. */
export type ToSubscribers =
  | { kind: 'open'; urls: string[]; count: number; first: number; topic: string }
  | { kind: 'arm' }
  | { kind: 'close' }

/** To the bench: sockets subscribed; armed; every socket's arrival time of the armed broadcast. */
export type FromSubscribers =
  | { kind: 'ready' }
  | { kind: 'armed' }
  | { kind: 'arrivals'; at: number[] }
  | { kind: 'error'; message: string }

const stamp = (): number => performance.timeOrigin + performance.now()
const send = (m: FromSubscribers): void => void process.send!(m)

let sockets: WebSocket[] = []
let armed: { at: number[]; timer: NodeJS.Timeout } | null = null

function onPush(): void {
  if (!armed) return
  armed.at.push(stamp())
  if (armed.at.length === sockets.length) finish()
}

function finish(): void {
  if (!armed) return
  clearTimeout(armed.timer)
  send({ kind: 'arrivals', at: armed.at })
  armed = null
}

async function open(urls: string[], count: number, first: number, topicHex: string): Promise<void> {
  const topic = new Uint8Array(Buffer.from(topicHex, 'hex'))
  const subscribe = encodeMailboxClientFrame({ op: MailboxClientOp.subscribe, id: 1, topic })
  let next = 0
  const lane = async () => {
    while (next < count) {
      const i = first + next++
      // Many source addresses: one address has only ~28k ephemeral ports towards one relay port.
      const ws = new WebSocket(urls[i % urls.length]!, { localAddress: `127.0.0.${2 + (i % 50)}` })
      ws.on('error', () => {})
      await new Promise<void>((res, rej) => {
        ws.once('open', () => res())
        ws.once('error', rej)
      })
      await new Promise<void>((res) => {
        ws.on('message', (d: Buffer) => {
          if (d[0] === MailboxRelayOp.push) onPush()
          else res()
        })
        ws.send(subscribe)
      })
      sockets.push(ws)
    }
  }
  await Promise.all(Array.from({ length: 100 }, lane))
}

process.on('message', (m: ToSubscribers) => {
  if (m.kind === 'open')
    open(m.urls, m.count, m.first, m.topic).then(
      () => send({ kind: 'ready' }),
      (e: Error) => send({ kind: 'error', message: e.message }),
    )
  else if (m.kind === 'arm') {
    armed = { at: [], timer: setTimeout(finish, 20_000) }
    send({ kind: 'armed' })
  } else {
    for (const ws of sockets) ws.terminate()
    sockets = []
    process.exit(0)
  }
})
