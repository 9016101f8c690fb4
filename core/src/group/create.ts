// Creating a group (its genesis, signed by the owner) and opening one this device already knows.

import type { Envelope } from '../envelope/envelope'
import type { HybridClock } from '../envelope/hlc'
import { Gate, type GateOptions } from '../gate/gate'
import type { Identity } from '../identity/identity'
import type { SignedProfile } from '../identity/profile'
import { GroupKey } from '../keys/group-key'
import { DEFAULT_EVERYONE_POINTS } from './points'
import { EVERYONE_ROLE, GROUP_DOC_ID, GroupRoot } from './documents'
import { groupIdFor, newGroupNonce } from './group-id'
import { GroupActions, newId, publishedBoxKey, type ActionOptions } from './operations'
import { LIMITS, type PanelRecord } from './records'
import { GroupSession } from './session'
import { ValidationError } from '../errors'

export interface PanelTemplate {
  name: string
  type?: PanelRecord['type']
  children?: PanelTemplate[]
}

/** Tailchat's default: a lobby text panel. */
export const DEFAULT_TEMPLATE: PanelTemplate[] = [{ name: 'general' }]

export interface NewGroup {
  name: string
  description?: string
  avatar?: string
  /** A direct-message group: fixed membership by invite, one panel. */
  dm?: boolean
  panels?: PanelTemplate[]
  profile?: SignedProfile
}

export interface OpenOptions extends GateOptions, ActionOptions {
  send?: (envelope: Envelope) => void
  clock?: HybridClock
}

export interface OpenGroup {
  groupId: string
  gate: Gate
  session: GroupSession
  actions: GroupActions
}

export async function openGroup(
  identity: Identity,
  groupId: string,
  options: OpenOptions = {},
): Promise<OpenGroup> {
  const gate = new Gate(groupId, options)
  const session = await GroupSession.open(identity, gate, { send: options.send, clock: options.clock })
  return { groupId, gate, session, actions: new GroupActions(session, options) }
}

export async function createGroup(
  identity: Identity,
  group: NewGroup,
  options: OpenOptions = {},
): Promise<OpenGroup & { key: GroupKey; panelIds: string[] }> {
  const length = [...group.name].length
  if (length < 1 || length > LIMITS.groupName)
    throw new ValidationError(`A group name has 1–${LIMITS.groupName} characters.`)
  const nonce = newGroupNonce()
  const opened = await openGroup(identity, await groupIdFor(identity.userId, nonce), options)
  const key = await GroupKey.generate()
  const panelIds: string[] = []
  const box = await publishedBoxKey(identity)
  await opened.session.transact(GROUP_DOC_ID, (doc, hlc) => {
    const info = doc.getMap(GroupRoot.info)
    info.set('owner', identity.userId)
    info.set('nonce', nonce)
    info.set('name', group.name)
    info.set('createdAt', hlc)
    info.set('dm', group.dm === true)
    // Sanctions judged by what their authors had seen, not by claimed dates (docs/adr/0009).
    info.set('authority', 2)
    if (group.description !== undefined) info.set('description', group.description)
    if (group.avatar !== undefined) info.set('avatar', group.avatar)
    doc.getMap(GroupRoot.roles).set(EVERYONE_ROLE, { name: 'everyone', points: [...DEFAULT_EVERYONE_POINTS] })
    doc.getMap(GroupRoot.members).set(identity.userId, {
      joinedAt: hlc,
      ...(group.profile ? { profile: group.profile } : {}),
      ...(box ? { box } : {}),
    })
    const panels = doc.getMap(GroupRoot.panels)
    let order = 0
    const add = (t: PanelTemplate, parentId?: string) => {
      const id = newId()
      panels.set(id, {
        name: t.name,
        type: t.type ?? (t.children ? 'category' : 'text'),
        order: order++,
        ...(parentId ? { parentId } : {}),
      })
      panelIds.push(id)
      for (const c of t.children ?? []) add(c, id)
    }
    for (const t of group.panels ?? (group.dm ? [{ name: 'dm' }] : DEFAULT_TEMPLATE)) add(t)
  })
  return { ...opened, key, panelIds }
}
