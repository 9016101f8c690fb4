// Small WebSocket helpers for tests (Node 20 has no global WebSocket, so these use ws).
import { WebSocket } from 'ws'

export function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: 1006, reason: '' })
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}

/** Resolves with the next text message that satisfies `pred`. */
export function nextJson<T = Record<string, unknown>>(
  ws: WebSocket,
  pred: (m: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', on)
      reject(new Error('timed out waiting for a message'))
    }, timeoutMs)
    const on = (data: Buffer) => {
      const m = JSON.parse(data.toString()) as T
      if (!pred(m)) return
      clearTimeout(timer)
      ws.off('message', on)
      resolve(m)
    }
    ws.on('message', on)
  })
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A seeded PRNG (mulberry32): fuzz runs are reproducible from their seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
