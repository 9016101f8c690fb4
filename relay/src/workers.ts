// --workers N: N relay processes on one port, for one machine with several cores (node:cluster; the
// primary accepts connections and hands them to the workers round-robin). The workers share
// everything through Redis (--redis is required), exactly as relays on separate machines do, so a
// worker is just a relay. The primary only forks, restarts a worker that died, and passes SIGTERM on.
import cluster, { type Worker } from 'node:cluster'
import { join } from 'node:path'
import type { RelayConfig } from './config'
import type { Logger } from './logger'

const WORKER_ENV = 'TAILMESH_RELAY_WORKER'

/** This process's worker index, or null when it is not a cluster worker. */
export function workerIndex(): number | null {
  const v = process.env[WORKER_ENV]
  return cluster.isWorker && v !== undefined ? Number(v) : null
}

/**
 * A worker's own config: its libp2p node needs a port and an identity of its own (one port shared
 * round-robin would land a client on a peer it did not dial), so worker i takes libp2p port base + i
 * and keeps its key under <data>/worker-i. With libp2p port 0 (any), workers run without libp2p.
 */
export function workerConfig(config: RelayConfig, index: number, log: Logger): RelayConfig {
  let libp2p = config.libp2p
  if (libp2p !== null && libp2p.port === 0) {
    if (index === 0) log.warn('relay: --workers with libp2p port 0 runs without libp2p; give --libp2p-port')
    libp2p = null
  } else if (libp2p !== null) libp2p = { port: libp2p.port + index }
  return { ...config, dataDir: join(config.dataDir, `worker-${index}`), libp2p }
}

/** The primary: forks the workers and resolves with the port once all of them listen. */
export function runPrimary(
  config: RelayConfig,
  log: Logger,
): Promise<{ port: number; stop: () => Promise<void> }> {
  let stopping = false
  const byIndex = new Map<number, Worker>()
  const fork = (index: number): Worker => {
    const w = cluster.fork({ [WORKER_ENV]: String(index) })
    byIndex.set(index, w)
    w.on('exit', (code, signal) => {
      if (stopping) return
      log.error({ worker: index, code, signal }, 'relay: worker died, starting another')
      setTimeout(() => fork(index), 1000).unref()
    })
    return w
  }
  return new Promise((resolve) => {
    const listening = new Map<number, number>()
    cluster.on('message', (w, message: unknown) => {
      const index = [...byIndex].find(([, x]) => x === w)?.[0]
      const port = (message as { relayListening?: unknown } | null)?.relayListening
      if (index === undefined || typeof port !== 'number' || listening.size === config.workers) return
      listening.set(index, port)
      if (listening.size < config.workers) return
      resolve({
        port,
        stop: async () => {
          stopping = true
          await Promise.all(
            [...byIndex.values()].map(
              (x) =>
                new Promise<void>((done) => {
                  if (x.isDead()) return done()
                  x.once('exit', () => done())
                  x.process.kill('SIGTERM')
                }),
            ),
          )
        },
      })
    })
    for (let i = 0; i < config.workers; i++) fork(i)
  })
}

/** Tells the primary (if any) that this worker listens on `port`. */
export function reportListening(port: number): void {
  if (cluster.isWorker) process.send?.({ relayListening: port })
}
