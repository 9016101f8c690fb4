// The STUN / TURN servers this relay advertises to its clients for calls (`GET /ice-servers`). TURN
// servers that share a secret with the relay (coturn's `use-auth-secret` / `static-auth-secret`) get
// time-limited credentials per request, in coturn's REST API form: username `<expiry unix s>:tailmesh`,
// credential base64(HMAC-SHA1(secret, username)). The secret never leaves the relay; a credential
// stops working at its expiry. Static credentials (`TURN_USERNAME` / `TURN_CREDENTIAL`) go as they are.
import { createHmac } from 'node:crypto'

export interface IceConfig {
  /** `stun:` / `turn:` / `turns:` URLs, in the order given. */
  urls: string[]
  /** coturn's static-auth-secret: time-limited credentials for the TURN URLs. */
  turnSecret?: string
  /** Fixed credentials for the TURN URLs (when no secret). */
  turnUsername?: string
  turnCredential?: string
  /** How long a time-limited credential lasts. */
  turnTtlSeconds: number
}

export interface IceServer {
  urls: string[]
  username?: string
  credential?: string
}

const ICE_URL = /^(stun|stuns|turn|turns):[^\s/?#]+(\?transport=(udp|tcp))?$/

/** Why `url` is not a STUN / TURN URL the relay can advertise, or null. */
export function iceUrlProblem(url: string): string | null {
  return ICE_URL.test(url) ? null : `--ice-server must be a stun:, stuns:, turn: or turns: URL, got "${url}"`
}

export function turnCredentials(
  secret: string,
  ttlSeconds: number,
  nowMs = Date.now(),
): { username: string; credential: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:tailmesh`
  const credential = createHmac('sha1', secret).update(username).digest('base64')
  return { username, credential }
}

/** What a client gets: STUN URLs as they are, TURN URLs with credentials (none when there are none). */
export function iceServers(config: IceConfig, nowMs = Date.now()): IceServer[] {
  const stun = config.urls.filter((u) => u.startsWith('stun'))
  const turn = config.urls.filter((u) => u.startsWith('turn'))
  const out: IceServer[] = stun.length ? [{ urls: stun }] : []
  if (turn.length === 0) return out
  if (config.turnSecret)
    out.push({ urls: turn, ...turnCredentials(config.turnSecret, config.turnTtlSeconds, nowMs) })
  else if (config.turnUsername && config.turnCredential)
    out.push({ urls: turn, username: config.turnUsername, credential: config.turnCredential })
  else out.push({ urls: turn })
  return out
}
