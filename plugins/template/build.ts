// Builds the template into a folder any static server can host: index.js (one ES module, the SDK
// bundled in) and manifest.json (what the manager reads before installing). The browser tests serve
// it from a local HTTP server and install it by URL; `npx tsx plugins/template/build.ts <dir>` does
// the same by hand.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { manifest } from './src/manifest'

const here = fileURLToPath(new URL('.', import.meta.url))

export async function buildTemplate(outDir: string): Promise<{ manifestFile: string; entryFile: string }> {
  mkdirSync(outDir, { recursive: true })
  const entryFile = join(outDir, 'index.js')
  await build({
    entryPoints: [join(here, 'src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile: entryFile,
    logLevel: 'silent',
  })
  const manifestFile = join(outDir, 'manifest.json')
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2))
  return { manifestFile, entryFile }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? join(here, 'dist')
  await buildTemplate(out)
  process.stdout.write(`built the template plugin into ${out}\n`)
}
