// A minimal HTML document around one bundled script, and the serving of both together.
import { bundleEntry, type BundleOptions } from './bundle'
import { serveStatic, type StaticServer } from './static-server'

export function htmlPage(title: string, scriptPath = '/main.js', format: 'esm' | 'iife' = 'esm'): string {
  const type = format === 'esm' ? ' type="module"' : ''
  return [
    '<!doctype html>',
    '<html lang="en">',
    // An empty icon, so Chromium does not ask for /favicon.ico and log a 404 as a console error.
    '<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>' +
      escapeHtml(title) +
      '</title></head>',
    '<body>',
    `<script${type} src="${scriptPath}"></script>`,
    '</body>',
    '</html>',
  ].join('\n')
}

/** Bundles `entry` and serves it as '/main.js' under '/index.html' on a fresh static server. */
export async function serveTestPage(
  title: string,
  entry: string,
  options: BundleOptions = {},
): Promise<StaticServer> {
  const js = await bundleEntry(entry, options)
  return serveStatic({ '/index.html': htmlPage(title, '/main.js', options.format), '/main.js': js })
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
