// The webhook bot: an HTTP endpoint (node:http) that turns requests into messages in one panel.
//
//   POST <path>   JSON `{ "text": "markdown" }` → posted as is (core validates it)
//                 a GitHub delivery (`X-GitHub-Event`): `push` → formatted (github-push.ts);
//                 `issues`, `pull_request`, `release`, `issue_comment`, `pull_request_review_comment`
//                 → a card message with links (github-events.ts); `ping` → answered; other events →
//                 acknowledged and ignored
//
// Who may post: with a `secret`, every request must carry GitHub's `X-Hub-Signature-256` HMAC of the
// body (curl can compute one too); with a `pathToken`, the path is `<path>/<token>` (for senders that
// cannot sign). At least one is required. Answers: 404 unknown path, 405 not POST, 415 not
// application/json, 413 body over `maxBodyBytes`, 401 bad or missing signature, 400 not JSON or not a
// known shape, 422 a message core refuses (too long), 403 the bot may not post in the panel, 503 the
// panel is not known (yet), 201 posted, 202 accepted but not yet delivered (relay unreachable: the
// message is kept and sent when it is back) or an event that is ignored. Nothing a client sends can
// end the process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { timingSafeEqual } from 'node:crypto'
import type { Bot } from '@tailmesh/bot-kit'
import {
  PermissionDeniedError,
  ValidationError,
  InvalidOperationError,
  type SendOptions,
} from '@tailmesh/core'
import { GITHUB_CARD_EVENTS, PayloadError, formatGithubEvent, type GithubCardEvent } from './github-events'
import { formatPush } from './github-push'
import { SIGNATURE_HEADER, verifySignature } from './signature'

export interface WebhookBotOptions {
  groupId: string
  /** A text panel's id or name (default: the group's first text panel). */
  panel?: string
  /** Shared secret for GitHub's X-Hub-Signature-256 (HMAC-SHA256 of the body). */
  secret?: string
  /** A secret path segment: requests go to `<path>/<pathToken>`. */
  pathToken?: string
  /** Default '/webhook'. */
  path?: string
  /** Default 127.0.0.1 (put a TLS proxy in front to expose it). */
  host?: string
  /** Default 0: any free port (see `url`). */
  port?: number
  /** Larger bodies are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number
  /** How long a request waits for delivery before answering 202 (default 5 s). */
  deliveryWaitMs?: number
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export class WebhookBot {
  private server: Server | null = null
  private address: AddressInfo | null = null

  constructor(
    private readonly bot: Bot,
    private readonly options: WebhookBotOptions,
  ) {
    if (!options.secret && !options.pathToken)
      throw new Error('A webhook needs a secret (signed requests) or a pathToken (a secret path), or both.')
    if (options.pathToken !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(options.pathToken))
      throw new Error('A pathToken is 16–128 letters, digits, dashes or underscores.')
  }

  /** Where to send requests (with the path token, if any). */
  get url(): string {
    if (!this.address) throw new Error('The webhook is not listening.')
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address
    return `http://${host}:${this.address.port}${this.endpoint()}`
  }

  async start(): Promise<void> {
    if (this.server) return
    const server = createServer((req, res) => void this.handle(req, res))
    // Slow or stuck clients cannot hold the bot's sockets for long.
    server.requestTimeout = 30_000
    server.headersTimeout = 10_000
    server.on('clientError', (_e, socket) => socket.destroy())
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.server = server
    this.address = server.address() as AddressInfo
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  private endpoint(): string {
    const path = (this.options.path ?? '/webhook').replace(/\/+$/, '') || ''
    return this.options.pathToken ? `${path}/${this.options.pathToken}` : path || '/'
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const answer = await this.answer(req)
      send(res, answer.status, answer.body)
    } catch (e) {
      if (e instanceof HttpError) send(res, e.status, { error: e.message })
      else {
        // Never the payload or the secret: only what failed.
        console.error('tailmesh webhook bot: request failed:', e instanceof Error ? e.message : e)
        send(res, 500, { error: 'The bot could not handle this request.' })
      }
      // A body left unread would otherwise keep the connection busy.
      if (!req.complete) req.destroy()
    }
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (req.url ?? '').split('?')[0]!
    if (!samePath(path, this.endpoint())) throw new HttpError(404, 'Not found.')
    if (req.method !== 'POST') throw new HttpError(405, 'Use POST.')
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase()
    if (type !== 'application/json') throw new HttpError(415, 'Send application/json.')
    const body = await readBody(req, this.options.maxBodyBytes ?? 1024 * 1024)
    if (this.options.secret && !verifySignature(this.options.secret, body, req.headers[SIGNATURE_HEADER]))
      throw new HttpError(401, 'Missing or wrong X-Hub-Signature-256.')
    let payload: unknown
    try {
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))
    } catch {
      throw new HttpError(400, 'The body is not JSON.')
    }

    const event = req.headers['x-github-event']
    let text: string | null
    if (typeof event === 'string') {
      if (event === 'ping') return { status: 200, body: { ok: true, event } }
      if ((GITHUB_CARD_EVENTS as readonly string[]).includes(event)) {
        try {
          const message = formatGithubEvent(event as GithubCardEvent, payload)
          return await this.post(message.text, { card: message.card })
        } catch (e) {
          if (e instanceof PayloadError) throw new HttpError(400, e.message)
          throw e
        }
      }
      if (event !== 'push') return { status: 202, body: { ok: true, ignored: event } }
      text = formatPush(payload)
      if (text === null) throw new HttpError(400, 'Not a GitHub push payload: ref is required.')
    } else {
      const t = (payload as { text?: unknown } | null)?.text
      if (typeof t !== 'string' || t.trim() === '') throw new HttpError(400, 'Expected {"text": "…"}.')
      text = t
    }
    return this.post(text)
  }

  private async post(text: string, options: SendOptions = {}): Promise<{ status: number; body: unknown }> {
    let panelId: string
    try {
      panelId = this.panelId()
    } catch (e) {
      throw new HttpError(503, (e as Error).message)
    }
    const sending = this.bot.send(this.options.groupId, panelId, text, options)
    const waited = await Promise.race([
      sending.then((id) => ({ id })),
      new Promise<null>((r) => setTimeout(() => r(null), this.options.deliveryWaitMs ?? 5_000).unref()),
    ]).catch((e: unknown) => {
      if (e instanceof PermissionDeniedError) throw new HttpError(403, 'The bot may not post in this panel.')
      if (e instanceof ValidationError || e instanceof InvalidOperationError)
        throw new HttpError(422, e.message)
      throw e
    })
    if (waited === null) {
      // Kept in the bot's outbox and sent once the relay is back; the sender need not retry.
      sending.catch(() => undefined)
      return { status: 202, body: { ok: true, delivered: false } }
    }
    return { status: 201, body: { ok: true, delivered: true, messageId: waited.id } }
  }

  private panelId(): string {
    return this.bot.textPanel(this.options.groupId, this.options.panel)
  }
}

/** Constant-time for the secret path segment, so timing does not reveal the token. */
function samePath(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > max)
    return Promise.reject(new HttpError(413, `The body is larger than ${max} bytes.`))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.removeAllListeners('data')
        reject(new HttpError(413, `The body is larger than ${max} bytes.`))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', () => reject(new HttpError(400, 'The request was cut off.')))
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Answered before the rest of an oversized body is read: the client must not reuse the socket.
    ...(status === 413 ? { connection: 'close' } : {}),
  })
  res.end(text)
}
