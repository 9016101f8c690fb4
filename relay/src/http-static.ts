// Serves the built PWA (web/dist). Caching follows what a service-worker app needs: content-hashed
// files never change, so browsers may keep them forever; index.html, the service worker and the
// manifest name those hashes, so they must always be revalidated or an update would never be seen.
// Unknown paths without a file extension get index.html (client-side routes); without a build, a
// short page says how to make one.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { setSecurityHeaders } from './csp'
import type { Logger } from './logger'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

/** A file name carrying a content hash, as Vite and Workbox write them: name-HASH.ext or name.HASH.ext. */
const HASHED = /[-.][A-Za-z0-9_]{8,}\.[a-z0-9]+$/

export function cacheControl(urlPath: string): string {
  const name = urlPath.slice(urlPath.lastIndexOf('/') + 1)
  if (name === 'index.html' || name === 'sw.js' || name === 'registerSW.js' || name.endsWith('.webmanifest'))
    return REVALIDATE
  if (urlPath.startsWith('/assets/') || HASHED.test(name)) return IMMUTABLE
  return REVALIDATE
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tailmesh relay</title></head>
<body><h1>Tailmesh relay</h1>
<p>The relay is running, but the PWA is not built: run <code>npm start</code> from the repository
(it builds <code>web/dist</code> when <code>web/index.html</code> exists) or <code>npx vite build</code>.</p>
<p>Signaling: <code>/signal</code> · mailbox: <code>/mailbox</code> · health: <code>/healthz</code></p>
</body></html>
`

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  setSecurityHeaders(res)
}

export function createStaticHandler(webDir: string, log: Logger) {
  const root = resolve(webDir)

  async function file(path: string): Promise<{ path: string; size: number; mtimeMs: number } | null> {
    try {
      const s = await stat(path)
      return s.isFile() ? { path, size: s.size, mtimeMs: s.mtimeMs } : null
    } catch {
      return null
    }
  }

  return async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCommonHeaders(res)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end()
      return
    }
    let urlPath: string
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://relay').pathname)
    } catch {
      res.writeHead(400).end()
      return
    }
    if (urlPath.includes('\0')) {
      res.writeHead(400).end()
      return
    }
    const index = await file(join(root, 'index.html'))
    if (index === null) {
      const status = urlPath === '/' || extname(urlPath) === '' ? 200 : 404
      res.writeHead(status, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' })
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT)
      return
    }
    const wanted = resolve(root, '.' + urlPath)
    // resolve() normalises "..": anything that lands outside the web root is not ours to serve.
    let found = wanted === root || !wanted.startsWith(root + sep) ? null : await file(wanted)
    let servedPath = urlPath
    if (found === null) {
      if (extname(urlPath) !== '' && urlPath !== '/') {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
        res.end('Not found\n')
        return
      }
      found = index
      servedPath = '/index.html'
    }
    const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`
    res.setHeader('ETag', etag)
    res.setHeader('Cache-Control', cacheControl(servedPath))
    res.setHeader('Content-Type', TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream')
    if (servedPath.endsWith('sw.js')) res.setHeader('Service-Worker-Allowed', '/')
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end()
      return
    }
    res.setHeader('Content-Length', found.size)
    if (req.method === 'HEAD') {
      res.writeHead(200).end()
      return
    }
    res.writeHead(200)
    const stream = createReadStream(found.path)
    stream.on('error', (err) => {
      log.warn({ err: err.message }, 'http: read failed')
      res.destroy()
    })
    stream.pipe(res)
  }
}
