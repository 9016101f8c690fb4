// What a rule is given to judge one envelope's touches: who wrote it, when, to which document, and
// the group's authority at that time. The gate builds it (gate.ts); the rules read it (rules.ts,
// device-rules.ts, plugin-rules.ts).

import type { DocRef } from '../group/documents'
import type { AuthorityState } from '../group/authority-state'
import type { UserId } from '../identity/user-id'

export interface RuleContext {
  groupId: string
  author: UserId
  /** The linked device that signed, when not the author's identity key (device-cert.ts). */
  device?: string
  hlc: number
  wallMs: number
  doc: DocRef
  state: AuthorityState
  ownerOfClient(client: number): UserId | undefined
  /** The signing device is revoked by a revocation whose author had not seen this envelope. */
  revokedUnseen?: boolean
}
