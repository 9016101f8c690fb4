// WebRTC signaling at /signal, wire-compatible with y-webrtc's own server (bin/server.js), so stock
// y-webrtc clients work unchanged: JSON messages {type:'subscribe'|'unsubscribe', topics},
// {type:'publish', topic, ...} (relayed to every subscriber of topic, the sender included, with
// `clients` set to their number) and {type:'ping'} -> {type:'pong'}. Unlike that server it survives
// any input: a frame that is not such a message is ignored and counted, and too many close the socket.
// In a relay cluster a SignalFanOut carries publishes to the other processes' subscribers.
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { ConnectionBudget, type Limits } from './limits'
import type { Logger } from './logger'
import { asBuffer, closeAll, keepAlive, send } from './sockets'

/** Longest topic name accepted (y-webrtc uses room names; a few hundred bytes is generous). */
const MAX_TOPIC_LENGTH = 1024
const PONG = Buffer.from('{"type":"pong"}')

/**
 * Carries publishes between relay processes (redis-signal-bus.ts). `join` is called when a topic gets
 * its first local subscriber and `leave` after its last; `deliver` is set by the server.
 */
export interface SignalFanOut {
  join(topic: string): void
  leave(topic: string): void
  publish(topic: string, message: Buffer): void
  deliver: (topic: string, message: Buffer) => void
}

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
    private readonly fanOut: SignalFanOut | null = null,
  ) {
    if (fanOut !== null) fanOut.deliver = (topic, message) => this.deliverLocally(topic, message)
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
    if (subs.size > 0) return
    this.topics.delete(topic)
    this.fanOut?.leave(topic)
  }

  private deliverLocally(topic: string, message: Buffer): void {
    const receivers = this.topics.get(topic)
    if (receivers === undefined) return
    for (const r of receivers) send(r, message, this.limits.maxBufferedBytes, true)
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
          if (subs === undefined) {
            this.topics.set(topic, (subs = new Set()))
            this.fanOut?.join(topic)
          }
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
        if (receivers === undefined && this.fanOut === null) return
        // In a cluster `clients` counts this process's subscribers only (y-webrtc does not read it).
        m.clients = receivers?.size ?? 0
        // Serialised and encoded once for every receiver: fan-out costs one send per subscriber.
        const out = Buffer.from(JSON.stringify(m), 'utf8')
        this.deliverLocally(m.topic, out)
        this.fanOut?.publish(m.topic, out)
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
    for (const topic of this.topics.keys()) this.fanOut?.leave(topic)
    this.topics.clear()
  }
}
