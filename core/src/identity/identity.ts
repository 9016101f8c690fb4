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
import { bytesEqual } from '../bytes'
import { deviceIdOf, type DeviceCert, type DeviceId } from './device-cert'

export class Identity {
  readonly userId: UserId
  /** The key this identity signs with: the user's own, or a linked device's. */
  readonly publicKey: Uint8Array
  /** Set on a linked device: the certificate its user's identity issued for it. */
  readonly device?: DeviceCert
  /** On a linked device: the user's box public key (published in member records, opened elsewhere). */
  readonly userBox?: Uint8Array
  readonly #privateKey: CryptoKey

  private constructor(pair: SigningKeyPair, linked?: { cert: DeviceCert; userBox: Uint8Array }) {
    this.userId = linked ? linked.cert.user : userIdOf(pair.publicKey)
    this.publicKey = pair.publicKey.slice()
    this.#privateKey = pair.privateKey
    if (linked) {
      this.device = linked.cert
      this.userBox = linked.userBox.slice()
    }
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

  /**
   * A device linked to a user (see pairing.ts): signs with its own key pair, acts as `cert.user`.
   * The certificate must name this key pair.
   */
  static linkedDevice(pair: SigningKeyPair, cert: DeviceCert, userBox: Uint8Array): Identity {
    if (pair.privateKey.type !== 'private') throw new ValidationError('Identity needs a private key.')
    if (!bytesEqual(cert.device, pair.publicKey))
      throw new ValidationError('The device certificate names another key.')
    return new Identity(pair, { cert, userBox })
  }

  /** This device's id when it is a linked device. */
  get deviceId(): DeviceId | undefined {
    return this.device ? deviceIdOf(this.device) : undefined
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
  toJSON(): { userId: UserId; deviceId?: DeviceId } {
    return this.device ? { userId: this.userId, deviceId: this.deviceId } : { userId: this.userId }
  }
}
