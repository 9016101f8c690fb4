// The latency bench page (bench/latency.bench.ts): one bundle with both stacks, driven through
// `window.latencyBench`. Alice pings, Bob echoes; every ping waits for its echo before the next one, so
// what is measured is latency, not throughput.
//
//   stock     y-webrtc's WebrtcProvider over a Y.Doc: Alice sets pings[seq] = { t }, Bob's observer
//             sets echoes[seq]; Alice's observer sees the echo.
//   tailmesh  a group on each side (createGroup / openGroup), a Replica with the WebRTC transport only
//             and MemoryStorage (no IndexedDB in the measurement). Alice sends "ping <seq>" with
//             group.actions.send; Bob's gate accepts it ('accepted' event) and he replies "echo <seq>"
//             the same way; Alice's gate accepting the echo ends the round trip.
//
// Times are taken where the message becomes visible (Y.Map observer; gate 'accepted'), not after a
// further await, so no scheduling hop is added to either stack.
import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
import {
  GroupKey,
  Identity,
  MemoryStorage,
  PanelRoot,
  Replica,
  WebrtcTransport,
  createGroup,
  encodeEnvelope,
  encodeSyncFrame,
  openGroup,
  openSealedEnvelope,
  sealEnvelope,
  signEnvelope,
  verifyEnvelopeSignature,
  type Envelope,
  type Link,
  type LinkHandlers,
  type MessageRecord,
  type OpenGroup,
  type TopicAccess,
  type Transport,
} from '@tailmesh/core'
import { fromBase64, toBase64 } from '../../web/e2e/pages/base64'
import type { EchoSample, LatencyPageApi, MicroTimings, PingRun, PingSample } from './latency-api'

const wall = (): number => performance.timeOrigin + performance.now()
const PING_TIMEOUT_MS = 10_000

/** Wraps a transport to note when a frame leaves for the data channel and when one comes out of it. */
class TimedTransport implements Transport {
  readonly id: string
  readonly kind: string
  readonly durable: boolean
  readonly sameUser: boolean
  lastFrameAt = 0
  onBroadcast: (at: number, callMs: number) => void = () => {}

  constructor(readonly inner: Transport) {
    this.id = inner.id
    this.kind = inner.kind
    this.durable = inner.durable
    this.sameUser = inner.sameUser
  }

  async open(access: TopicAccess, handlers: LinkHandlers, resumeAfter?: number): Promise<Link> {
    const link = await this.inner.open(
      access,
      {
        ...handlers,
        frame: (sealed, from, cursor) => {
          this.lastFrameAt = wall()
          handlers.frame(sealed, from, cursor)
        },
      },
      resumeAfter,
    )
    const timed: Link = {
      broadcast: (sealed) => {
        // The WebRTC link writes to every data channel synchronously inside this call.
        const before = wall()
        const sent = link.broadcast(sealed)
        this.onBroadcast(before, wall() - before)
        return sent
      },
      peers: () => link.peers(),
      online: () => link.online(),
      close: () => link.close(),
    }
    if (link.sendTo) timed.sendTo = link.sendTo.bind(link)
    return timed
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}

function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve()
      if (Date.now() > end) return reject(new Error(`timed out waiting until ${what}`))
      setTimeout(tick, 20)
    }
    tick()
  })
}

/** One outstanding ping: resolved by the echo's observer with the time it saw the echo. */
interface Pending {
  seq: number
  resolve: (echoAt: number) => void
}

function waitEcho(seq: number, slot: { pending: Pending | null }): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no echo of ping ${seq}`)), PING_TIMEOUT_MS)
    slot.pending = {
      seq,
      resolve: (at) => {
        clearTimeout(timer)
        resolve(at)
      },
    }
  })
}

let seq = 0
const echoes: Record<number, EchoSample> = {}

// --- stock y-webrtc ------------------------------------------------------------------------------

let stock: { doc: Y.Doc; provider: WebrtcProvider } | null = null
const stockSlot: { pending: Pending | null; echoFrameAt: number } = { pending: null, echoFrameAt: 0 }
/** When a y-webrtc data-channel message last came out of simple-peer, before y-webrtc reads it. */
let stockLastFrameAt = 0
const hookedPeers = new WeakSet<object>()

/** Our listener goes first on every y-webrtc peer, so it stamps the message before y-webrtc decodes it. */
function hookStockFrames(): void {
  for (const conn of stock?.provider.room?.webrtcConns.values() ?? []) {
    // y-webrtc types its simple-peer instance as any; simple-peer peers are Node-style event emitters.
    const peer = conn.peer as { prependListener(event: 'data', listener: () => void): void }
    if (hookedPeers.has(peer)) continue
    hookedPeers.add(peer)
    peer.prependListener('data', () => (stockLastFrameAt = wall()))
  }
}

function stockMaps() {
  if (!stock) throw new Error('stockStart first')
  return {
    pings: stock.doc.getMap<{ t: number }>('pings'),
    echoes: stock.doc.getMap<{ t: number }>('echoes'),
  }
}

// --- tailmesh ---------------------------------------------------------------------------------------

interface Tm {
  me: Identity
  group: OpenGroup
  panel: string
  replica: Replica
  transport: TimedTransport
}
let tm: Tm | null = null
const tmSlot: {
  pending: Pending | null
  broadcastAt: number | null
  sendCallMs: number
  echoFrameAt: number
} = { pending: null, broadcastAt: null, sendCallMs: 0, echoFrameAt: 0 }

function joined(): Tm {
  if (!tm) throw new Error('tmCreate / tmJoin first')
  return tm
}

/** The body of the one message an envelope of a panel document carries (undefined otherwise). */
function messageBody(t: Tm, e: Envelope): string | undefined {
  if (!e.docId.startsWith('p/')) return undefined
  for (const s of Y.decodeUpdate(e.payload).structs)
    if (s instanceof Y.Item && typeof s.parentSub === 'string')
      return t.group.gate.doc(e.docId).getMap<MessageRecord>(PanelRoot.messages).get(s.parentSub)?.body
  return undefined
}

async function startReplica(me: Identity, group: OpenGroup, key: GroupKey, signalUrl: string): Promise<Tm> {
  const transport = new TimedTransport(new WebrtcTransport({ signaling: [signalUrl], iceServers: [] }))
  const replica = await Replica.start({
    gate: group.gate,
    session: group.session,
    key,
    storage: new MemoryStorage(),
    transports: [transport],
  })
  return { me, group, panel: '', replica, transport }
}

// --- micro timings ------------------------------------------------------------------------------------

const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Median µs of `run(i)` for i < n, awaited one at a time. */
async function timeEach(n: number, run: (i: number) => unknown): Promise<number> {
  const xs: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await run(i)
    xs.push((performance.now() - t) * 1000)
  }
  return medianOf(xs)
}

async function micro(n: number): Promise<MicroTimings> {
  const out: MicroTimings = {}
  const alice = await Identity.create()
  const sent: Envelope[] = []
  const g = await createGroup(alice, { name: 'micro' }, { send: (e) => sent.push(e) })
  const panel = g.panelIds[0]!
  out['actions.send: transact + sign + gate.recordLocal'] = await timeEach(n, (i) =>
    g.actions.send(panel, `ping ${i}`),
  )
  const messages = sent.filter((e) => e.docId.startsWith('p/'))
  out['signEnvelope (Ed25519 sign)'] = await timeEach(n, (i) => {
    const e = messages[i]!
    return signEnvelope(alice, {
      groupId: e.groupId,
      docId: e.docId,
      author: e.author,
      clients: e.clients,
      hlc: e.hlc,
      payload: e.payload,
    })
  })
  const frames = messages.map((e) => encodeSyncFrame({ type: 'envelope', bytes: encodeEnvelope(e) }))
  const sealed: Uint8Array[] = []
  out['sealEnvelope (encode + AES-GCM encrypt)'] = await timeEach(n, async (i) =>
    sealed.push(await sealEnvelope(g.key, frames[i]!)),
  )
  out['openSealedEnvelope (AES-GCM decrypt)'] = await timeEach(n, (i) =>
    openSealedEnvelope(g.key, sealed[i]!),
  )
  out['verifyEnvelopeSignature (Ed25519 verify)'] = await timeEach(n, (i) =>
    verifyEnvelopeSignature(messages[i]!),
  )
  const peer = await openGroup(await Identity.create(), g.groupId)
  await peer.gate.receive(encodeEnvelope(sent[0]!))
  const encoded = messages.map(encodeEnvelope)
  out['gate.receive (decode + verify + authorise + apply)'] = await timeEach(n, (i) =>
    peer.gate.receive(encoded[i]!),
  )
  const raw = new Y.Doc()
  out['Y.applyUpdate of the same payload (no gate)'] = await timeEach(n, (i) =>
    Y.applyUpdate(raw, messages[i]!.payload),
  )
  const small = new Uint8Array(32)
  out['one WebCrypto call (SHA-256 of 32 bytes): the cost of a crypto hop'] = await timeEach(n, () =>
    crypto.subtle.digest('SHA-256', small),
  )
  return out
}

// --- the API ----------------------------------------------------------------------------------------

const api: LatencyPageApi = {
  info() {
    let step = Infinity
    let last = performance.now()
    for (let i = 0; i < 100_000 && step === Infinity; i++) {
      const now = performance.now()
      if (now > last) step = now - last
      last = now
    }
    return { crossOriginIsolated, userAgent: navigator.userAgent, clockStepMs: step }
  },

  stockStart(signalUrl, room) {
    const doc = new Y.Doc()
    const provider = new WebrtcProvider(room, doc, {
      signaling: [signalUrl],
      peerOpts: { config: { iceServers: [] } },
    })
    stock = { doc, provider }
    stockMaps().echoes.observe((event) => {
      if (event.transaction.local) return
      const at = wall()
      const p = stockSlot.pending
      if (p && event.keysChanged.has(String(p.seq))) {
        stockSlot.echoFrameAt = stockLastFrameAt
        stockSlot.pending = null
        p.resolve(at)
      }
    })
  },

  stockReady() {
    const conns = stock?.provider.room?.webrtcConns
    const ready = conns !== undefined && [...conns.values()].some((c) => c.connected && c.synced)
    if (ready) hookStockFrames()
    return ready
  },

  stockEcho() {
    const { pings, echoes: out } = stockMaps()
    pings.observe((event) => {
      if (event.transaction.local) return
      const at = wall()
      for (const key of event.keysChanged) {
        echoes[Number(key)] = { arrivedAt: at, frameAt: stockLastFrameAt }
        out.set(key, { t: at })
      }
    })
  },

  async stockRun(count, warmup) {
    const { pings } = stockMaps()
    const samples: PingSample[] = []
    for (let i = 0; i < warmup + count; i++) {
      const n = seq++
      const echo = waitEcho(n, stockSlot)
      const t0 = performance.now()
      const sentAt = performance.timeOrigin + t0
      pings.set(String(n), { t: sentAt })
      const sendCallMs = performance.now() - t0
      const echoAt = await echo
      if (i >= warmup)
        samples.push({
          seq: n,
          rtt: echoAt - sentAt,
          sentAt,
          echoAt,
          sendCallMs,
          echoFrameAt: stockSlot.echoFrameAt,
        })
    }
    return { samples } satisfies PingRun
  },

  async tmCreate(signalUrl) {
    const me = await Identity.create()
    const group = await createGroup(me, { name: 'latency' })
    const t = await startReplica(me, group, group.key, signalUrl)
    t.panel = group.panelIds[0]!
    tm = t
    const { inviteId, secret } = await group.actions.createInvite({ maxUses: 1 })
    t.transport.onBroadcast = (at, callMs) => {
      if (tmSlot.broadcastAt !== null) return
      tmSlot.broadcastAt = at
      tmSlot.sendCallMs = callMs
    }
    group.gate.on('accepted', (e) => {
      if (e.author === me.userId) return
      const at = wall()
      const body = messageBody(t, e)
      const p = tmSlot.pending
      if (p && body === `echo ${p.seq}`) {
        tmSlot.echoFrameAt = t.transport.lastFrameAt
        tmSlot.pending = null
        p.resolve(at)
      }
    })
    return {
      groupId: group.groupId,
      key: toBase64(group.key.raw),
      inviteId,
      secret: toBase64(secret),
      panel: t.panel,
    }
  },

  async tmJoin(signalUrl, invite) {
    const me = await Identity.create()
    const group = await openGroup(me, invite.groupId)
    const t = await startReplica(me, group, await GroupKey.fromBytes(fromBase64(invite.key)), signalUrl)
    t.panel = invite.panel
    tm = t
    await until('the invite reached Bob over WebRTC', () =>
      group.gate.authority().invites.has(invite.inviteId),
    )
    await group.actions.join(fromBase64(invite.secret))
  },

  tmMembers() {
    return tm ? tm.group.gate.authority().members.size : 0
  },

  tmEcho() {
    const t = joined()
    let echoing: number | null = null
    t.transport.onBroadcast = (at) => {
      if (echoing === null) return
      echoes[echoing]!.echoBroadcastAt = at
      echoing = null
    }
    t.group.gate.on('accepted', (e) => {
      if (e.author === t.me.userId) return
      const at = wall()
      const m = /^ping (\d+)$/.exec(messageBody(t, e) ?? '')
      if (!m) return
      const n = Number(m[1])
      echoes[n] = { arrivedAt: at, frameAt: t.transport.lastFrameAt }
      echoing = n
      void t.group.actions.send(t.panel, `echo ${n}`)
    })
  },

  async tmRun(count, warmup) {
    const t = joined()
    const samples: PingSample[] = []
    for (let i = 0; i < warmup + count; i++) {
      const n = seq++
      const echo = waitEcho(n, tmSlot)
      tmSlot.broadcastAt = null
      const t0 = performance.now()
      const sentAt = performance.timeOrigin + t0
      void t.group.actions.send(t.panel, `ping ${n}`)
      const echoAt = await echo
      if (i >= warmup)
        samples.push({
          seq: n,
          rtt: echoAt - sentAt,
          sentAt,
          echoAt,
          ...(tmSlot.broadcastAt !== null ? { broadcastAt: tmSlot.broadcastAt } : {}),
          sendCallMs: tmSlot.sendCallMs,
          echoFrameAt: tmSlot.echoFrameAt,
        })
    }
    return { samples }
  },

  takeEchoes() {
    const out = { ...echoes }
    for (const k of Object.keys(echoes)) delete echoes[Number(k)]
    return out
  },

  micro,

  async candidatePairs() {
    // Reaching into simple-peer (`_pc`) and the WebRTC transport's private connections: diagnostics
    // only, to show which address pair each stack's connection actually uses.
    interface WithPc {
      peer: { _pc?: RTCPeerConnection }
    }
    const pcs: [string, RTCPeerConnection | undefined][] = []
    for (const c of stock?.provider.room?.webrtcConns.values() ?? [])
      pcs.push(['stock', (c as WithPc).peer._pc])
    const inner = tm?.transport.inner as unknown as
      { links?: Set<{ conns: Map<string, WithPc> }> } | undefined
    for (const link of inner?.links ?? [])
      for (const c of link.conns.values()) pcs.push(['tailmesh', c.peer._pc])
    const out: string[] = []
    for (const [stack, pc] of pcs) {
      if (!pc) continue
      const stats = await pc.getStats()
      stats.forEach((r: { type: string; selectedCandidatePairId?: string }) => {
        if (r.type !== 'transport' || !r.selectedCandidatePairId) return
        const pair = stats.get(r.selectedCandidatePairId) as {
          localCandidateId: string
          remoteCandidateId: string
        }
        const end = (id: string) => {
          const c = stats.get(id) as { address?: string; port?: number; protocol?: string }
          return `${c.protocol} ${c.address}`
        }
        out.push(`${stack}: ${end(pair.localCandidateId)} → ${end(pair.remoteCandidateId)}`)
      })
    }
    return out
  },

  async close() {
    stock?.provider.destroy()
    stock?.doc.destroy()
    stock = null
    if (tm) {
      await tm.replica.close()
      await tm.transport.close()
      tm = null
    }
  },
}

window.latencyBench = api
