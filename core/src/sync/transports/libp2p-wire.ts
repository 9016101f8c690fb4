// What the libp2p transport and the relay's libp2p node agree on, without importing libp2p (this file
// is loaded by the transport's module at import time, and by the relay before it loads libp2p).
//
// - A gossipsub topic per group, named by the mailbox topic id (64 hex digits).
// - A published message is `signature (64) ‖ sealed`: the topic key's signature of the sealed frame,
//   byte for byte the mailbox's append signature. Every peer rejects a message whose signature does
//   not verify (only members hold the topic key), and the relay can store the message in its mailbox
//   exactly as if the member had appended it (and dedupes it when the member did both).
// - `/tailmesh/frame/1.0.0`: direct frames (`sendTo`), length-prefixed `topic (32) ‖ sealed`.
// - `/tailmesh/peers/1.0.0`: ask a relay who else is subscribed to a topic; request and answer are one
//   length-prefixed message each (the topic id; the peer ids separated by spaces).
import { toHex } from '../../bytes'
import { ValidationError } from '../../errors'
import { appendSigningBytes } from '../../mailbox/signing'

export const LIBP2P_FRAME_PROTOCOL = '/tailmesh/frame/1.0.0'
export const LIBP2P_PEERS_PROTOCOL = '/tailmesh/peers/1.0.0'
/** Largest sealed frame carried by default (gossipsub's own stream limit is 4 MiB). */
export const LIBP2P_MAX_FRAME_BYTES = 1024 * 1024
/** Room for gossipsub's envelope around a frame: topic, sequence number, peer signature and key. */
export const LIBP2P_RPC_OVERHEAD = 16 * 1024
/** Peer ids a relay names in one answer. */
export const LIBP2P_MAX_PEERS_ANSWER = 32

const SIGNATURE_BYTES = 64

export function isTopicId(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text)
}

export function topicIdBytes(hex: string): Uint8Array {
  if (!isTopicId(hex)) throw new ValidationError('A topic id is 64 lowercase hex digits.')
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

/** The bytes the topic key signs for a frame: the mailbox's append signing bytes. */
export function publishedSigningBytes(topicHex: string, sealed: Uint8Array): Uint8Array {
  return appendSigningBytes(topicIdBytes(topicHex), sealed)
}

/**
 * Gossipsub's fast message id (its `fastMsgIdFn`), for clients and relay alike: author ‖ sequence
 * number, checked before a copy's peer signature. Gossipsub verifies that signature before it checks
 * whether it has seen the message, so every duplicate copy cost a verification (14% of a large
 * group's CPU); the cache behind this id is filled only once a copy's signature verified, so a forged
 * copy cannot pass for a known one ('' for a message without them, which never verifies, is never in
 * it).
 */
export function gossipCopyId(rpc: { from?: Uint8Array; seqno?: Uint8Array }): string {
  return rpc.from && rpc.seqno ? `${toHex(rpc.from)}:${toHex(rpc.seqno)}` : ''
}

export function encodePublished(signature: Uint8Array, sealed: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIGNATURE_BYTES + sealed.length)
  out.set(signature, 0)
  out.set(sealed, SIGNATURE_BYTES)
  return out
}

/** Splits a published message; null when it cannot be one (no frame after the signature). */
export function decodePublished(data: Uint8Array): { signature: Uint8Array; sealed: Uint8Array } | null {
  if (data.length <= SIGNATURE_BYTES) return null
  return { signature: data.subarray(0, SIGNATURE_BYTES), sealed: data.subarray(SIGNATURE_BYTES) }
}

/** `varUint(length) ‖ payload` */
export function lengthPrefixed(payload: Uint8Array): Uint8Array {
  const head: number[] = []
  let n = payload.length
  while (n >= 0x80) {
    head.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  head.push(n)
  const out = new Uint8Array(head.length + payload.length)
  out.set(head, 0)
  out.set(payload, head.length)
  return out
}

/** Reassembles length-prefixed messages from stream chunks; throws on a message over `maxBytes`. */
export class LengthPrefixedReader {
  private buffer = new Uint8Array(0)

  constructor(private readonly maxBytes: number) {}

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length)
    joined.set(this.buffer, 0)
    joined.set(chunk, this.buffer.length)
    const out: Uint8Array[] = []
    let at = 0
    for (;;) {
      let length = 0
      let shift = 1
      let i = at
      let complete = false
      while (i < joined.length && i - at < 5) {
        const b = joined[i++]!
        length += (b & 0x7f) * shift
        shift *= 128
        if (b < 0x80) {
          complete = true
          break
        }
      }
      if (!complete) {
        if (i - at >= 5) throw new ValidationError('A length prefix is too long.')
        break
      }
      if (length > this.maxBytes) throw new ValidationError(`A ${length}-byte message is over the limit.`)
      if (joined.length - i < length) break
      out.push(joined.slice(i, i + length))
      at = i + length
    }
    this.buffer = joined.slice(at)
    return out
  }
}

/** A stream chunk (libp2p hands out Uint8Array or Uint8ArrayList) as one Uint8Array. */
export function chunkBytes(chunk: Uint8Array | { subarray(): Uint8Array }): Uint8Array {
  return chunk instanceof Uint8Array ? chunk : chunk.subarray()
}

/**
 * libp2p 3 calls Promise.withResolvers (Node 22+, every current browser). Node 20 lacks it: install it
 * before libp2p loads. Does nothing where it exists.
 */
export function ensurePromiseWithResolvers(): void {
  if ('withResolvers' in Promise) return
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    },
  })
}
