// When the built PWA (web/dist) is out of date, and how to rebuild it. Used by `npm start` and by the
// app's browser end-to-end tests, so both serve what the sources say.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname

/** What the build reads: the app, its static assets, its config (and the relay's CSP), core and the built-in plugins (bundled into the app). */
const SOURCES = [
  'web/index.html',
  'web/src',
  'web/package.json',
  'public',
  'vite.config.ts',
  'relay/src/csp.ts', // the policy the build writes into index.html's <meta>
  'core/src',
  'plugins',
]
const SKIP = new Set(['node_modules', 'dist', 'e2e'])

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const s = statSync(path)
  if (!s.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : s.mtimeMs
  let newest = s.mtimeMs // a deleted file shows only as its directory's change
  for (const name of readdirSync(path)) {
    if (SKIP.has(name)) continue
    newest = Math.max(newest, newestMtime(join(path, name)))
  }
  return newest
}

/** Why web/dist needs a build, or null when it is up to date (or there is no app to build). */
export function webBuildReason() {
  if (!existsSync(join(root, 'web/index.html'))) return null
  const built = join(root, 'web/dist/index.html')
  if (!existsSync(built)) return 'web/dist is missing'
  const sources = Math.max(...SOURCES.map((p) => newestMtime(join(root, p))))
  return sources > statSync(built).mtimeMs ? 'web/dist is older than its sources' : null
}

/** Builds web/dist when it is missing or stale. Returns the build's exit status (0: nothing to do). */
export function ensureWebBuild({ stdio = 'inherit' } = {}) {
  const reason = webBuildReason()
  if (!reason) return 0
  console.log(`Building the PWA: ${reason}.`)
  const r = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio, encoding: 'utf8' })
  if (r.status !== 0 && stdio !== 'inherit') console.error(`${r.stdout ?? ''}${r.stderr ?? ''}`)
  return r.status ?? 1
}
