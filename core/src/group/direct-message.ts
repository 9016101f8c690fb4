// Direct messages: a DM between two or more people is a small group with info.dm = true and one
// fixed text panel, using the same documents, gate and operations as any group. The creator owns it
// and hands each other participant the secret of one invite whose usage limit is the number of
// other participants, so the DM cannot admit anyone beyond the people it was made for.

import type { AuthorityState } from './authority-state'
import { memberIds } from './authority-state'
import { createGroup, type OpenGroup, type OpenOptions } from './create'
import type { CreatedInvite } from './operations'
import type { GroupKey } from '../keys/group-key'
import type { Identity } from '../identity/identity'
import type { SignedProfile } from '../identity/profile'
import { validateProfile } from '../identity/profile'
import type { UserId } from '../identity/user-id'
import { ValidationError } from '../errors'
import { LIMITS } from './records'

/** The group name of a DM created without one: its display name then comes from its members. */
export const DM_DEFAULT_NAME = 'Direct message'
/** The people a DM may hold, its creator included (the gate enforces it on joins). */
export const MAX_DM_PARTICIPANTS = LIMITS.dmParticipants
/** How long the invite of a new DM admits the others. */
export const DM_INVITE_MS = 7 * 24 * 60 * 60 * 1000

export interface NewDirectMessage {
  /** A name for a multi-person DM; without one the members' nicknames name it. */
  name?: string
  /** The creator's signed profile, kept in their member record. */
  profile?: SignedProfile
  /** How many other people will join (default 1: a two-person DM). */
  others?: number
}

export interface CreatedDirectMessage extends OpenGroup {
  key: GroupKey
  /** The DM's one panel. */
  panelId: string
  /** The invite the others join with: usage limit = `others`, expires in 7 days. */
  invite: CreatedInvite
  /** The secret to hand to the other participants (inside the invite link, never to a server). */
  secret: Uint8Array
}

export async function createDirectMessage(
  identity: Identity,
  dm: NewDirectMessage = {},
  options: OpenOptions = {},
): Promise<CreatedDirectMessage> {
  const others = dm.others ?? 1
  if (!Number.isSafeInteger(others) || others < 1 || others > MAX_DM_PARTICIPANTS - 1)
    throw new ValidationError(`A DM has 1–${MAX_DM_PARTICIPANTS - 1} other participants.`)
  const created = await createGroup(
    identity,
    {
      name: dm.name ?? DM_DEFAULT_NAME,
      dm: true,
      panels: [{ name: 'dm' }],
      ...(dm.profile ? { profile: dm.profile } : {}),
    },
    options,
  )
  const panelId = created.panelIds[0]
  if (panelId === undefined) throw new Error('createGroup made no panel for the DM')
  const invite = await created.actions.createInvite({ expiresInMs: DM_INVITE_MS, maxUses: others })
  return { ...created, panelId, invite, secret: invite.secret }
}

export function isDirectMessage(state: AuthorityState): boolean {
  return state.info?.dm === true
}

/** The DM's panel: its one text panel (the first by order, should a rogue owner have added more). */
export function directMessagePanel(state: AuthorityState): string | undefined {
  let best: { id: string; order: number } | undefined
  for (const [id, p] of state.panels)
    if (
      p.type === 'text' &&
      (best === undefined || p.order < best.order || (p.order === best.order && id < best.id))
    )
      best = { id, order: p.order }
  return best?.id
}

/**
 * A member's display name from the profile in their member record: the nickname if the profile is
 * theirs and well formed, else a short form of their user id. (The gate lets only a member write
 * their own record, so the profile there was put there by that member.)
 */
export function memberDisplayName(state: AuthorityState, userId: UserId): string {
  const profile = state.members.get(userId)?.profile
  if (
    typeof profile === 'object' &&
    profile !== null &&
    (profile as { userId?: unknown }).userId === userId
  ) {
    try {
      return validateProfile((profile as { profile?: unknown }).profile).nickname
    } catch {
      // fall through to the id
    }
  }
  return `${userId.slice(0, 8)}…`
}

/**
 * What a DM is called on `me`'s screen: its own name if it was given one, else the other members'
 * nicknames in the order they joined ("Bob", "Bob, Carol", "Bob, Carol, Dave +2"). A non-DM group
 * is called by its name.
 */
export function directMessageName(state: AuthorityState, me: UserId, maxNames = 3): string {
  const info = state.info
  if (!info) return DM_DEFAULT_NAME
  if (!info.dm || info.name !== DM_DEFAULT_NAME) return info.name
  const others = memberIds(state)
    .filter((u) => u !== me)
    .sort(
      (a, b) =>
        (state.members.get(a)?.joinedAt ?? 0) - (state.members.get(b)?.joinedAt ?? 0) || (a < b ? -1 : 1),
    )
  if (others.length === 0) return DM_DEFAULT_NAME
  const names = others.slice(0, maxNames).map((u) => memberDisplayName(state, u))
  const rest = others.length - names.length
  return rest > 0 ? `${names.join(', ')} +${rest}` : names.join(', ')
}
