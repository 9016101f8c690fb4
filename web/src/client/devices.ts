// Linking this person's devices: the pairing code flow (core's pairing.ts over the relay's /signal)
// on both ends, the device list as the groups record it, and revocation in every group.
import {
  GroupKey,
  Identity,
  deviceCertFromJson,
  devicesOf,
  fromBase64Url,
  isMember,
  recordDevice,
  revokeDevice,
  toBase64Url,
  type SignedProfile,
} from '@tailmesh/core'
import type { PairingCandidate } from '@tailmesh/core/sync/pairing'
import { relayEndpoints } from './config'
import type { GroupHandle } from './group-handle'
import type { StoredIdentity } from './keystore'

export type { PairingCandidate }

export interface LinkRequest {
  /** Shown on this device, typed on the other. */
  code: string
  /** Shown on both devices: the person checks they match before confirming. */
  fingerprint: string
  cancel(): void
}

export interface DeviceView {
  deviceId: string
  /** The name the new device gave itself, as this device remembers it. */
  name: string | undefined
  linkedAt: number
  revoked: boolean
}

const signaling = () => ({ urls: [relayEndpoints().signal] })
const NAMES_KEY = 'tailmesh/device-names'

function deviceNames(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(NAMES_KEY) ?? '{}') as Record<string, string>
  } catch {
    return {}
  }
}

/** The identity of a device linked by pairing, from what its keystore holds. */
export function linkedIdentity(stored: StoredIdentity): Identity {
  const linked = stored.linked!
  return Identity.linkedDevice(
    { publicKey: stored.publicKey, privateKey: stored.privateKey },
    deviceCertFromJson(linked.cert),
    linked.userBox,
  )
}

/**
 * Settings → Diagnostics' logger, loaded when a pairing starts: the ring buffer stays out of the app
 * shell (bench/bundle-size.bench.ts; the sync engine loads it at start anyway).
 */
const diagnostics = async () => (await import('../diagnostics')).appLogger()
/** The pairing flow itself, loaded when a pairing starts (the app shell's budget, as above). */
const pairing = () => import('@tailmesh/core/sync/pairing')

export async function requestLink(deviceName: string): Promise<
  LinkRequest & {
    linked: Promise<{
      stored: StoredIdentity
      identity: Identity
      groups: { groupId: string; key: GroupKey; laterKeys: GroupKey[] }[]
    }>
  }
> {
  const request = await (
    await pairing()
  ).requestPairing({ signaling: signaling(), deviceName, logger: await diagnostics() })
  const linked = request.linked.then(async ({ identity, pair, bundle }) => {
    if (!bundle.profile) throw new Error('The other device sent no profile.')
    const stored: StoredIdentity = {
      publicKey: pair.publicKey,
      privateKey: pair.privateKey,
      profile: bundle.profile,
      linked: {
        cert: bundle.cert,
        userBox: fromBase64Url(bundle.userBox),
        ...(bundle.self ? { self: fromBase64Url(bundle.self) } : {}),
      },
    }
    const groups = await Promise.all(
      bundle.groups.map(async (g) => {
        const [key, ...laterKeys] = await Promise.all(g.keys.map((k) => GroupKey.fromBytes(fromBase64Url(k))))
        return { groupId: g.groupId, key: key!, laterKeys }
      }),
    )
    return { stored, identity, groups }
  })
  return { code: request.code, fingerprint: request.fingerprint, cancel: () => request.cancel(), linked }
}

const memberOf = (groups: GroupHandle[]) =>
  groups.filter((g) => isMember(g.group.gate.authority(), g.group.session.userId))

export async function acceptLink(options: {
  code: string
  identity: Identity
  profile: SignedProfile
  confirm(candidate: PairingCandidate): Promise<boolean>
  groups: GroupHandle[]
}): Promise<void> {
  let name = ''
  const cert = await (
    await pairing()
  ).acceptPairing({
    signaling: signaling(),
    logger: await diagnostics(),
    code: options.code,
    identity: options.identity,
    confirm: async (candidate) => {
      name = candidate.name
      return options.confirm(candidate)
    },
    bundle: async () => ({
      profile: options.profile,
      // My other devices' read marks and saved messages travel on the topic this secret names.
      self: await (await import('./self-secret')).selfSecretForPairing(options.identity),
      groups: memberOf(options.groups).map((g) => ({
        groupId: g.groupId,
        keys: g.keyring().map((k) => toBase64Url(k.raw)),
      })),
    }),
  })
  localStorage.setItem(NAMES_KEY, JSON.stringify({ ...deviceNames(), [toBase64Url(cert.device)]: name }))
  for (const g of memberOf(options.groups)) await recordDevice(g.group.session, cert)
}

export function listDevices(groups: GroupHandle[]): DeviceView[] {
  const names = deviceNames()
  const byId = new Map<string, DeviceView>()
  for (const g of memberOf(groups))
    for (const d of devicesOf(g.group.session)) {
      const seen = byId.get(d.deviceId)
      byId.set(d.deviceId, {
        deviceId: d.deviceId,
        name: names[d.deviceId],
        linkedAt: d.record?.issuedAt ?? seen?.linkedAt ?? 0,
        revoked: (seen?.revoked ?? false) || d.revoked !== undefined,
      })
    }
  return [...byId.values()].sort((a, b) => a.linkedAt - b.linkedAt)
}

export async function revokeEverywhere(groups: GroupHandle[], deviceId: string): Promise<void> {
  for (const g of memberOf(groups)) await revokeDevice(g.group.session, deviceId)
}
