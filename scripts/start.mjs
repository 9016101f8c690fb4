#!/usr/bin/env node
// `npm start`: build the PWA when it is missing or older than its sources, then run the relay.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ensureWebBuild } from './web-build.mjs'

const root = new URL('..', import.meta.url).pathname
const relayMain = `${root}relay/src/main.ts`
if (!existsSync(relayMain)) {
  console.error('The relay is not built yet (relay/src/main.ts is missing).')
  process.exit(1)
}
const built = ensureWebBuild()
if (built !== 0) process.exit(built)
// Run node directly (not through npx): signals then reach the relay, so SIGTERM shuts it down cleanly.
const child = spawn(process.execPath, ['--import', 'tsx', relayMain, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
