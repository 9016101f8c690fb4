// The built app for the benchmarks: the real build (vite.config.ts) into a directory of the bench's
// own, so web/dist — which the browser tests serve and rebuild — is neither raced nor overwritten.
// The relay serves it through its WEB_DIR setting.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, type Plugin } from 'vite'
import { repoRoot } from '../web/e2e/harness/paths'

export interface BuiltChunk {
  fileName: string
  code: string
  isEntry: boolean
  isDynamicEntry: boolean
  /** Rendered code per source module (rollup/rolldown's OutputChunk.modules). */
  modules: Record<string, { code: string | null; renderedLength: number }>
}

/** Builds the app into `dir` (default: a new temporary directory); returns it and the JS chunks. */
export async function buildAppInto(
  dir = mkdtempSync(join(tmpdir(), 'tailmesh-bench-web-')),
): Promise<{ dir: string; chunks: Map<string, BuiltChunk> }> {
  const chunks = new Map<string, BuiltChunk>()
  const collect: Plugin = {
    name: 'tailmesh-bench-collect-chunks',
    generateBundle(_options, bundle) {
      for (const out of Object.values(bundle))
        if (out.type === 'chunk') chunks.set(out.fileName, out as unknown as BuiltChunk)
    },
  }
  await build({
    configFile: join(repoRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true, chunkSizeWarningLimit: 10_000 },
    plugins: [collect],
  })
  return { dir, chunks }
}
