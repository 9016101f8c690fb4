// The receiving side of call statements: what a peer checks before a statement may change anything.
// Every check that does not need a live connection is here, so it can be tested without one:
//
//   decode (strict) → this group → not our own session → addressed to us or to everyone → near our
//   clock → newer than the last statement of its session (replays refused) → signature → member now,
//   device not revoked → the author may join a call in that panel (or, for mute / remove, moderate it)
//   → an offer or answer names exactly one DTLS fingerprint in its SDP, the one it states.
//
// What it cannot check (that the connection really uses the stated certificate) call-mesh.browser.ts
// checks once connected.
import { toBase64Url } from '../bytes'
import { deviceIdOf } from '../identity/device-cert'
import { isDeviceRevoked, isMember, type AuthorityState } from '../group/authority-state'
import { callRights, type CallRights } from './call-rights'
import { decodeCallStatement, verifyCallStatement, type SignedCallStatement } from './call-wire'
import { sdpFingerprint } from './sdp-fingerprint'

export type CallRefusal =
  | 'malformed'
  | 'other group'
  | 'own session'
  | 'not for this session'
  | 'clock skew'
  | 'replayed'
  | 'bad signature'
  | 'not a member'
  | 'device revoked'
  | 'may not join'
  | 'may not moderate'
  | 'fingerprint mismatch'

export interface JudgedCall {
  statement: SignedCallStatement
  /** The author's rights in the statement's panel now. */
  rights: CallRights
  /** base64url of the author's session. */
  session: string
}

export interface CallJudgeOptions {
  groupId: string
  /** This page's session: statements addressed to another are not for us. */
  session: Uint8Array
  authority: () => AuthorityState
  now?: () => number
  /** Statements further than this from our clock are refused (bounds how long a replay could work). */
  maxSkewMs?: number
}

/** Refusals every healthy call sees (a statement heard twice, over two links; our own echoed back). */
export const ROUTINE_CALL_REFUSALS: ReadonlySet<CallRefusal> = new Set([
  'replayed',
  'own session',
  'not for this session',
])

export class CallJudge {
  private readonly sessionId: string
  /** Last seq per (author, session), with when it was heard, forgotten after the skew window. */
  private readonly last = new Map<string, { seq: number; heardAt: number }>()
  private readonly now: () => number
  private readonly maxSkewMs: number

  constructor(private readonly options: CallJudgeOptions) {
    this.sessionId = toBase64Url(options.session)
    this.now = options.now ?? Date.now
    this.maxSkewMs = options.maxSkewMs ?? 30_000
  }

  async judge(bytes: Uint8Array): Promise<JudgedCall | CallRefusal> {
    let s: SignedCallStatement
    try {
      s = decodeCallStatement(bytes)
    } catch {
      return 'malformed'
    }
    if (s.groupId !== this.options.groupId) return 'other group'
    const session = toBase64Url(s.session)
    if (session === this.sessionId) return 'own session'
    if (s.to !== null && toBase64Url(s.to) !== this.sessionId) return 'not for this session'
    const now = this.now()
    if (Math.abs(now - s.sentAt) > this.maxSkewMs) return 'clock skew'
    const key = `${s.author} ${session}`
    if (s.seq <= (this.last.get(key)?.seq ?? -1)) return 'replayed'
    if (!(await verifyCallStatement(s))) return 'bad signature'
    // Verification is async: the same statement may have been accepted meanwhile (two links).
    if (s.seq <= (this.last.get(key)?.seq ?? -1)) return 'replayed'
    const state = this.options.authority()
    if (!isMember(state, s.author)) return 'not a member'
    if (s.device && isDeviceRevoked(state, s.author, deviceIdOf(s.device), now)) return 'device revoked'
    const rights = callRights(state, s.author, s.panelId, now)
    // Leaving is always allowed: a member who just lost the right must still be able to say goodbye.
    if (!rights.join && s.kind !== 'leave') return 'may not join'
    if ((s.kind === 'mute' || s.kind === 'remove') && !rights.moderate) return 'may not moderate'
    if (s.kind === 'offer' || s.kind === 'answer') {
      const inSdp = sdpFingerprint(s.body)
      if (inSdp === null || inSdp !== s.fingerprint) return 'fingerprint mismatch'
    }
    this.last.set(key, { seq: s.seq, heardAt: now })
    this.forgetOld(now)
    return { statement: s, rights, session }
  }

  private forgetOld(now: number): void {
    // A session silent for twice the skew window can only send statements newer than it now anyway.
    if (this.last.size < 256) return
    for (const [k, v] of this.last) if (now - v.heardAt > 2 * this.maxSkewMs) this.last.delete(k)
  }
}
