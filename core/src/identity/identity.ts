// The local user's signing identity. The private key lives in an ES private field: it is not an own
// enumerable property, so JSON.stringify, console.log and structured logging never print it.
import { ValidationError } from '../errors'
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

  /** Serialise as the public id only, so an Identity that ends up in JSON leaks nothing. */
  toJSON(): { userId: UserId } {
    return { userId: this.userId }
  }
}
