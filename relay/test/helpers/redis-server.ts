// A real redis-server (Debian's) for tests: a random port, a temp dir, an append-only file fsync'd on
// every write (as relay/redis.conf ships), no RDB snapshots. Stopped by PID; `kill9` + `restart` on
// the same dir is how tests show that nothing acknowledged is lost. Missing binary: a failure that
// says how to install it.
import { spawn, type ChildProcess } from 'node:child_process'
import { freePort, requireDebianBinary } from '@tailmesh/core/test/debian-binary'
import { removeDir, tempDir } from './relay-process'

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL')
})

export interface RedisServer {
  url: string
  port: number
  dir: string
  pid: () => number
  /** SIGKILL: no shutdown, no final fsync. */
  kill9: () => Promise<void>
  /** Starts it again on the same port and dir (it loads the append-only file). */
  restart: () => Promise<void>
  /** SIGTERM, wait, remove the dir. */
  stop: () => Promise<void>
}

export async function startRedis(): Promise<RedisServer> {
  const binary = requireDebianBinary('redis-server')
  const dir = tempDir('tailmesh-redis-')
  const port = await freePort()
  let proc: ChildProcess
  let exited: Promise<void>
  const launch = async () => {
    proc = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    running.add(proc)
    const p = proc
    exited = new Promise((r) => p.once('exit', () => (running.delete(p), r())))
    let out = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 20_000)
      const on = (d: Buffer) => {
        out += d.toString()
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer)
          p.stdout!.off('data', on)
          resolve()
        }
      }
      p.stdout!.on('data', on)
      p.stderr!.on('data', (d: Buffer) => (out += d.toString()))
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`redis-server exited before it was ready:\n${out}`))
      })
    })
    p.stdout!.resume()
  }
  await launch()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => proc.pid!,
    kill9: async () => {
      proc.kill('SIGKILL')
      await exited
    },
    restart: launch,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
      removeDir(dir)
    },
  }
}
