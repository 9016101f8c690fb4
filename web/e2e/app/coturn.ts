// A real TURN server (Debian's coturn, `turnserver`) for call tests: loopback only, a random port, a
// temp dir, coturn's REST-API shared secret (`use-auth-secret` / `static-auth-secret`, the way
// docs/CALLS.md runs it beside the relay). coturn refuses peers on loopback by default: the test's
// peers are both on 127.0.0.1, hence `--allow-loopback-peers`. No TLS, no CLI, no database of users.
// Ready when it answers a STUN binding request; stopped by PID. Missing binary: a failure saying
// `apt-get install coturn` (core/test/debian-binary.ts).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, requireDebianBinary } from '@tailmesh/core/test/debian-binary'

export interface Coturn {
  /** `turn:127.0.0.1:PORT` */
  url: string
  port: number
  secret: string
  pid: number
  /** SIGTERM by PID, wait for the exit, remove the temp dir. */
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')))

/** Whether a STUN binding request to 127.0.0.1:port gets a binding success response. */
function stunAnswers(port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    const id = randomBytes(12)
    // Binding request: type 0x0001, length 0, magic cookie, transaction id.
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), id])
    const done = (ok: boolean) => {
      clearTimeout(timer)
      socket.close()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.on('message', (m) => done(m.readUInt16BE(0) === 0x0101 && m.subarray(8, 20).equals(id)))
    socket.on('error', () => done(false))
    socket.send(request, port, '127.0.0.1')
  })
}

export async function startCoturn(): Promise<Coturn> {
  const binary = requireDebianBinary('turnserver')
  const dir = mkdtempSync(join(tmpdir(), 'tailmesh-coturn-'))
  const port = await freePort()
  const secret = randomBytes(24).toString('base64url')
  const proc = spawn(
    binary,
    [
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      // A small relay range away from the usual ephemeral ports of other tests.
      '--min-port=49160',
      '--max-port=49999',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=tailmesh.test',
      '--fingerprint',
      '--allow-loopback-peers',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--no-multicast-peers',
      '--no-software-attribute',
      `--pidfile=${join(dir, 'turnserver.pid')}`,
      `--userdb=${join(dir, 'turndb')}`,
      '--log-file=stdout',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  running.add(proc)
  let out = ''
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      running.delete(proc)
      resolve()
    }),
  )
  const deadline = Date.now() + 20_000
  while (!(await stunAnswers(port))) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`turnserver exited before it was ready:\n${out}`)
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`turnserver did not answer STUN on 127.0.0.1:${port}:\n${out}`)
    }
  }
  return {
    url: `turn:127.0.0.1:${port}`,
    port,
    secret,
    pid: proc.pid!,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid!, 'SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
