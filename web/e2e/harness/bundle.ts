// Bundles a TypeScript entry for a test page with esbuild (the bundler Vite itself uses), in memory.
// Workspace packages resolve as in the app: '@tailmesh/core' is core/src through its package.json.
import { build } from 'esbuild'

export interface BundleOptions {
  /** 'esm' for <script type="module"> (default), 'iife' for a classic script. */
  format?: 'esm' | 'iife'
  /** Compile-time constants, as esbuild's `define` (values are JS source text). */
  define?: Record<string, string>
  /** Inline source map so page errors point at TypeScript lines. Default true. */
  sourcemap?: boolean
}

/** The bundled JavaScript of `entry` (an absolute path) for the browser. Throws on any build error. */
export async function bundleEntry(entry: string, options: BundleOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: options.format ?? 'esm',
    target: 'chrome120',
    sourcemap: options.sourcemap === false ? false : 'inline',
    define: options.define ?? {},
    logLevel: 'silent',
  })
  const out = result.outputFiles[0]
  if (!out) throw new Error(`esbuild produced no output for ${entry}`)
  return out.text
}
