// Group management through core's operations only (GroupActions): every peer's gate applies the same
// rules to what these send, so the UI's checks are a courtesy, never the authority. A GroupManager
// wraps one GroupHandle; views re-read it on the handle's `group` changes.
import {
  EVERYONE_ROLE,
  GroupActions,
  LIMITS,
  PERMISSION_POINTS,
  PREREQUISITE,
  inviteIdOf,
  inviteKeyPair,
  isMember,
  isMuted,
  memberIds,
  resolvePermissions,
  rolesOf,
  type BuiltinPoint,
  type PanelRecord,
  type PermissionOverride,
  type Point,
  type UserId,
} from '@tailmesh/core'
import type { GroupHandle } from './group-handle'
import { encodeInvitePayload, inviteLink } from './invite-link'
import { groupInviteRelays } from './relays'
import { inviteProblem, type InviteProblem } from './invite-status'

export { EVERYONE_ROLE, LIMITS, PERMISSION_POINTS, PREREQUISITE }
export type { BuiltinPoint, PanelRecord, PermissionOverride, Point }

export interface MyPermissions {
  isOwner: boolean
  isMember: boolean
  points: ReadonlySet<string>
}

export interface RoleView {
  id: string
  name: string
  color?: string
  points: Point[]
  /** The fallback role every member holds. */
  everyone: boolean
}

export interface InviteView {
  id: string
  creator: UserId
  creatorName: string
  /** Wall-clock ms; null never expires. */
  expiresAt: number | null
  maxUses: number | null
  uses: number
  revoked: boolean
  /** Still admits someone now. */
  usable: boolean
}

export interface MemberDetail {
  userId: UserId
  nickname: string
  owner: boolean
  /** Assigned role ids (not the everyone role). */
  roles: string[]
  /** Wall-clock ms the member is muted until, or null. */
  mutedUntil: number | null
}

/** Why this member cannot send in a panel right now, or null when they can. */
export type SendBlock =
  { reason: 'notMember' } | { reason: 'muted'; until: number } | { reason: 'noPermission' } | null

export interface InviteSummary {
  name: string
  memberCount: number
  /** The inviter's nickname, once the invite itself has arrived. */
  inviter: string | null
  /** Why this invite cannot let me in (revoked, expired, used up, I am banned...), or null. */
  problem: InviteProblem | null
}

/** The closed flag in the group's config: "deleted" for everyone (see `deleteGroup`). */
const CLOSED = 'closed'

export class GroupManager {
  constructor(readonly handle: GroupHandle) {}

  private get actions(): GroupActions {
    return this.handle.group.actions
  }

  private state() {
    return this.handle.group.gate.authority()
  }

  // --- reading ----------------------------------------------------------------------------------

  permissions(panelId?: string): MyPermissions {
    const p = resolvePermissions(this.state(), this.handle.me, panelId, Date.now())
    return { isOwner: p.isOwner, isMember: p.isMember, points: new Set(p.list()) }
  }

  /** Whether the owner deleted the group (it stays readable on devices that hold it). */
  closed(): boolean {
    return this.state().info?.config[CLOSED] === true
  }

  roles(): RoleView[] {
    return [...this.state().roles]
      .map(([id, r]) => ({ id, ...r, everyone: id === EVERYONE_ROLE }))
      .sort((a, b) => Number(b.everyone) - Number(a.everyone) || a.name.localeCompare(b.name))
  }

  members(): MemberDetail[] {
    const state = this.state()
    const now = Date.now()
    return memberIds(state).map((userId) => ({
      userId,
      nickname: this.handle.nickname(userId),
      owner: state.info?.owner === userId,
      roles: rolesOf(state, userId).filter((r) => r !== EVERYONE_ROLE),
      mutedUntil: isMuted(state, userId, now) ? (state.mutes.get(userId)?.until ?? null) : null,
    }))
  }

  banned(): { userId: UserId; nickname: string }[] {
    return [...this.state().bans.keys()].map((userId) => ({ userId, nickname: this.handle.nickname(userId) }))
  }

  /** Newest first (by the time each was made; the same order on every member's screen). */
  invites(): InviteView[] {
    const state = this.state()
    const now = Date.now()
    return [...state.invites]
      .sort(([ia, a], [ib, b]) => b.createdAt - a.createdAt || (ia < ib ? -1 : ia > ib ? 1 : 0))
      .map(([id, i]) => {
        const uses = state.inviteUses.get(id) ?? 0
        return {
          id,
          creator: i.creator,
          creatorName: this.handle.nickname(i.creator),
          expiresAt: i.expiresAt,
          maxUses: i.maxUses,
          uses,
          revoked: i.revoked === true,
          usable:
            i.revoked !== true &&
            (i.expiresAt === null || i.expiresAt > now) &&
            (i.maxUses === null || uses < i.maxUses),
        }
      })
  }

  sendBlock(panelId: string): SendBlock {
    const state = this.state()
    const me = this.handle.me
    if (!isMember(state, me)) return { reason: 'notMember' }
    const now = Date.now()
    if (resolvePermissions(state, me, panelId, now).has('message')) return null
    if (isMuted(state, me, now)) return { reason: 'muted', until: state.mutes.get(me)!.until }
    return { reason: 'noPermission' }
  }

  /** What the join screen shows before joining. */
  async inviteSummary(secret: Uint8Array): Promise<InviteSummary | null> {
    const state = this.state()
    if (!state.info) return null
    const inviteId = inviteIdOf((await inviteKeyPair(secret)).publicKey)
    const invite = state.invites.get(inviteId)
    return {
      name: state.info.name,
      memberCount: memberIds(state).length,
      inviter: invite ? this.handle.nickname(invite.creator) : null,
      problem: inviteProblem(state, inviteId, this.handle.me),
    }
  }

  // --- group ------------------------------------------------------------------------------------

  updateInfo(patch: { name?: string; avatar?: string; description?: string }): Promise<void> {
    return this.actions.updateInfo(patch)
  }

  transferOwnership(to: UserId): Promise<void> {
    return this.actions.transferOwnership(to)
  }

  leave(): Promise<void> {
    return this.actions.leave()
  }

  /** How the group's peers reach each other: 'auto' (the WebRTC mesh up to a size, then libp2p) or pinned. */
  transport(): 'auto' | 'mesh' | 'libp2p' {
    const pinned = this.state().info?.config['transport']
    return pinned === 'mesh' || pinned === 'libp2p' ? pinned : 'auto'
  }

  /** Pins the network (needs groupConfig); every member's replica follows, without loss during the switch. */
  async setTransport(mode: 'auto' | 'mesh' | 'libp2p'): Promise<void> {
    const { transport: _previous, ...config } = this.state().info?.config ?? {}
    await this.actions.updateConfig(mode === 'auto' ? config : { ...config, transport: mode })
  }

  /**
   * "Delete" for everyone, with what core has: the owner revokes every invite, marks the group
   * closed and kicks every other member. Members then no longer hold it as a group (it leaves their
   * lists); the owner's list hides closed groups. History stays on devices that already hold it.
   */
  async deleteGroup(): Promise<void> {
    if (!this.permissions().isOwner) throw new Error('Only the owner can delete the group.')
    for (const i of this.invites()) if (!i.revoked) await this.actions.revokeInvite(i.id)
    // Closed before the kicks: a kick rotates the group key, and members should still learn why.
    await this.actions.updateConfig({ ...this.state().info?.config, [CLOSED]: true })
    for (const m of this.members()) if (!m.owner) await this.actions.kick(m.userId)
  }

  // --- panels -----------------------------------------------------------------------------------

  createPanel(panel: {
    name: string
    type: 'text' | 'category' | 'web' | 'plugin' | 'voice'
    parentId?: string
    url?: string
    /** A plugin panel's meta: pluginId, panelType and the plugin's config fields. */
    meta?: Record<string, string | number | boolean>
    overrides?: PanelRecord['overrides']
  }): Promise<string> {
    return this.actions.createPanel({
      name: panel.name,
      type: panel.type,
      parentId: panel.parentId,
      meta:
        panel.type === 'web' ? { url: panel.url ?? '' } : panel.type === 'plugin' ? panel.meta : undefined,
      overrides: panel.overrides,
    })
  }

  updatePanel(id: string, patch: Partial<PanelRecord>): Promise<void> {
    return this.actions.updatePanel(id, patch)
  }

  movePanel(id: string, to: { parentId?: string; order: number }): Promise<void> {
    return this.actions.movePanel(id, to)
  }

  deletePanel(id: string): Promise<void> {
    return this.actions.deletePanel(id)
  }

  // --- roles ------------------------------------------------------------------------------------

  createRole(role: { name: string; color?: string; points: Point[] }): Promise<string> {
    return this.actions.createRole(role)
  }

  updateRole(id: string, patch: { name?: string; color?: string; points?: Point[] }): Promise<void> {
    return this.actions.updateRole(id, patch)
  }

  deleteRole(id: string): Promise<void> {
    return this.actions.deleteRole(id)
  }

  assignRole(userId: UserId, roleId: string): Promise<void> {
    return this.actions.assignRole(userId, roleId)
  }

  unassignRole(userId: UserId, roleId: string): Promise<void> {
    return this.actions.unassignRole(userId, roleId)
  }

  // --- invites ----------------------------------------------------------------------------------

  /** A new invite as a link under `appUrl`. */
  async createInvite(options: { expiresInMs: number | null; maxUses: number | null }, appUrl: string) {
    const { inviteId, secret } = await this.actions.createInvite(options)
    const link = inviteLink(
      appUrl,
      encodeInvitePayload({
        groupId: this.handle.groupId,
        groupKey: this.handle.currentKey().raw,
        secret,
        relays: groupInviteRelays(this.handle.group.gate.authority()),
      }),
    )
    return { inviteId, link }
  }

  revokeInvite(id: string): Promise<void> {
    return this.actions.revokeInvite(id)
  }

  // --- moderation -------------------------------------------------------------------------------

  mute(userId: UserId, durationMs: number): Promise<void> {
    return this.actions.mute(userId, durationMs)
  }

  unmute(userId: UserId): Promise<void> {
    return this.actions.unmute(userId)
  }

  kick(userId: UserId): Promise<void> {
    return this.actions.kick(userId)
  }

  ban(userId: UserId): Promise<void> {
    return this.actions.ban(userId)
  }

  unban(userId: UserId): Promise<void> {
    return this.actions.unban(userId)
  }
}

/**
 * A modified client for tests: the same operations with this client's own checks skipped (core's
 * `skipLocalChecks`). Everyone else's gate still judges what it sends. Installed only by
 * `installTestHooks` when the page is opened with the test flag.
 */
export function forgedActions(handle: GroupHandle): GroupActions {
  return new GroupActions(handle.group.session, { skipLocalChecks: true })
}
