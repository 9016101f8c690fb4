// TailmeshClient: the only code in web/ that talks to @tailmesh/core. It owns this device's identity
// (kept in the keystore) and the groups open on it (each a GroupHandle), and hands every group to the
// GroupSync — the slot where the Replica plugs in (see sync.ts).
import {
  GroupKey,
  Identity,
  createGroup,
  generateSigningKeyPair,
  openGroup,
  signProfile,
  signingKeyPairFromSeed,
  validateProfile,
  type SignedProfile,
  type UserId,
} from '@tailmesh/core'
import { GroupHandle } from './group-handle'
import {
  acceptLink,
  linkedIdentity,
  listDevices,
  requestLink,
  revokeEverywhere,
  type DeviceView,
  type LinkRequest,
} from './devices'
import { decodeInvitePayload } from './invite-link'

/** Backups load when one is made or restored: the app shell's budget (bench/bundle-size). */
const backup = () => import('@tailmesh/core/identity/backup')
import type { Keystore } from './keystore'
import { addRelays, onRelaysChanged, recordedRelays, recordedRelaysWith } from './relays'
import type { SignInRequestFor } from './sign-in'
import type { GroupSync } from './sync'

export interface Me {
  userId: UserId
  nickname: string
  /** A data: or http(s) URL (core's profile limits). */
  avatar?: string
  status?: string
}

/** What the person edits of their profile (Settings). */
export interface ProfileChange {
  nickname: string
  avatar?: string
  status?: string
}

export interface ClientOptions {
  keystore: Keystore
  sync: GroupSync
}

export class TailmeshClient {
  private identity: Identity | null = null
  private profile: SignedProfile | null = null
  private readonly groups = new Map<string, GroupHandle>()
  /** Groups being opened, so two callers opening one group share the one handle. */
  private readonly opening = new Map<string, Promise<GroupHandle>>()
  private readonly listeners = new Set<() => void>()

  constructor(private readonly options: ClientOptions) {
    // Every group I am in records the relays I use (invite links made by any member name them).
    onRelaysChanged(() => void Promise.all(this.list().map((h) => this.recordRelays(h))))
  }

  // --- identity ---------------------------------------------------------------------------------

  get me(): Me | null {
    if (!this.identity || !this.profile) return null
    const { nickname, avatar, status } = this.profile.profile
    return {
      userId: this.identity.userId,
      nickname,
      ...(avatar !== undefined ? { avatar } : {}),
      ...(status !== undefined ? { status } : {}),
    }
  }

  /**
   * Signs a new profile (nickname, avatar, status), keeps it on this device and writes it into my
   * member record in every group I am in, where the others' gates check that I signed it. Throws
   * core's ValidationError for a profile outside its limits, before anything changes.
   */
  async updateProfile(change: ProfileChange): Promise<Me> {
    const { identity } = this.requireIdentity()
    const signed = await signProfile(
      identity,
      validateProfile({
        nickname: change.nickname,
        ...(change.avatar ? { avatar: change.avatar } : {}),
        ...(change.status?.trim() ? { status: change.status.trim() } : {}),
        updatedAt: Date.now(),
      }),
    )
    const stored = await this.options.keystore.load()
    if (stored) await this.options.keystore.save({ ...stored, profile: signed })
    this.profile = signed
    const failures: unknown[] = []
    for (const handle of this.list())
      if (handle.isMember()) await handle.group.actions.updateProfile(signed).catch((e) => failures.push(e))
    if (failures.length) console.warn('profile: not written in every group', failures)
    this.groupsChanged()
    return this.me!
  }

  /** The identity kept on this device, or null on first run. Reopens the groups the device keeps. */
  async loadIdentity(): Promise<Me | null> {
    if (this.identity) return this.me
    const stored = await this.options.keystore.load()
    if (!stored) return null
    this.identity = stored.linked
      ? linkedIdentity(stored)
      : Identity.fromKeyPair({ publicKey: stored.publicKey, privateKey: stored.privateKey })
    this.profile = stored.profile
    for (const g of await this.options.sync.knownGroups())
      await this.open(
        g.groupId,
        await GroupKey.fromBytes(g.groupKey),
        await Promise.all((g.laterKeys ?? []).map((k) => GroupKey.fromBytes(k))),
      )
    return this.me
  }

  // --- devices ----------------------------------------------------------------------------------

  /** Whether this device was linked to its user by pairing (it holds no identity key of its own). */
  get isLinkedDevice(): boolean {
    return this.identity?.device !== undefined
  }

  /**
   * On a device without an identity: a one-time code to type on a device that has one. `done`
   * resolves once that device linked this one; its groups then open here.
   */
  async requestLink(deviceName: string): Promise<LinkRequest & { done: Promise<Me> }> {
    if (this.identity) throw new Error('This device already has an identity.')
    const request = await requestLink(deviceName)
    const done = request.linked.then(async ({ stored, identity, groups }) => {
      await this.options.keystore.save(stored)
      this.identity = identity
      this.profile = stored.profile
      for (const g of groups) await this.open(g.groupId, g.key, g.laterKeys)
      return this.me!
    })
    return { ...request, done }
  }

  /**
   * On the device holding the identity: link the device showing `code`, once the person confirmed
   * its name and fingerprint, and record it in every group I am a member of.
   */
  async linkDevice(code: string, confirm: Parameters<typeof acceptLink>[0]['confirm']): Promise<void> {
    const { identity, profile } = this.requireIdentity()
    await acceptLink({ code, identity, profile, confirm, groups: this.list() })
  }

  /**
   * On a linked device, the self secret its identity device handed over when pairing (client/
   * self-sync.ts; the identity device derives its own). Null elsewhere, or on a device linked before.
   */
  async linkedSelfSecret(): Promise<Uint8Array | null> {
    return (await this.options.keystore.load())?.linked?.self ?? null
  }

  /** My linked devices as the groups record them. */
  devices(): DeviceView[] {
    return listDevices(this.list())
  }

  /** Revokes a device in every group I am in; each group's key rotates past it. */
  async revokeDevice(deviceId: string): Promise<void> {
    await revokeEverywhere(this.list(), deviceId)
  }

  /**
   * This identity as a passphrase-encrypted file (core's backup format: PBKDF2 + AES-GCM). Losing
   * every device without one loses the identity. Groups are not in it: after a restore they come back
   * by invite (or from another device of the same person).
   */
  async exportBackup(passphrase: string): Promise<Uint8Array> {
    const { identity, profile } = this.requireIdentity()
    if (identity.device)
      throw new Error('This device is linked to your identity: make the backup on the device that holds it.')
    return (await backup()).exportIdentityBackup(identity, passphrase, { profile: profile.profile })
  }

  /**
   * Restores an identity from a backup file on a device that has none yet. A wrong passphrase or a
   * damaged file throws (WrongPassphraseError, DamagedBackupError) and keeps nothing.
   */
  async restoreBackup(file: Uint8Array, passphrase: string): Promise<Me> {
    if (this.identity) throw new Error('This device already has an identity.')
    const restored = await (await backup()).importIdentityBackup(file, passphrase)
    const seed = await restored.identity.exportSeed()
    const pair = await signingKeyPairFromSeed(seed)
    seed.fill(0)
    const identity = Identity.fromKeyPair(pair)
    const profile = await signProfile(
      identity,
      restored.profile ?? validateProfile({ nickname: 'me', updatedAt: Date.now() }),
    )
    await this.options.keystore.save({ publicKey: pair.publicKey, privateKey: pair.privateKey, profile })
    this.identity = identity
    this.profile = profile
    return this.me!
  }

  /** First run: a new key pair and a signed profile with this nickname (1–32 characters), kept. */
  async createIdentity(nickname: string): Promise<Me> {
    const profile = validateProfile({ nickname, updatedAt: Date.now() })
    // The pair is made here rather than by Identity.create so the CryptoKey itself can be kept
    // (Identity never hands out its private key).
    const pair = await generateSigningKeyPair()
    const identity = Identity.fromKeyPair(pair)
    const signed = await signProfile(identity, profile)
    // Kept before it is used: an identity that could be lost on reload must never sign anything.
    await this.options.keystore.save({
      publicKey: pair.publicKey,
      privateKey: pair.privateKey,
      profile: signed,
    })
    this.identity = identity
    this.profile = signed
    return this.me!
  }

  /**
   * A signed, 5-minute assertion of who I am in `groupId` for a site (Sign in with Tailmesh). The
   * caller has asked me first: this signs whatever audience it is given.
   */
  async signInAssertion(groupId: string, request: SignInRequestFor): Promise<string> {
    const { identity } = this.requireIdentity()
    const handle = this.groups.get(groupId)
    if (!handle) throw new Error('This group is not open on this device.')
    // Lazy: the shell's first screen never signs for a site (bench bundle-size).
    const { signInAssertion } = await import('./sign-in')
    return signInAssertion(identity, this.me!, handle, request)
  }

  private requireIdentity(): { identity: Identity; profile: SignedProfile } {
    if (!this.identity || !this.profile) throw new Error('Choose a nickname first.')
    return { identity: this.identity, profile: this.profile }
  }

  // --- groups -----------------------------------------------------------------------------------

  /** Whether this device keeps groups across a reload (not until the Replica is plugged in). */
  get keepsGroups(): boolean {
    return this.options.sync.persistent
  }

  /** Every group open on this device (members or not yet: a group opened from an invite link). */
  list(): GroupHandle[] {
    return [...this.groups.values()]
  }

  group(groupId: string): GroupHandle | undefined {
    return this.groups.get(groupId)
  }

  /** Called when the list of groups or a group's name changes. */
  onGroupsChanged(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private groupsChanged(): void {
    for (const l of this.listeners) l()
  }

  /** A new group owned by me, with Tailchat's default text panel "general". */
  async createGroup(name: string): Promise<GroupHandle> {
    const { identity, profile } = this.requireIdentity()
    // The genesis waits in the session until the sync layer takes its envelopes (attach).
    const made = await createGroup(identity, { name, profile })
    const handle = this.adopt(new GroupHandle(made, made.key))
    await this.attach(handle)
    return handle
  }

  /**
   * The group an invite link names, opened on this device (without joining). Its name is known once
   * the group document has arrived from a member through the sync layer (`handle.info()`).
   */
  async openInvite(payload: string): Promise<{ handle: GroupHandle; secret: Uint8Array }> {
    const invite = decodeInvitePayload(payload)
    const key = await GroupKey.fromBytes(invite.groupKey)
    const handle = await this.open(invite.groupId, key)
    // A group this device has open already (I was removed from it): the link's key may be newer than
    // any I can open, and the invite is sealed with it.
    if (!handle.isMember()) await handle.holdKey(key)
    return { handle, secret: invite.secret }
  }

  /** Joins the group of an invite link, as me with my profile. */
  async join(payload: string): Promise<GroupHandle> {
    const { profile } = this.requireIdentity()
    const { handle, secret } = await this.openInvite(payload)
    // The join's member record names this device's relays (with the link's) from the start: members
    // on relays it does not use get its envelopes handed on from the first (core's Replica.bridge).
    const linkRelays = decodeInvitePayload(payload).relays ?? []
    if (!handle.isMember()) await handle.join(secret, profile, recordedRelaysWith(linkRelays))
    // Once joined, the link's relays join this device's list and are used from now on (relays.ts);
    // an unchanged list is recorded here.
    if (!addRelays(linkRelays).length) await this.recordRelays(handle)
    this.groupsChanged()
    return handle
  }

  private open(groupId: string, key: GroupKey, laterKeys: GroupKey[] = []): Promise<GroupHandle> {
    const known = this.groups.get(groupId)
    if (known) return Promise.resolve(known)
    let pending = this.opening.get(groupId)
    if (!pending) {
      pending = (async () => {
        const { identity } = this.requireIdentity()
        const opened = await openGroup(identity, groupId)
        const handle = this.adopt(new GroupHandle(opened, key))
        await this.attach(handle, laterKeys)
        return handle
      })().finally(() => this.opening.delete(groupId))
      this.opening.set(groupId, pending)
    }
    return pending
  }

  private adopt(handle: GroupHandle): GroupHandle {
    this.groups.set(handle.groupId, handle)
    // A group's name arrives or changes with its group document.
    handle.onChange((change) => {
      if (change.kind === 'group') this.groupsChanged()
    })
    this.groupsChanged()
    return handle
  }

  private async attach(handle: GroupHandle, knownKeys: GroupKey[] = []): Promise<void> {
    handle.attach(
      await this.options.sync.attach({
        groupId: handle.groupId,
        key: handle.key,
        ...(knownKeys.length > 0 ? { knownKeys } : {}),
        gate: handle.group.gate,
        session: handle.group.session,
      }),
    )
    await this.recordRelays(handle)
  }

  /** My member record in the group names the relays this device uses (nothing is written if it does). */
  private async recordRelays(handle: GroupHandle): Promise<void> {
    if (!handle.isMember()) return
    await handle.group.actions
      .updateRelays(recordedRelays())
      .catch((e: unknown) => console.warn('relays: not recorded in', handle.groupId, e))
  }

  // --- friends (friends.ts) ---------------------------------------------------------------------

  /** My identity and profile, for the friend channel (kept on the device that holds the identity). */
  friendIdentity(): { identity: Identity; profile: SignedProfile } {
    return this.requireIdentity()
  }

  /**
   * A group made outside this class (a DM, by friends.ts) becomes one of mine: what was signed while
   * making it is delivered like a new group's genesis.
   */
  async adoptNew(made: ConstructorParameters<typeof GroupHandle>[0], key: GroupKey): Promise<GroupHandle> {
    const handle = this.adopt(new GroupHandle(made, key))
    await this.attach(handle)
    return handle
  }
}
