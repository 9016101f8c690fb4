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
  output(): string
  stop(): Promise<void>
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

export async function startRelay(): Promise<RunningRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tailmesh-app-e2e-'))
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'relay/src/main.ts', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } },
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
  return {
    url: `http://127.0.0.1:${port}/`,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
