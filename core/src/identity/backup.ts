// The passphrase-encrypted identity backup file: the only way to restore an identity when every device
// is lost. Layout (all integers lib0 varuint):
//
//   "TMIDBAK" | version (1 byte) | PBKDF2 iterations | salt (16) | iv (12) ‖ AES-GCM ciphertext | SHA-256 (32)
//
// The AES key is PBKDF2-SHA256(passphrase, salt); the header (magic to salt) is the GCM additional data.
// The trailing SHA-256 of everything before it is a plain checksum, not a security measure: GCM alone
// cannot tell a wrong passphrase from a flipped bit, and people deserve to know which one happened.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { DamagedBackupError, IntegrityError, ValidationError, WrongPassphraseError } from '../errors'
import { bytesEqual, concatBytes, randomBytes, utf8 } from '../bytes'
import { aesGcmDecrypt, aesGcmEncrypt, AES_GCM_IV_BYTES, AES_GCM_TAG_BYTES } from '../crypto/aead'
import { sha256 } from '../crypto/hash'
import { bufferSource, subtle, type CryptoKey } from '../crypto/webcrypto'
import { Identity } from './identity'
import { validateProfile, type Profile } from './profile'

const MAGIC = utf8('TMIDBAK')
const VERSION = 1
const SALT_BYTES = 16
const CHECKSUM_BYTES = 32
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_BACKUP_ITERATIONS = 310_000
/** Refuse files that would make us spin for minutes: nobody writes more than this. */
const MAX_BACKUP_ITERATIONS = 10_000_000

export interface BackupOptions {
  /** PBKDF2 iterations. Lower than the default only in tests. */
  iterations?: number
}

function checkPassphrase(passphrase: string): string {
  if (typeof passphrase !== 'string' || passphrase.length === 0)
    throw new ValidationError('The backup passphrase must not be empty.')
  // The same passphrase typed on two keyboards can differ in Unicode normalisation.
  return passphrase.normalize('NFC')
}

async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await subtle().importKey('raw', bufferSource(utf8(passphrase)), 'PBKDF2', false, ['deriveKey'])
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bufferSource(salt), iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

function header(iterations: number, salt: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeUint8Array(e, MAGIC)
  encoding.writeUint8(e, VERSION)
  encoding.writeVarUint(e, iterations)
  encoding.writeUint8Array(e, salt)
  return encoding.toUint8Array(e)
}

export async function exportIdentityBackup(
  identity: Identity,
  passphrase: string,
  extra?: { profile?: Profile },
  options?: BackupOptions,
): Promise<Uint8Array> {
  const pass = checkPassphrase(passphrase)
  const iterations = options?.iterations ?? DEFAULT_BACKUP_ITERATIONS
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_BACKUP_ITERATIONS)
    throw new ValidationError(`Backup iterations must be an integer from 1 to ${MAX_BACKUP_ITERATIONS}.`)
  const profile = extra?.profile === undefined ? undefined : validateProfile(extra.profile)

  const seed = await identity.exportSeed()
  const p = encoding.createEncoder()
  encoding.writeVarUint8Array(p, seed)
  encoding.writeVarString(p, identity.userId)
  encoding.writeUint8(p, profile === undefined ? 0 : 1)
  encoding.writeVarString(p, profile === undefined ? '' : JSON.stringify(profile))
  const payload = encoding.toUint8Array(p)
  seed.fill(0)

  const salt = randomBytes(SALT_BYTES)
  const head = header(iterations, salt)
  const sealed = await aesGcmEncrypt(await deriveKey(pass, salt, iterations), payload, head)
  payload.fill(0)
  const body = concatBytes(head, sealed)
  return concatBytes(body, await sha256(body))
}

const damaged = (why: string): DamagedBackupError =>
  new DamagedBackupError(`This backup file is damaged: ${why}.`)

/**
 * Open a backup. Not a backup / unknown version / truncated / modified: DamagedBackupError. Intact file
 * but the passphrase does not open it: WrongPassphraseError. Either the whole identity comes back,
 * checked against the user id it was saved with, or nothing does.
 */
export async function importIdentityBackup(
  file: Uint8Array,
  passphrase: string,
): Promise<{ identity: Identity; profile?: Profile }> {
  const pass = checkPassphrase(passphrase)
  if (!(file instanceof Uint8Array)) throw new ValidationError('A backup file is bytes.')
  if (file.length < MAGIC.length || !bytesEqual(file.subarray(0, MAGIC.length), MAGIC))
    throw new DamagedBackupError('This is not a Tailmesh identity backup file.')
  const version = file[MAGIC.length]
  if (version === undefined) throw damaged('it ends right after its first bytes')
  if (version !== VERSION)
    throw new DamagedBackupError(
      `This backup file has format version ${version}, which this version of Tailmesh cannot read (it reads version ${VERSION}).`,
    )
  if (file.length < MAGIC.length + 1 + 1 + SALT_BYTES + AES_GCM_IV_BYTES + AES_GCM_TAG_BYTES + CHECKSUM_BYTES)
    throw damaged('it is truncated')
  const body = file.subarray(0, file.length - CHECKSUM_BYTES)
  if (!bytesEqual(await sha256(body), file.subarray(file.length - CHECKSUM_BYTES)))
    throw damaged('it is truncated or some bytes were changed (checksum mismatch)')

  const d = decoding.createDecoder(body)
  decoding.readUint8Array(d, MAGIC.length + 1)
  let iterations: number
  try {
    iterations = decoding.readVarUint(d)
  } catch {
    throw damaged('its key-derivation settings are unreadable')
  }
  if (iterations < 1 || iterations > MAX_BACKUP_ITERATIONS)
    throw damaged(`its key-derivation iteration count (${iterations}) is out of range`)
  if (body.length - d.pos < SALT_BYTES + AES_GCM_IV_BYTES + AES_GCM_TAG_BYTES)
    throw damaged('it is truncated')
  const salt = decoding.readUint8Array(d, SALT_BYTES)
  const head = body.subarray(0, d.pos)

  let payload: Uint8Array
  try {
    payload = await aesGcmDecrypt(await deriveKey(pass, salt, iterations), body.subarray(d.pos), head)
  } catch (cause) {
    if (cause instanceof IntegrityError) throw new WrongPassphraseError()
    throw cause
  }

  // The payload authenticated, so from here anything odd is a bug or a hand-made file: refuse it all.
  let seed: Uint8Array
  let userId: string
  let profileJson: string | undefined
  try {
    const pd = decoding.createDecoder(payload)
    seed = decoding.readVarUint8Array(pd).slice()
    userId = decoding.readVarString(pd)
    const hasProfile = decoding.readUint8(pd)
    const json = decoding.readVarString(pd)
    if (decoding.hasContent(pd)) throw new Error('trailing bytes')
    profileJson = hasProfile === 1 ? json : undefined
  } catch {
    throw damaged('its contents do not decode')
  } finally {
    payload.fill(0)
  }

  let identity: Identity
  try {
    identity = await Identity.fromSeed(seed)
  } catch {
    throw damaged('the key it holds is not a valid key')
  } finally {
    seed.fill(0)
  }
  if (identity.userId !== userId) throw damaged('the key it holds does not match the user id saved with it')

  if (profileJson === undefined) return { identity }
  let profile: Profile
  try {
    profile = validateProfile(JSON.parse(profileJson))
  } catch {
    throw damaged('the profile it holds is invalid')
  }
  return { identity, profile }
}
