// What a replica tells a transport that forwards frames between other peers (gossipsub) before it
// passes one on: an envelope the gate refuses for good is neither delivered nor passed on; one the
// gate defers is, since another peer may hold what makes it valid — but only if its author is a
// member now or it concerns the group document (a join whose invite is still on its way): otherwise
// anyone holding the key (a removed member) could have every peer forward a flood of envelopes that
// no gate will ever take. The frame is judged here, so its later delivery is a cheap "already seen".
import { decodeEnvelope } from '../../envelope/envelope'
import { isMember } from '../../group/authority-state'
import { GROUP_DOC_ID } from '../../group/documents'
import { ALREADY_SEEN, type Gate } from '../../gate/gate'
import { decodeSyncFrame } from '../frames'

export type ForwardingVerdict = 'accept' | 'reject' | 'ignore'

/** `opened`: the frame as opened by the key ring, or null when no key held here opens it. */
export async function forwardingVerdict(gate: Gate, opened: Uint8Array | null): Promise<ForwardingVerdict> {
  // A frame under a key this member does not hold yet may be fine: let it travel on.
  if (opened === null) return 'accept'
  let frame
  try {
    frame = decodeSyncFrame(opened)
  } catch {
    // Damaged or hostile: refused, and not passed on.
    return 'reject'
  }
  // Presence and calls are never published on gossip (the relay would keep them in the mailbox).
  if (frame.type === 'presence' || frame.type === 'call') return 'reject'
  if (frame.type !== 'envelope') return 'accept'
  const verdict = await gate.receive(frame.bytes)
  if (verdict.kind === 'reject') return verdict.reason === ALREADY_SEEN ? 'accept' : 'reject'
  if (verdict.kind === 'defer' && !mayTravelWhileHeld(gate, frame.bytes)) return 'ignore'
  return 'accept'
}

function mayTravelWhileHeld(gate: Gate, bytes: Uint8Array): boolean {
  try {
    const envelope = decodeEnvelope(bytes)
    return envelope.docId === GROUP_DOC_ID || isMember(gate.authority(), envelope.author)
  } catch {
    // Malformed: the gate refused it already; it goes no further.
    return false
  }
}
