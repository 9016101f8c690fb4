// Structured logs (pino, JSON lines on stdout). The relay never logs entry or snapshot bytes, keys,
// signatures, signaling payloads or client addresses: topics appear only as an 8-hex-digit prefix,
// which is enough to correlate lines and too little to look a topic up.
import { pino, type Logger } from 'pino'

export type { Logger } from 'pino'

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tailmesh-relay' },
    // Defence in depth: should a future log call pass a request or frame, these never print.
    redact: {
      paths: ['headers', 'req.headers', 'entry', 'snapshot', 'signature', 'publicKey'],
      remove: true,
    },
  })
}

/** A topic's short, non-identifying label for logs. */
export const topicLabel = (topicHex: string): string => topicHex.slice(0, 8)
