// Waiting for something a group's replica will bring: checked again on every envelope the gate
// accepts and every `everyMs` (a check can also depend on time or on the replica's outbox).
import type { Gate } from '@tailmesh/core'

export class BotTimeoutError extends Error {
  override name = 'BotTimeoutError'
}

export function until(
  what: string,
  check: () => boolean,
  options: { gate?: Gate; timeoutMs: number; everyMs?: number },
): Promise<void> {
  if (check()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearInterval(poll)
      clearTimeout(timer)
      off()
      if (error) reject(error)
      else resolve()
    }
    const recheck = () => {
      if (check()) done()
    }
    const poll = setInterval(recheck, options.everyMs ?? 100)
    const timer = setTimeout(
      () => done(new BotTimeoutError(`Timed out after ${options.timeoutMs} ms waiting until ${what}.`)),
      options.timeoutMs,
    )
    const off = options.gate?.on('accepted', recheck) ?? (() => {})
  })
}
