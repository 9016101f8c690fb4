// Linking a new device to an existing identity with a one-time pairing code. The new device shows the
// code; the person types it on a device that holds the identity. Both derive an encrypted signaling
// room from the code (the relay sees a topic hash and ciphertext), the new device announces its own
// signing and box keys, the identity device asks the person to confirm (both screens show the same
// fingerprint of the new device's key), then sends back a certificate for the new key and what the
// device needs to act as the user: the user's box public key, profile, and each group's keys.
// The identity key itself never leaves its device, so the new device can be revoked later.

import { fromBase64Url, randomBytes, toBase64Url, toHex } from '../bytes'
import { generateSigningKeyPair, type SigningKeyPair } from '../crypto/ed25519'
import { sha256 } from '../crypto/hash'
import { ValidationError } from '../errors'
import {
  deviceCertFromJson,
  deviceCertToJson,
  issueDeviceCert,
  verifyDeviceCert,
  type DeviceCert,
  type DeviceCertJson,
} from '../identity/device-cert'
import { Identity } from '../identity/identity'
import type { SignedProfile } from '../identity/profile'
import { errorFields, noLogger, type ComponentLogger } from '../log/logger'
import { SignalingClient, type SignalingOptions, type SignalMessage } from './transports/signaling'
import { webSocketConstructor } from './transports/socket'

/** Where to meet: the relay's /signal URLs; `WebSocket` defaults to the global one (pass ws's in Node 20). */
export type PairingSignaling = Omit<SignalingOptions, 'WebSocket'> &
  Partial<Pick<SignalingOptions, 'WebSocket'>>

const signalingClient = (o: PairingSignaling, logger: ComponentLogger | undefined): SignalingClient =>
  new SignalingClient({
    ...(logger ? { logger } : {}),
    ...o,
    WebSocket: webSocketConstructor(o.WebSocket),
  })

const CODE_BYTES = 16
const ROOM = 'tailmesh/pairing/v1'
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ' // Crockford's base32: no I, L, O, U
const HELLO_EVERY_MS = 1500

// Promise.withResolvers, which Node 20 (bots run there) lacks.
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
  let resolve!: (v: T) => void
  let reject!: (e: Error) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** What the identity device hands a newly linked device. */
export interface PairingBundle {
  cert: DeviceCertJson
  /** The user's box public key (base64url): a linked device publishes it in member records. */
  userBox: string
  profile?: SignedProfile
  /** Each group this user keeps, with its keys oldest first (the first is the invite's). */
  groups: { groupId: string; keys: string[] }[]
  /** The self secret (base64url, self/self-topic.ts): the topic the user's devices share state on. */
  self?: string
}

export interface PairedDevice {
  identity: Identity
  /** The device's key pair, for the device's keystore. */
  pair: SigningKeyPair
  bundle: PairingBundle
}

/** A new device's key, as a person compares it on both screens. */
export async function keyFingerprint(devicePublicKey: Uint8Array): Promise<string> {
  const hex = toHex((await sha256(devicePublicKey)).subarray(0, 4)).toUpperCase()
  return `${hex.slice(0, 4)} ${hex.slice(4)}`
}

/** `XXXX-XXXX-…` (26 characters of Crockford base32 for 128 bits). */
export function formatPairingCode(secret: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of secret) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out.match(/.{1,4}/g)!.join('-')
}

/** The secret in a code as typed: case, spaces and dashes do not matter; I/L read as 1, O as 0. */
export function parsePairingCode(code: string): Uint8Array {
  const clean = code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
  if (clean.length !== Math.ceil((CODE_BYTES * 8) / 5) || [...clean].some((c) => !ALPHABET.includes(c)))
    throw new ValidationError('That is not a pairing code (26 letters and digits).')
  const out = new Uint8Array(CODE_BYTES)
  let bits = 0
  let value = 0
  let i = 0
  for (const c of clean) {
    value = ((value << 5) | ALPHABET.indexOf(c)) & 0xffff
    bits += 5
    if (bits >= 8 && i < CODE_BYTES) {
      out[i++] = (value >>> (bits - 8)) & 0xff
      bits -= 8
    }
  }
  return out
}

export interface PairingRequest {
  /** Show this on the new device; the person types it on the identity device. */
  code: string
  /** Show this too: the identity device shows the same before the person confirms. */
  fingerprint: string
  /** Resolves once the identity device linked this one; rejects when cancelled. */
  linked: Promise<PairedDevice>
  cancel(): void
}

/** On the new device: make keys and a code, then wait for the identity device. */
export async function requestPairing(options: {
  signaling: PairingSignaling
  /** How the device is named in the user's device list ("Firefox on Linux"). */
  deviceName: string
  /** Says at debug what failed quietly (an answer that does not check out), as `pairing`. */
  logger?: ComponentLogger
}): Promise<PairingRequest> {
  const log = (options.logger ?? noLogger).forComponent('pairing')
  const secret = randomBytes(CODE_BYTES)
  const pair = await generateSigningKeyPair()
  const box = await Identity.fromKeyPair(pair).boxKeys()
  const me = toBase64Url(randomBytes(9))
  const client = signalingClient(options.signaling, options.logger)
  const { promise: linked, resolve, reject } = deferred<PairedDevice>()
  let done = false
  const finish = (): void => {
    done = true
    clearInterval(timer)
    room.leave()
    client.close()
  }
  const room = await client.roomFor(
    ROOM,
    secret,
    (m) => {
      if (done || m.to !== me || m.type !== 'pair-welcome') return
      void (async () => {
        const bundle = m.bundle as PairingBundle
        const cert = deviceCertFromJson(bundle.cert)
        if (!(await verifyDeviceCert(cert)) || toBase64Url(cert.device) !== toBase64Url(pair.publicKey))
          throw new Error('The pairing answer carries a certificate for another key.')
        const identity = Identity.linkedDevice(pair, cert, fromBase64Url(bundle.userBox))
        room.publish({ type: 'pair-done', from: me, to: String(m.from) })
        // Give the acknowledgement a moment to leave before the socket closes.
        setTimeout(finish, 200)
        resolve({ identity, pair, bundle })
        // Not the end of pairing: another answer (the right one) may still come.
      })().catch((e: unknown) => log.debug('pairing answer refused', errorFields(e)))
    },
    () => undefined,
  )
  room.join()
  const hello = (): void =>
    room.publish({
      type: 'pair-hello',
      from: me,
      device: toBase64Url(pair.publicKey),
      box: toBase64Url(box.publicKey),
      name: options.deviceName.slice(0, 64),
    })
  const timer = setInterval(hello, HELLO_EVERY_MS)
  hello()
  return {
    code: formatPairingCode(secret),
    fingerprint: await keyFingerprint(pair.publicKey),
    linked,
    cancel() {
      if (done) return
      finish()
      reject(new Error('Pairing cancelled.'))
    },
  }
}

export interface PairingCandidate {
  name: string
  fingerprint: string
}

/**
 * On the identity device: join the code's room, wait for the new device, let the person confirm,
 * certify its key and send what it needs. Resolves with the certificate (record it in each group).
 */
export async function acceptPairing(options: {
  signaling: PairingSignaling
  code: string
  identity: Identity
  /** Ask the person: is this the device you are linking? */
  confirm(candidate: PairingCandidate): Promise<boolean>
  /** The profile and groups to hand over (called after the person confirmed). */
  bundle(cert: DeviceCert): Promise<Omit<PairingBundle, 'cert' | 'userBox'>>
  timeoutMs?: number
  now?: () => number
  /** Passed to the signaling client (`transport:signaling`); pairing's own failures reject. */
  logger?: ComponentLogger
}): Promise<DeviceCert> {
  if (options.identity.device !== undefined)
    throw new ValidationError('Link new devices from the device that holds your identity key.')
  const secret = parsePairingCode(options.code)
  const userBox = toBase64Url((await options.identity.boxKeys()).publicKey)
  const me = toBase64Url(randomBytes(9))
  const client = signalingClient(options.signaling, options.logger)
  const { promise, resolve, reject } = deferred<DeviceCert>()
  let stage: 'waiting' | 'confirming' | 'sent' | 'over' = 'waiting'
  let cert: DeviceCert | undefined
  let welcome: SignalMessage | undefined
  const room = await client.roomFor(
    ROOM,
    secret,
    (m) => {
      if (m.type === 'pair-hello' && stage === 'sent' && welcome && m.from === welcome.to)
        room.publish(welcome)
      if (m.type === 'pair-done' && stage === 'sent' && m.to === me && cert) {
        stage = 'over'
        resolve(cert)
      }
      if (m.type !== 'pair-hello' || stage !== 'waiting') return
      stage = 'confirming'
      void (async () => {
        const device = fromBase64Url(String(m.device))
        const box = fromBase64Url(String(m.box))
        const name = String(m.name ?? '').slice(0, 64)
        if (!(await options.confirm({ name, fingerprint: await keyFingerprint(device) })))
          throw new Error('Linking was not confirmed.')
        cert = await issueDeviceCert(options.identity, device, box, (options.now ?? Date.now)())
        const rest = await options.bundle(cert)
        welcome = {
          type: 'pair-welcome',
          from: me,
          to: String(m.from),
          bundle: { ...rest, cert: deviceCertToJson(cert), userBox } satisfies PairingBundle,
        }
        stage = 'sent'
        room.publish(welcome)
      })().catch((e: unknown) => {
        stage = 'over'
        reject(e instanceof Error ? e : new Error(String(e)))
      })
    },
    () => undefined,
  )
  room.join()
  const timer = setTimeout(() => {
    if (stage === 'over') return
    // Sent but never acknowledged: the device may well hold the certificate, so record it anyway.
    if (stage === 'sent' && cert) resolve(cert)
    else reject(new Error('No device answered this pairing code in time.'))
    stage = 'over'
  }, options.timeoutMs ?? 120_000)
  try {
    return await promise
  } finally {
    clearTimeout(timer)
    room.leave()
    client.close()
  }
}
