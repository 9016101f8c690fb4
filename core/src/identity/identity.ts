// The local user's signing identity. The private key lives in an ES private field: it is not an own
// enumerable property, so JSON.stringify, console.log and structured logging never print it.
import { boxKeyPairFromSecret, type BoxKeyPair } from '../crypto/x25519'
import { hkdf } from '../crypto/hash'
import { ValidationError } from '../errors'
import { utf8 } from '../bytes'
import {
  exportSeed,
  generateSigningKeyPair,
  sign,
  signingKeyPairFromSeed,
  type CryptoKey,
  type SigningKeyPair,
} from '../crypto/ed25519'
import { userIdOf, type UserId } from './user-id'

export class Identity {
  readonly userId: UserId
  readonly publicKey: Uint8Array
  readonly #privateKey: CryptoKey

  private constructor(pair: SigningKeyPair) {
    this.userId = userIdOf(pair.publicKey)
    this.publicKey = pair.publicKey.slice()
    this.#privateKey = pair.privateKey
  }

  static async create(): Promise<Identity> {
    return new Identity(await generateSigningKeyPair())
  }

  static async fromSeed(seed: Uint8Array): Promise<Identity> {
    return new Identity(await signingKeyPairFromSeed(seed))
  }

  /** Wrap an existing key pair (for instance one kept in the browser keystore as a non-extractable key). */
  static fromKeyPair(pair: SigningKeyPair): Identity {
    if (pair.privateKey.type !== 'private') throw new ValidationError('Identity needs a private key.')
    return new Identity(pair)
  }

  sign(data: Uint8Array): Promise<Uint8Array> {
    return sign(this.#privateKey, data)
  }

  /** The 32-byte seed, for the passphrase-encrypted backup only. Fails if the key is not extractable. */
  exportSeed(): Promise<Uint8Array> {
    return exportSeed(this.#privateKey)
  }

  /**
   * This user's X25519 pair for receiving wrapped group keys, derived from the identity's seed (so a
   * restored backup has it too). Needs an extractable private key, as backups do.
   */
  boxKeys(): Promise<BoxKeyPair> {
    this.#box ??= this.exportSeed().then(async (seed) => {
      const secret = await hkdf(seed, utf8('tailmesh'), 'tailmesh/box-key/v1', 32)
      seed.fill(0)
      return boxKeyPairFromSecret(secret)
    })
    return this.#box
  }

  #box: Promise<BoxKeyPair> | undefined

  /** Serialise as the public id only, so an Identity that ends up in JSON leaks nothing. */
  toJSON(): { userId: UserId } {
    return { userId: this.userId }
  }
}
