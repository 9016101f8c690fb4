// Pinned messages: a panel's short list of messages everyone sees in its "Pinned" list. A pin is a
// record in the group document (`pins`, `${panelId}/${messageId}` -> { by, at }), so a panel's pins
// are known without loading every week of its history; the message itself stays in its week. Pinning
// and unpinning need pinMessage in that panel, and every peer's gate says so (gate/rules.ts, pinRule).

import { InvalidOperationError, PermissionDeniedError } from '../errors'
import type { UserId } from '../identity/user-id'
import { GROUP_DOC_ID, GroupRoot, hlcOfMessageId, parsePinKey, pinKey } from './documents'
import type { ActionOptions, GroupActions } from './operations'
import { resolvePermissions } from './permissions'
import { isTombstone, validatePin, type PinRecord } from './records'
import type { GroupSession } from './session'

/** The most pins a panel shows; a client does not add more (as Discord's 50 per channel). */
export const MAX_PINS_PER_PANEL = 50

export interface PinnedMessage {
  panelId: string
  messageId: string
  by: UserId
  /** HLC of the pin. */
  at: number
}

/** A panel's pins, the newest pin first. */
export function pinsOf(session: GroupSession, panelId: string): PinnedMessage[] {
  const out: PinnedMessage[] = []
  session.gate
    .doc(GROUP_DOC_ID)
    .getMap(GroupRoot.pins)
    .forEach((value, key) => {
      const k = parsePinKey(key)
      if (!k || k.panelId !== panelId) return
      try {
        const pin: PinRecord = validatePin(value)
        out.push({ ...k, by: pin.by, at: pin.at })
      } catch {
        // Only a locally forged write can be invalid here: the gate refuses invalid remote records.
      }
    })
  return out.sort((a, b) => b.at - a.at || (a.messageId < b.messageId ? 1 : -1))
}

export function isPinned(session: GroupSession, panelId: string, messageId: string): boolean {
  return session.gate.doc(GROUP_DOC_ID).getMap(GroupRoot.pins).has(pinKey(panelId, messageId))
}

function requirePinPoint(session: GroupSession, panelId: string, options: ActionOptions): void {
  if (options.skipLocalChecks) return
  const perms = resolvePermissions(session.authority(), session.userId, panelId, Date.now())
  if (!perms.isMember) throw new InvalidOperationError('You are not a member of this group.')
  if (!perms.has('pinMessage')) throw new PermissionDeniedError('pinMessage', 'pinning messages')
}

/** Pins a message to its panel for everyone. */
export async function pinMessage(
  actions: GroupActions,
  panelId: string,
  messageId: string,
  options: ActionOptions = {},
): Promise<void> {
  const { session } = actions
  requirePinPoint(session, panelId, options)
  if (!options.skipLocalChecks) {
    const m = actions.message(panelId, messageId)
    if (!m || isTombstone(m)) throw new InvalidOperationError('No such message.')
    if (isPinned(session, panelId, messageId)) return
    if (pinsOf(session, panelId).length >= MAX_PINS_PER_PANEL)
      throw new InvalidOperationError(`A panel holds at most ${MAX_PINS_PER_PANEL} pins: unpin one first.`)
  }
  if (hlcOfMessageId(messageId) === null) throw new InvalidOperationError(`Not a message id: ${messageId}`)
  await session.transact(GROUP_DOC_ID, (doc, hlc) =>
    doc.getMap(GroupRoot.pins).set(pinKey(panelId, messageId), { by: session.userId, at: hlc }),
  )
}

export async function unpinMessage(
  actions: GroupActions,
  panelId: string,
  messageId: string,
  options: ActionOptions = {},
): Promise<void> {
  const { session } = actions
  requirePinPoint(session, panelId, options)
  if (!options.skipLocalChecks && !isPinned(session, panelId, messageId)) return
  await session.transact(GROUP_DOC_ID, (doc) => doc.getMap(GroupRoot.pins).delete(pinKey(panelId, messageId)))
}
