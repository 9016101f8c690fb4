// The example site of "Sign in with Tailmesh": a page to use as a web panel's address, and a server
// that issues nonces, verifies the assertion the page posts back, greets the member and checks that
// they hold a role in the group the panel is in. No session is kept: what a real site would do next
// (set its own session cookie) is left out.
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AssertionError, NonceBook, verifyAssertion, type SignInClaims } from '../src/index'

export interface ExampleSiteOptions {
  port?: number
  host?: string
  /** The role name the role check looks for (default "Leader"). */
  role?: string
}

export interface ExampleSite {
  /** The site's origin: the audience its assertions must name. */
  origin: string
  /** The page to put in a web panel. */
  url: string
  /** Sign-ins this server accepted, newest last. */
  signIns: SignInClaims[]
  close(): Promise<void>
}

const PUBLIC = new URL('./public/', import.meta.url)
const FILES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/page.js': ['page.js', 'text/javascript; charset=utf-8'],
  '/page.css': ['page.css', 'text/css; charset=utf-8'],
}
const MAX_BODY = 32 * 1024

function send(res: ServerResponse, status: number, body: unknown): void {
  // The page runs in a sandboxed frame with an opaque origin: its fetches come from origin "null".
  res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of req) {
    text += String(chunk)
    if (text.length > MAX_BODY) throw new Error('too large')
  }
  return text
}

export async function startExampleSite(options: ExampleSiteOptions = {}): Promise<ExampleSite> {
  const nonces = new NonceBook()
  const requiredRole = options.role ?? 'Leader'
  const signIns: SignInClaims[] = []
  let origin = ''

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let assertion: unknown
    try {
      assertion = (JSON.parse(await readBody(req)) as { assertion?: unknown }).assertion
    } catch {
      return send(res, 400, { error: 'Send {"assertion": "tma1…"}.' })
    }
    try {
      const claims = await verifyAssertion(assertion, { audience: origin, nonce: nonces.consume })
      signIns.push(claims)
      const held = claims.group.roles.some((r) => r.name === requiredRole)
      send(res, 200, {
        greeting: `Hello ${claims.nickname}`,
        roleCheck: held
          ? `You are a ${requiredRole} in ${claims.group.name}.`
          : `You are not a ${requiredRole} in ${claims.group.name}.`,
      })
    } catch (error) {
      if (!(error instanceof AssertionError)) throw error
      send(res, 401, { error: error.message, code: error.code })
    }
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = req.method === 'GET' ? FILES[path] : undefined
    const handle = async (): Promise<void> => {
      if (file) {
        res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' })
        res.end(await readFile(new URL(file[0], PUBLIC)))
      } else if (req.method === 'POST' && path === '/nonce') send(res, 200, { nonce: nonces.issue() })
      else if (req.method === 'POST' && path === '/sign-in') await signIn(req, res)
      else send(res, 404, { error: 'not found' })
    }
    handle().catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { port, address } = server.address() as AddressInfo
  origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  return {
    origin,
    url: `${origin}/`,
    signIns,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        // Browsers keep idle connections open; close would wait for them.
        server.closeAllConnections()
      }),
  }
}
