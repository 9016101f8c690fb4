// The real relay (relay/src/main.ts under tsx, as `npm start` runs it) serving the built app, on a
// free port with a temporary data directory. web/dist is built first when it is missing or stale.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from '../harness'

export interface RunningRelay {
  /** http://127.0.0.1:PORT/ */
  url: string
  port: number
  /** Everything the relay keeps on disk (removed by `stop()` unless asked to keep it). */
  dataDir: string
  output(): string
  alive(): boolean
  /** SIGTERM, then waits for the exit. Removes the data directory unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>
}

interface WebBuild {
  ensureWebBuild(options?: { stdio?: 'inherit' | 'pipe' }): number
}

/** Builds web/dist if needed (scripts/web-build.mjs, the same check `npm start` makes). */
export async function buildApp(): Promise<void> {
  const { ensureWebBuild } = (await import(
    pathToFileURL(join(repoRoot, 'scripts/web-build.mjs')).href
  )) as WebBuild
  if (ensureWebBuild({ stdio: 'pipe' }) !== 0) throw new Error('`npx vite build` failed (output above)')
}

const running = new Set<ChildProcess>()
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')))

export interface RelayOptions {
  port?: number
  dataDir?: string
  /** More command-line flags (e.g. `--ice-server turn:…`). */
  args?: string[]
  /** More environment (e.g. `TURN_SECRET`). */
  env?: Record<string, string>
}

/** Starts the relay; `port` and `dataDir` restart one on the same origin and data. */
export async function startRelay(options: RelayOptions = {}): Promise<RunningRelay> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tailmesh-app-e2e-'))
  const args = ['--port', String(options.port ?? 0), '--host', '127.0.0.1', '--data', dataDir]
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'relay/src/main.ts', ...args, ...(options.args ?? [])],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    },
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
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`relay did not start:\n${out}`))
    }, 20_000)
    const check = () => {
      const m = /"port":(\d+)[^\n]*"relay listening"/.exec(out)
      if (!m) return
      clearTimeout(timer)
      proc.stdout!.off('data', check)
      resolve(Number(m[1]))
    }
    proc.stdout!.on('data', check)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`relay exited before listening:\n${out}`))
    })
  })
  const alive = () => proc.exitCode === null && proc.signalCode === null
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    dataDir,
    output: () => out,
    alive,
    stop: async ({ keepData = false } = {}) => {
      if (alive()) proc.kill('SIGTERM')
      await exited
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
