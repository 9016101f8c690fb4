// A user's linked devices in one group: recording a device's certificate (so key rotations wrap for
// its own box key) and revoking it (signed by the identity key; every peer then refuses the device's
// later envelopes and the group key rotates past it).

import { toBase64Url } from '../bytes'
import { InvalidOperationError } from '../errors'
import {
  deviceCertToJson,
  signDeviceRevocation,
  type DeviceCert,
  type DeviceId,
} from '../identity/device-cert'
import { isMember, type LinkedDevice } from './authority-state'
import { GROUP_DOC_ID, GroupRoot, deviceKey, deviceRevokedKey } from './documents'
import { rotateGroupKey } from './keyring'
import { newId } from './operations'
import { validateDevice, validateDeviceRevocation } from './records'
import type { GroupSession } from './session'

/** The user's devices recorded in this group, revoked ones included. */
export function devicesOf(session: GroupSession): LinkedDevice[] {
  return [...session.authority().devices.values()].filter((d) => d.userId === session.userId)
}

/** Records `cert` (one of this user's devices) in the group, once. */
export async function recordDevice(session: GroupSession, cert: DeviceCert): Promise<void> {
  if (cert.user !== session.userId) throw new InvalidOperationError('That device belongs to someone else.')
  const state = session.authority()
  if (!isMember(state, session.userId)) throw new InvalidOperationError('Not a member.')
  const key = deviceKey(cert.user, toBase64Url(cert.device))
  if (state.devices.get(key)?.record !== undefined) return
  const { user: _user, ...record } = deviceCertToJson(cert)
  await session.transact(GROUP_DOC_ID, (doc) =>
    doc.getMap(GroupRoot.devices).set(key, validateDevice(record)),
  )
}

/**
 * Withdraws a device from wall-clock ms `at` (default now) and rotates the group key so the device
 * cannot read what follows. Only the device holding the identity key can do this.
 */
export async function revokeDevice(
  session: GroupSession,
  deviceId: DeviceId,
  at = Date.now(),
): Promise<void> {
  if (session.identity.device !== undefined)
    throw new InvalidOperationError('Revoke devices from the device that holds your identity key.')
  const state = session.authority()
  if (!isMember(state, session.userId)) throw new InvalidOperationError('Not a member.')
  if (state.devices.get(deviceKey(session.userId, deviceId))?.revoked === undefined) {
    const proof = toBase64Url(await signDeviceRevocation(session.identity, deviceId, at))
    await session.transact(
      GROUP_DOC_ID,
      (doc) =>
        doc
          .getMap(GroupRoot.devices)
          .set(deviceRevokedKey(session.userId, deviceId), validateDeviceRevocation({ at, proof })),
      // What the revoked device signed that this one had not seen is held, whatever its date.
      { reduces: [session.userId] },
    )
  }
  if (session.authority().members.get(session.userId)?.box !== undefined) await rotateGroupKey(session, newId)
}
