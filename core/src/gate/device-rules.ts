// Linked devices in the gate: a device record is its certificate, a revocation is signed by the user's
// identity key, and neither is ever changed or removed, so a stolen device cannot take itself off the
// revoked list nor re-certify a new key. Envelopes signed by a revoked device are refused from the
// revocation's time on, in every document.

import { fromBase64Url } from '../bytes'
import { isDeviceRevoked } from '../group/authority-state'
import { deviceKey, parseDeviceKey } from '../group/documents'
import {
  RecordError,
  validateDevice,
  validateDeviceRevocation,
  type DeviceRecord,
  type DeviceRevocationRecord,
} from '../group/records'
import { verifyDeviceCert, verifyDeviceRevocation } from '../identity/device-cert'
import type { Touch } from './footprint'
import type { RuleContext } from './rule-context'

/** Why the envelope's signing device may not act at the envelope's time, or null. */
export function revokedDeviceRefusal(ctx: RuleContext): string | null {
  if (ctx.device === undefined) return null
  if (ctx.revokedUnseen) return `device revoked: ${ctx.device} signed this after a revocation it had not seen`
  return isDeviceRevoked(ctx.state, ctx.author, ctx.device, ctx.wallMs)
    ? `device revoked: ${ctx.device} no longer acts for its user`
    : null
}

function parsed<T>(validate: (v: unknown) => T, v: unknown): T | string {
  try {
    return validate(v)
  } catch (e) {
    return `invalid record: ${e instanceof RecordError ? e.message : 'device'}`
  }
}

export async function deviceRule(t: Touch, ctx: RuleContext): Promise<string | null> {
  const key = parseDeviceKey(t.key)
  if (key === null) return 'invalid device key'
  if (key.userId !== ctx.author) return "invalid write: a user's devices are recorded only by that user"
  const existing = ctx.state.devices.get(deviceKey(key.userId, key.deviceId))
  const v = t.written[t.written.length - 1]
  if (v === undefined) return 'invalid write: a device record is never removed'
  if (t.written.length > 1) return 'invalid write: a device record is written once'
  if (key.revoked) {
    const record = parsed(validateDeviceRevocation, v)
    if (typeof record === 'string') return record
    if (existing?.revoked !== undefined && !sameRevocation(existing.revoked, record))
      return 'invalid write: a device revocation is never changed'
    if (record.at > ctx.wallMs) return 'a device revocation cannot be dated after its envelope'
    if (!(await verifyDeviceRevocation(key.userId, key.deviceId, record.at, fromBase64Url(record.proof))))
      return "invalid record: a device revocation is signed by the user's identity key"
    return null
  }
  const record = parsed(validateDevice, v)
  if (typeof record === 'string') return record
  if (record.device !== key.deviceId) return 'invalid record: the device record is filed under another key'
  if (existing?.record !== undefined && !sameDevice(existing.record, record))
    return 'invalid write: a device record is never changed'
  const cert = {
    user: key.userId,
    device: fromBase64Url(record.device),
    box: fromBase64Url(record.box),
    issuedAt: record.issuedAt,
    proof: fromBase64Url(record.proof),
  }
  if (!(await verifyDeviceCert(cert)))
    return "invalid record: a device record is signed by the user's identity key"
  return null
}

const sameDevice = (a: DeviceRecord, b: DeviceRecord): boolean =>
  a.device === b.device && a.box === b.box && a.issuedAt === b.issuedAt && a.proof === b.proof
const sameRevocation = (a: DeviceRevocationRecord, b: DeviceRevocationRecord): boolean =>
  a.at === b.at && a.proof === b.proof
