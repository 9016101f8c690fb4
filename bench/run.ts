// `npm run bench [filter]`: runs every benchmark module in bench/*.bench.ts (or those whose file name
// contains the filter) one after another and prints their tables.
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join } from 'node:path'
import '../core/test/node-setup'

const here = dirname(fileURLToPath(import.meta.url))
const filter = process.argv[2] ?? ''
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort()

for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> }
  await mod.default()
}
if (files.length === 0) console.log(`No benchmark matches "${filter}".`)
process.exit(0)
