// Friends and DMs for the app, over core's FriendChannel: my friend code and link, requests in and
// out, accept (makes our DM and sends its invite) and deny, "Message" (opens our DM, making one if
// needed) and group DMs. Invites that arrive from friends are joined on their own: the DM's group
// document comes from the mailbox, then this device joins with the invite's secret.
import {
  FriendChannel,
  createDirectMessage,
  decodeFriendCard,
  encodeInvitePayload,
  friendCodeOf,
  friendLink,
  memberIds,
  type FriendsView,
  type OutgoingRequest,
  type PendingInvite,
  type UserId,
} from '@tailmesh/core'
import { appLogger } from '../diagnostics'
import type { TailmeshClient } from './client'
import type { FriendsSync } from './friends-sync'
import type { GroupHandle } from './group-handle'

export type { Friend, IncomingRequest, OutgoingRequest, PendingInvite } from '@tailmesh/core'

/** How long a joining device waits for a DM's group document before it tries again later. */
const JOIN_WAIT_MS = 60_000

export class FriendsClient {
  private channel: FriendChannel | null = null
  private starting: Promise<FriendChannel> | null = null
  private readonly listeners = new Set<() => void>()
  private readonly joining = new Set<string>()

  constructor(
    private readonly client: TailmeshClient,
    private readonly sync: FriendsSync,
  ) {}

  /** Starts reading my friend topic (once); later calls wait for the same start. */
  start(): Promise<FriendChannel> {
    return (this.starting ??= (async () => {
      const { identity, profile } = this.client.friendIdentity()
      const channel = await FriendChannel.start({
        identity,
        profile,
        storage: await this.sync.storage(),
        transports: this.sync.transports(),
        logger: appLogger(),
      })
      this.channel = channel
      channel.on(() => {
        this.changed()
        this.joinInvites()
      })
      this.joinInvites()
      this.changed()
      return channel
    })().catch((e: unknown) => {
      this.starting = null
      throw e
    }))
  }

  get started(): boolean {
    return this.channel !== null
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const l of this.listeners) l()
  }

  private get ready(): FriendChannel {
    if (!this.channel) throw new Error('Friends are not started yet.')
    return this.channel
  }

  code(): string {
    return this.ready.code()
  }

  link(appUrl: string): string {
    return friendLink(appUrl, this.ready.code())
  }

  view(): FriendsView {
    return this.channel?.view() ?? { friends: [], incoming: [], outgoing: [], invites: [] }
  }

  /** Whose card a pasted code or link is (throws for something that is neither). */
  whoseCode(pasted: string): UserId {
    return decodeFriendCard(friendCodeOf(pasted)).userId
  }

  isMe(userId: UserId): boolean {
    return this.client.me?.userId === userId
  }

  /** Sends a friend request to the owner of a pasted code or friend link. */
  async request(pasted: string): Promise<OutgoingRequest> {
    return (await this.start()).request(friendCodeOf(pasted))
  }

  /** Accepts a request: our DM is made here and its invite goes to them. Returns the DM's group id. */
  async accept(requestId: string): Promise<string> {
    let groupId = ''
    await this.ready.accept(requestId, async () => {
      const dm = await this.newDm(1)
      groupId = dm.handle.groupId
      return dm.invite
    })
    return groupId
  }

  deny(requestId: string): Promise<void> {
    return this.ready.deny(requestId)
  }

  /** A new code and link; the old ones stop working. Friends are told the new one. */
  regenerate(): Promise<string> {
    return this.ready.regenerate()
  }

  /** Our DM with a friend (its group id): the one we have, or a new one they are invited to. */
  async message(userId: UserId): Promise<string> {
    const friend = this.view().friends.find((f) => f.userId === userId)
    if (!friend) throw new Error('Not a friend.')
    const kept = friend.dm ? this.client.group(friend.dm) : undefined
    if (kept?.isMember()) return kept.groupId
    const dm = await this.newDm(1)
    await this.ready.inviteToDm([userId], dm.invite)
    await this.ready.setDm(userId, dm.handle.groupId)
    return dm.handle.groupId
  }

  /** A DM with several friends at once. Returns its group id. */
  async groupDm(userIds: UserId[]): Promise<string> {
    if (userIds.length < 1) throw new Error('Pick at least one friend.')
    const dm = await this.newDm(userIds.length)
    await this.ready.inviteToDm(userIds, dm.invite)
    return dm.handle.groupId
  }

  private async newDm(others: number): Promise<{ handle: GroupHandle; invite: string }> {
    const { identity, profile } = this.client.friendIdentity()
    // The DM's first envelopes wait in its session until the client attaches it.
    const made = await createDirectMessage(identity, { profile, others })
    const handle = await this.client.adoptNew(made, made.key)
    const invite = encodeInvitePayload({ groupId: made.groupId, groupKey: made.key.raw, secret: made.secret })
    return { handle, invite }
  }

  /** Joins every DM a friend invited me to that this device has not joined yet. */
  private joinInvites(): void {
    for (const invite of this.view().invites) {
      if (this.joining.has(invite.groupId)) continue
      this.joining.add(invite.groupId)
      void this.joinInvite(invite)
        .catch((e: unknown) => {
          console.warn('friends: could not join a DM yet', e)
          // Its group document may come later (the inviter was offline): try again in a while.
          setTimeout(() => this.joinInvites(), JOIN_WAIT_MS)
        })
        .finally(() => this.joining.delete(invite.groupId))
    }
  }

  private async joinInvite(invite: PendingInvite): Promise<void> {
    const { handle, secret } = await this.client.openInvite(invite.invite)
    if (!handle.isMember()) {
      await arrived(handle, () => handle.knowsInvite(secret))
      await this.client.join(invite.invite)
    }
    const state = handle.group.gate.authority()
    // A two-person DM from a friend who pressed "Message" becomes our DM, unless we have one.
    const twoOfUs = memberIds(state).length === 2 && state.members.has(invite.from)
    if (invite.kind === 'accept' || (twoOfUs && !this.friendDm(invite.from)))
      await this.ready.setDm(invite.from, invite.groupId)
    await this.ready.inviteHandled(invite.groupId)
  }

  private friendDm(userId: UserId): string | undefined {
    const dm = this.view().friends.find((f) => f.userId === userId)?.dm
    return dm && this.client.group(dm)?.isMember() ? dm : undefined
  }

  async close(): Promise<void> {
    await this.channel?.close()
  }
}

/** Waits until `check` holds, re-checking on each change of the group (or gives up after a while). */
function arrived(handle: GroupHandle, check: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false
    const finish = (error?: Error) => {
      if (done) return
      done = true
      off()
      clearTimeout(timer)
      if (error) reject(error)
      else resolve()
    }
    const test = () => void check().then((ok) => ok && finish(), finish)
    const off = handle.onChange((c) => c.kind === 'group' && test())
    const timer = setTimeout(() => finish(new Error('The DM has not arrived yet.')), JOIN_WAIT_MS)
    test()
  })
}
