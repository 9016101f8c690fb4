// A tiny static file server for test pages, on 127.0.0.1 and a free port (http://127.0.0.1 is a
// secure context, so WebCrypto, service workers and IndexedDB behave as on https). Files are held in
// memory: a test builds its page and bundle, then serves them. Later suites use the real relay instead.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname } from 'node:path'

export type StaticFiles = Record<string, string | Uint8Array>

export interface StaticServer {
  /** e.g. 'http://127.0.0.1:41234' (no trailing slash). */
  readonly origin: string
  /** Absolute URL of a path on this server. */
  url(path?: string): string
  /** Adds or replaces a file while serving. */
  set(path: string, body: string | Uint8Array): void
  /** Paths requested so far, in order (to assert what a page fetched). */
  readonly requests: string[]
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
}

/** Serves `files` (keys are URL paths such as '/index.html'); '/' serves '/index.html'. */
export async function serveStatic(files: StaticFiles): Promise<StaticServer> {
  const table = new Map(Object.entries(files).map(([p, body]) => [normalise(p), body]))
  const requests: string[] = []

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = normalise(new URL(req.url ?? '/', 'http://x').pathname)
    requests.push(path)
    const body = table.get(path === '/' ? '/index.html' : path)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path}`)
      return
    }
    const bytes = typeof body === 'string' ? Buffer.from(body) : body
    res.writeHead(200, {
      'content-type': TYPES[extname(path === '/' ? '/index.html' : path)] ?? 'application/octet-stream',
      'content-length': bytes.length,
      'cache-control': 'no-store',
    })
    res.end(req.method === 'HEAD' ? undefined : bytes)
  }

  const server = createServer(handle)
  // Browsers keep connections alive; without this, close() would wait for them to time out.
  server.keepAliveTimeout = 1_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`

  let closing: Promise<void> | null = null
  return {
    origin,
    url: (path = '/') => new URL(path, origin).href,
    set: (path, body) => void table.set(normalise(path), body),
    requests,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })),
  }
}

function normalise(path: string): string {
  return path.startsWith('/') ? path : `/${path}`
}
