// The group's authority state kept in step with its document, key by key. Reading the whole state
// again after every change cost time linear in the group (a join at 100k members re-validated 100k
// member records); the mirror re-reads only the keys a transaction changed, so a join or a message
// costs the same at any size. A full read (readAuthorityState) is the same code run over every key.

import type * as Y from 'yjs'
import type { UserId } from '../identity/user-id'
import { validCardRecord, type CardRecord } from './card-record'
import type { AuthorityState, GroupInfo, LinkedDevice } from './authority-state'
import { GroupRoot, deviceKey, deviceRevokedKey, parseDeviceKey } from './documents'
import {
  parseKeyRotationPartKey,
  validateDevice,
  validateDeviceRevocation,
  validateInvite,
  validateKeyRotation,
  validateKeyRotationPart,
  validateMember,
  validatePanel,
  validateRole,
  validateSanction,
  type BanRecord,
  type InviteRecord,
  type KeyRotationPartRecord,
  type KeyRotationRecord,
  type KickRecord,
  type MemberRecord,
  type MuteRecord,
  type PanelRecord,
  type RoleRecord,
} from './records'

/** Only a locally forged write can be invalid here: the gate refuses invalid remote records. */
function valid<T>(validate: (v: unknown) => T, value: unknown): T | undefined {
  try {
    return validate(value)
  } catch {
    return undefined
  }
}

function readInfo(map: Y.Map<unknown>): GroupInfo | null {
  const owner = map.get('owner')
  if (typeof owner !== 'string') return null
  return {
    name: String(map.get('name') ?? ''),
    avatar: map.get('avatar') as string | undefined,
    description: map.get('description') as string | undefined,
    owner,
    config: (map.get('config') as Record<string, unknown> | undefined) ?? {},
    createdAt: Number(map.get('createdAt') ?? 0),
    dm: map.get('dm') === true,
    authority: map.get('authority') === 2 ? 2 : 1,
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export class AuthorityMirror {
  /** Bumped whenever the state changes. */
  version = 0
  private readonly info: Y.Map<unknown>
  /** A top-level type → its root name (keyed by identity: Yjs's type parameters do not line up). */
  private readonly rootNames = new Map<unknown, string>()
  private readonly members = new Map<UserId, MemberRecord>()
  private readonly roles = new Map<string, RoleRecord>()
  /** Assignment key → the `${userId}/${roleId}` it assigns while true, whether or not the role exists. */
  private readonly assignedBy = new Map<string, string>()
  /** `${userId}/${roleId}` → how many assignment keys assign it. */
  private readonly assignedCount = new Map<string, number>()
  private readonly assignments = new Map<UserId, Set<string>>()
  /** Sanction keys not of the plain `${kind}/${userId}` shape (see setSanction). */
  private readonly oddSanctionKeys = new Set<string>()
  private readonly mutes = new Map<UserId, MuteRecord>()
  private readonly bans = new Map<UserId, BanRecord>()
  private readonly kicks = new Map<UserId, KickRecord>()
  private readonly panels = new Map<string, PanelRecord>()
  private readonly invites = new Map<string, InviteRecord>()
  private readonly inviteUses = new Map<string, number>()
  /** Rotations as written, before their parts' wraps are merged in. */
  private readonly ownRotations = new Map<string, KeyRotationRecord>()
  /** rotationId → its valid parts, by part number. */
  private readonly partsOf = new Map<string, Map<number, KeyRotationPartRecord>>()
  private readonly rotations = new Map<string, KeyRotationRecord>()
  private readonly keyParts = new Set<string>()
  private readonly devices = new Map<string, LinkedDevice>()
  private readonly cards = new Map<string, CardRecord>()
  private readonly mutableState: Mutable<AuthorityState>
  private readonly stop: (() => void) | null = null

  /**
   * @param follow keep the state in step with the document's later changes (off for a one-off read);
   *   the state is then live: read it synchronously, it changes as the document does.
   */
  constructor(
    private readonly doc: Y.Doc,
    follow: boolean,
  ) {
    this.info = doc.getMap(GroupRoot.info)
    for (const name of Object.values(GroupRoot)) this.rootNames.set(doc.getMap(name), name)
    this.mutableState = {
      info: readInfo(this.info),
      roles: this.roles,
      members: this.members,
      assignments: this.assignments,
      mutes: this.mutes,
      bans: this.bans,
      kicks: this.kicks,
      panels: this.panels,
      invites: this.invites,
      inviteUses: this.inviteUses,
      rotations: this.rotations,
      keyParts: this.keyParts,
      devices: this.devices,
      cards: this.cards,
    }
    for (const name of Object.values(GroupRoot)) if (name !== GroupRoot.info) this.load(name)
    if (follow) {
      // Before observers run: an observer that reads the authority sees this transaction in it.
      const onTransaction = (tr: Y.Transaction): void => this.onTransaction(tr)
      doc.on('beforeObserverCalls', onTransaction)
      this.stop = () => doc.off('beforeObserverCalls', onTransaction)
    }
  }

  get state(): AuthorityState {
    return this.mutableState
  }

  destroy(): void {
    this.stop?.()
  }

  private onTransaction(tr: Y.Transaction): void {
    let changed = false
    for (const [type, keys] of tr.changed) {
      const root = this.rootNames.get(topOf(type))
      if (root === undefined) continue
      changed = true
      // Info is read whole (a few fields), also when a nested value in it changed.
      if (root === GroupRoot.info) this.mutableState.info = readInfo(this.info)
      else if (type._item === null) {
        let whole = false
        for (const key of keys) if (key !== null && !this.reread(root, key)) whole = true
        if (whole && root === GroupRoot.sanctions) this.readSanctions()
      }
    }
    if (changed) this.version++
  }

  private load(root: string): void {
    const map = this.doc.getMap(root)
    for (const key of map.keys()) this.reread(root, key)
    if (root === GroupRoot.sanctions) this.readSanctions()
  }

  /** Takes one key's value again; false when the key cannot be read alone (read its whole map). */
  private reread(root: string, key: string): boolean {
    const value = this.doc.getMap(root).get(key)
    switch (root) {
      case GroupRoot.roles:
        return this.setRole(key, valid(validateRole, value))
      case GroupRoot.members:
        this.setMember(key, valid(validateMember, value))
        return true
      case GroupRoot.assignments:
        this.setAssignment(key, value)
        return true
      case GroupRoot.sanctions:
        return this.setSanction(key, value)
      case GroupRoot.panels:
        set(this.panels, key, valid(validatePanel, value))
        return true
      case GroupRoot.invites:
        set(this.invites, key, valid(validateInvite, value))
        return true
      case GroupRoot.keys:
        this.setKey(key, value)
        return true
      case GroupRoot.devices:
        this.setDevice(key)
        return true
      case GroupRoot.cards:
        set(this.cards, key, validCardRecord(value) ?? undefined)
        return true
      default:
        return true
    }
  }

  private setRole(key: string, role: RoleRecord | undefined): boolean {
    const existed = this.roles.has(key)
    set(this.roles, key, role)
    if (existed !== (role !== undefined)) {
      // A role that appears or goes changes whom its assignments count for.
      this.assignments.clear()
      for (const id of this.assignedCount.keys()) {
        const [user, r] = id.split('/') as [UserId, string]
        this.assignmentChanged(user, r)
      }
    }
    return true
  }

  private setMember(key: string, member: MemberRecord | undefined): void {
    const before = this.members.get(key)?.invite?.id
    set(this.members, key, member)
    const after = member?.invite?.id
    if (before === after) return
    if (before !== undefined) {
      const n = (this.inviteUses.get(before) ?? 0) - 1
      if (n > 0) this.inviteUses.set(before, n)
      else this.inviteUses.delete(before)
    }
    if (after !== undefined) this.inviteUses.set(after, (this.inviteUses.get(after) ?? 0) + 1)
  }

  /** As a full read counts them: the key's first two parts, so `u/r/x` assigns r to u as `u/r` does. */
  private setAssignment(key: string, value: unknown): void {
    const [user, role] = key.split('/')
    if (!user || !role) return
    const id = `${user}/${role}`
    const before = this.assignedBy.get(key)
    const now = value === true ? id : undefined
    if (before === now) return
    set(this.assignedBy, key, now)
    for (const changed of [before, now]) {
      if (changed === undefined) continue
      const n = (this.assignedCount.get(changed) ?? 0) + (changed === now ? 1 : -1)
      set(this.assignedCount, changed, n > 0 ? n : undefined)
    }
    this.assignmentChanged(user, role)
  }

  private assignmentChanged(user: UserId, role: string): void {
    const holds = this.assignedCount.has(`${user}/${role}`) && this.roles.has(role)
    let roles = this.assignments.get(user)
    if (holds) {
      if (!roles) this.assignments.set(user, (roles = new Set()))
      roles.add(role)
    } else if (roles) {
      roles.delete(role)
      if (roles.size === 0) this.assignments.delete(user)
    }
  }

  /**
   * A sanction key of another shape than `${kind}/${userId}` (the rules let one through) shares its
   * target with a plain one, and a full read lets the later key in the map win: while any is there,
   * the sanctions are read whole, as a full read does.
   */
  private setSanction(key: string, value: unknown): boolean {
    const [kind, user, ...rest] = key.split('/')
    const plain = user !== undefined && user !== '' && rest.length === 0
    if (!plain && value === undefined) this.oddSanctionKeys.delete(key)
    else if (!plain) this.oddSanctionKeys.add(key)
    if (!plain || this.oddSanctionKeys.size > 0) return false
    this.sanction(kind!, user, value)
    return true
  }

  /** Sets (or, invalid and `clear`, removes) the sanction `kind` on `user`. */
  private sanction(kind: string, user: UserId, value: unknown, clear = true): void {
    const map =
      kind === 'mute' ? this.mutes : kind === 'ban' ? this.bans : kind === 'kick' ? this.kicks : null
    if (map === null) return
    const record = valid((v) => validateSanction(kind as 'mute' | 'ban' | 'kick', v), value)
    if (record !== undefined || clear) set(map as Map<UserId, typeof record>, user, record)
  }

  private readSanctions(): void {
    this.mutes.clear()
    this.bans.clear()
    this.kicks.clear()
    this.doc.getMap(GroupRoot.sanctions).forEach((value, key) => {
      const [kind, user] = key.split('/') as [string, UserId]
      this.sanction(kind, user, value, false)
    })
  }

  /**
   * A rotation or one of its parts (records.ts, KeyRotationPartRecord): a part counts only beside its
   * rotation and from the same author and device, as the gate requires.
   */
  private setKey(key: string, value: unknown): void {
    let part: { rotationId: string; part: number } | null
    try {
      part = parseKeyRotationPartKey(key)
    } catch {
      return
    }
    if (part === null) {
      set(this.ownRotations, key, valid(validateKeyRotation, value))
      return this.mergeRotation(key)
    }
    if (value === undefined) this.keyParts.delete(key)
    else this.keyParts.add(key)
    let parts = this.partsOf.get(part.rotationId)
    if (!parts) this.partsOf.set(part.rotationId, (parts = new Map()))
    set(parts, part.part, valid(validateKeyRotationPart, value))
    if (parts.size === 0) this.partsOf.delete(part.rotationId)
    this.mergeRotation(part.rotationId)
  }

  private mergeRotation(rotationId: string): void {
    const base = this.ownRotations.get(rotationId)
    if (base === undefined) {
      this.rotations.delete(rotationId)
      return
    }
    const parts = [...(this.partsOf.get(rotationId) ?? [])]
      .sort(([a], [b]) => a - b)
      .map(([, p]) => p)
      .filter((p) => p.by === base.by && p.from === base.from)
    if (parts.length === 0) {
      this.rotations.set(rotationId, base)
      return
    }
    const wrapped = { ...base.wrapped }
    // The rotation's own wraps win over a part's for one recipient (the gate refuses such a part).
    for (const p of parts) for (const [recipient, w] of Object.entries(p.wrapped)) wrapped[recipient] ??= w
    this.rotations.set(rotationId, { ...base, wrapped })
  }

  private setDevice(key: string): void {
    const k = parseDeviceKey(key)
    if (!k) return
    const map = this.doc.getMap(GroupRoot.devices)
    const entry: LinkedDevice = { userId: k.userId, deviceId: k.deviceId }
    const record = map.has(deviceKey(k.userId, k.deviceId))
      ? valid(validateDevice, map.get(deviceKey(k.userId, k.deviceId)))
      : undefined
    const revokedKey = deviceRevokedKey(k.userId, k.deviceId)
    const revoked = map.has(revokedKey) ? valid(validateDeviceRevocation, map.get(revokedKey)) : undefined
    if (record) entry.record = record
    if (revoked) entry.revoked = revoked
    set(this.devices, deviceKey(k.userId, k.deviceId), record || revoked ? entry : undefined)
  }
}

/** The top-level type a (possibly nested) type lives in. */
function topOf(type: { _item: Y.Item | null }): unknown {
  let t = type
  while (t._item !== null) t = t._item.parent as { _item: Y.Item | null }
  return t
}

/** The authority state a document holds now (a one-off read: it does not follow later changes). */
export function readAuthorityState(doc: Y.Doc): AuthorityState {
  return new AuthorityMirror(doc, false).state
}

function set<K, V>(map: Map<K, V>, key: K, value: V | undefined): void {
  if (value === undefined) map.delete(key)
  else map.set(key, value)
}
