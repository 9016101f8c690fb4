// Spawns the real relay (relay/src/main.ts under tsx) as a child process on a random port, the way
// `npm start` runs it, and reads its port from the "relay listening" log line. Every process started
// here is killed when the test file ends, even if a test forgot to.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')
const main = join(root, 'relay/src/main.ts')
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL')
})

export interface RelayProcess {
  port: number
  http: string
  signalUrl: string
  mailboxUrl: string
  dataDir: string
  proc: ChildProcess
  /** Everything the relay printed (JSON log lines). */
  output: () => string
  /** Whether the process is still running. */
  alive: () => boolean
  /** SIGTERM and wait for the exit code. */
  stop: () => Promise<number | null>
  /** SIGKILL (no shutdown at all) and wait for it to be gone. */
  kill9: () => Promise<void>
}

export function tempDir(prefix = 'tailmesh-relay-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Runs main.ts with `args` (a fresh temp data dir unless --data is given) and waits until it listens. */
export async function spawnRelay(
  args: string[] = [],
  opts: { dataDir?: string } = {},
): Promise<RelayProcess> {
  const dataDir = opts.dataDir ?? tempDir()
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', main, '--port', '0', '--host', '127.0.0.1', '--data', dataDir, ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } },
  )
  running.add(proc)
  let out = ''
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
  const exited = new Promise<number | null>((r) =>
    proc.once('exit', (code) => (running.delete(proc), r(code))),
  )
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL') // never leave a half-started relay behind
      reject(new Error(`relay did not start:\n${out}`))
    }, 20_000)
    const check = () => {
      const m = /"port":(\d+)[^\n]*"relay listening"/.exec(out)
      if (m) {
        clearTimeout(timer)
        proc.stdout!.off('data', check)
        resolvePort(Number(m[1]))
      }
    }
    proc.stdout!.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited with ${code} before listening:\n${out}`))
    })
  })
  return {
    port,
    http: `http://127.0.0.1:${port}`,
    signalUrl: `ws://127.0.0.1:${port}/signal`,
    mailboxUrl: `ws://127.0.0.1:${port}/mailbox`,
    dataDir,
    proc,
    output: () => out,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      return exited
    },
    kill9: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await exited
    },
  }
}
