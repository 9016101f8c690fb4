// WebRTC signaling at /signal, wire-compatible with y-webrtc's own server (bin/server.js), so stock
// y-webrtc clients work unchanged: JSON messages {type:'subscribe'|'unsubscribe', topics},
// {type:'publish', topic, ...} (relayed to every subscriber of topic, the sender included, with
// `clients` set to their number) and {type:'ping'} -> {type:'pong'}. Unlike that server it survives
// any input: a frame that is not such a message is ignored and counted, and too many close the socket.
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { ConnectionBudget, type Limits } from './limits'
import type { Logger } from './logger'
import { asBuffer, closeAll, keepAlive, send } from './sockets'

/** Longest topic name accepted (y-webrtc uses room names; a few hundred bytes is generous). */
const MAX_TOPIC_LENGTH = 1024
const PONG = Buffer.from('{"type":"pong"}')

interface Peer {
  topics: Set<string>
  budget: ConnectionBudget
}

export class SignalServer {
  readonly wss: WebSocketServer
  private readonly topics = new Map<string, Set<WebSocket>>()
  private readonly stopKeepAlive: () => void

  constructor(
    private readonly limits: Limits,
    private readonly log: Logger,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxFrameBytes,
      perMessageDeflate: false,
    })
    this.stopKeepAlive = keepAlive(this.wss, limits.pingIntervalMs)
    this.wss.on('connection', (ws: WebSocket) => this.accept(ws))
  }

  get connections(): number {
    return this.wss.clients.size
  }

  get topicCount(): number {
    return this.topics.size
  }

  private accept(ws: WebSocket): void {
    const peer: Peer = { topics: new Set(), budget: new ConnectionBudget(this.limits) }
    // ws reports protocol violations (oversized or invalid frames) here and closes the socket itself.
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'signal: socket error'))
    ws.on('close', () => {
      for (const topic of peer.topics) this.leave(ws, topic)
      peer.topics.clear()
    })
    ws.on('message', (data: RawData) => {
      try {
        this.onMessage(ws, peer, asBuffer(data))
      } catch (err) {
        this.log.error({ err }, 'signal: handler failed')
      }
    })
  }

  private leave(ws: WebSocket, topic: string): void {
    const subs = this.topics.get(topic)
    if (subs === undefined) return
    subs.delete(ws)
    if (subs.size === 0) this.topics.delete(topic)
  }

  private bad(ws: WebSocket, peer: Peer): void {
    if (peer.budget.strike()) ws.close(1008, 'too many malformed messages')
  }

  private onMessage(ws: WebSocket, peer: Peer, data: Buffer): void {
    if (!peer.budget.charge(data.length)) {
      ws.close(1008, 'rate limit exceeded')
      return
    }
    let message: unknown
    try {
      message = JSON.parse(data.toString('utf8'))
    } catch {
      this.bad(ws, peer)
      return
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return this.bad(ws, peer)
    const m = message as Record<string, unknown>
    switch (m.type) {
      case 'subscribe': {
        if (!Array.isArray(m.topics)) return this.bad(ws, peer)
        for (const topic of m.topics) {
          if (typeof topic !== 'string' || topic.length > MAX_TOPIC_LENGTH || peer.topics.has(topic)) continue
          if (peer.topics.size >= this.limits.maxSubscriptions) {
            ws.close(1008, 'too many subscriptions')
            return
          }
          let subs = this.topics.get(topic)
          if (subs === undefined) this.topics.set(topic, (subs = new Set()))
          subs.add(ws)
          peer.topics.add(topic)
        }
        return
      }
      case 'unsubscribe': {
        if (!Array.isArray(m.topics)) return this.bad(ws, peer)
        for (const topic of m.topics) {
          if (typeof topic !== 'string' || !peer.topics.delete(topic)) continue
          this.leave(ws, topic)
        }
        return
      }
      case 'publish': {
        if (typeof m.topic !== 'string' || m.topic.length === 0) return this.bad(ws, peer)
        const receivers = this.topics.get(m.topic)
        if (receivers === undefined) return
        m.clients = receivers.size
        // Serialised and encoded once for every receiver: fan-out costs one send per subscriber.
        const out = Buffer.from(JSON.stringify(m), 'utf8')
        for (const r of receivers) send(r, out, this.limits.maxBufferedBytes, true)
        return
      }
      case 'ping':
        send(ws, PONG, this.limits.maxBufferedBytes, true)
        return
      default:
        // Unknown but well-formed types are ignored, as y-webrtc's server does: future clients may add some.
        return
    }
  }

  async close(): Promise<void> {
    this.stopKeepAlive()
    await closeAll(this.wss, 1001, 'relay shutting down')
    this.topics.clear()
  }
}
