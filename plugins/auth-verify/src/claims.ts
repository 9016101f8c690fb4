// What a sign-in assertion says about the member, and the shape check every decoded payload passes
// before anything in it is believed.
import { AssertionError } from './errors'

export interface RoleClaim {
  /** Stable role id in the group. */
  id: string
  /** Its name when the assertion was made (admins can rename roles: check ids where it matters). */
  name: string
}

export interface DeviceCertClaim {
  /** The user the device acts for (must equal `sub`). */
  user: string
  /** base64url Ed25519 public key of the device: it signed the assertion. */
  device: string
  /** base64url X25519 box key (part of what the identity signed). */
  box: string
  issuedAt: number
  /** base64url signature of the user's identity key over the certificate. */
  proof: string
}

export interface SignInClaims {
  v: 1
  /** The member: base64url of their Ed25519 identity public key (a Tailmesh UserId). */
  sub: string
  /** The site the assertion is for: an origin such as `https://example.com`. */
  aud: string
  /** The site's nonce, as it asked. */
  nonce: string
  /** Issued and expiry times, ms since the epoch. */
  iat: number
  exp: number
  nickname: string
  /** http(s) or data: URL, when the member has an avatar. */
  avatar?: string
  group: {
    id: string
    name: string
    /** Whether the member owns the group. */
    owner: boolean
    /** The member's roles in the group (the everyone role left out). */
    roles: RoleClaim[]
  }
  /** Present when a linked device signed: its certificate from the user's identity key. */
  cert?: DeviceCertClaim
}

/** Fields the member-facing prompt shows and the assertion carries. */
export const SHARED_FIELDS = ['user id', 'nickname', 'avatar', 'group', 'roles in the group'] as const

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0

function need(ok: boolean, what: string): void {
  if (!ok) throw new AssertionError('malformed', `The assertion's ${what} is missing or malformed.`)
}

const str = (v: unknown, max: number): boolean => typeof v === 'string' && v.length > 0 && v.length <= max

/** Throws AssertionError('malformed') unless `v` has exactly the shape of SignInClaims. */
export function checkClaims(v: unknown): SignInClaims {
  need(isObject(v), 'payload')
  const c = v as Record<string, unknown>
  need(c.v === 1, 'version (v: 1)')
  need(str(c.sub, 64), 'user id (sub)')
  need(str(c.aud, 2048), 'audience (aud)')
  need(str(c.nonce, 256), 'nonce')
  need(isTime(c.iat), 'issue time (iat)')
  need(isTime(c.exp) && (c.exp as number) > (c.iat as number), 'expiry (exp)')
  need(str(c.nickname, 64), 'nickname')
  need(c.avatar === undefined || str(c.avatar, 4096), 'avatar')
  need(isObject(c.group), 'group')
  const g = c.group as Record<string, unknown>
  need(str(g.id, 128) && typeof g.name === 'string' && typeof g.owner === 'boolean', 'group')
  need(
    Array.isArray(g.roles) &&
      g.roles.length <= 64 &&
      g.roles.every((r) => isObject(r) && str(r.id, 128) && typeof r.name === 'string'),
    'group roles',
  )
  if (c.cert !== undefined) {
    need(isObject(c.cert), 'device certificate (cert)')
    const d = c.cert as Record<string, unknown>
    need(
      str(d.user, 64) && str(d.device, 64) && str(d.box, 64) && str(d.proof, 128) && isTime(d.issuedAt),
      'device certificate (cert)',
    )
  }
  return v as unknown as SignInClaims
}
