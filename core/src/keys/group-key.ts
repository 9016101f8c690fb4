// The symmetric key that end-to-end encrypts a group's traffic. It travels only inside invite links
// (URL fragment) and is rotated for the remaining members when someone is removed.
import { ValidationError } from '../errors'
import { randomBytes } from '../bytes'
import { AES_KEY_BYTES, aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from '../crypto/aead'
import type { CryptoKey } from '../crypto/webcrypto'

export class GroupKey {
  // Private fields keep the key out of JSON.stringify and console.log; `raw` hands out a copy so that
  // nobody can change the key under the CryptoKey derived from it.
  readonly #raw: Uint8Array
  readonly #key: CryptoKey

  private constructor(raw: Uint8Array, key: CryptoKey) {
    this.#raw = raw
    this.#key = key
  }

  static async generate(): Promise<GroupKey> {
    return GroupKey.fromBytes(randomBytes(AES_KEY_BYTES))
  }

  static async fromBytes(raw: Uint8Array): Promise<GroupKey> {
    if (!(raw instanceof Uint8Array) || raw.length !== AES_KEY_BYTES)
      throw new ValidationError(`A group key is ${AES_KEY_BYTES} bytes.`)
    const copy = raw.slice()
    return new GroupKey(copy, await importAesGcmKey(copy))
  }

  /** The 32 key bytes (a copy), for invite links and topic derivation. */
  get raw(): Uint8Array {
    return this.#raw.slice()
  }

  /** iv ‖ AES-256-GCM ciphertext; `aad` is authenticated, not encrypted. */
  encrypt(plaintext: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
    return aesGcmEncrypt(this.#key, plaintext, aad)
  }

  /** IntegrityError for a wrong key, wrong aad or modified data; MalformedError if too short. */
  decrypt(data: Uint8Array, aad?: Uint8Array): Promise<Uint8Array> {
    return aesGcmDecrypt(this.#key, data, aad)
  }
}
