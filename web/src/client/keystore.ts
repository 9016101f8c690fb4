// The device's keystore: one IndexedDB object store holding this device's identity (its Ed25519
// key pair as a CryptoKey, which IndexedDB keeps by structured clone, and the signed profile).
// The private key stays extractable on purpose: the passphrase backup (core's
// exportIdentityBackup) needs its seed, and losing every device without a backup loses the identity.
import type { CryptoKey, DeviceCertJson, SignedProfile } from '@tailmesh/core'

export interface StoredIdentity {
  publicKey: Uint8Array
  privateKey: CryptoKey
  profile: SignedProfile
  /** On a device linked to its user by pairing: the certificate and the user's box public key. */
  linked?: {
    cert: DeviceCertJson
    userBox: Uint8Array
    /** The self secret (core's self/), when handed over. */ self?: Uint8Array
  }
}

/** Where the identity is kept. Tests and the Replica may hand in another one. */
export interface Keystore {
  load(): Promise<StoredIdentity | undefined>
  save(identity: StoredIdentity): Promise<void>
}

const DB_NAME = 'tailmesh-keystore'
const STORE = 'identity'
const KEY = 'me'

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'))
  })
}

function openDb(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1)
  open.onupgradeneeded = () => open.result.createObjectStore(STORE)
  return request(open)
}

/** Resolves once the transaction is committed (durable), not merely when the request succeeded. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'))
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
  })
}

export function indexedDbKeystore(): Keystore {
  return {
    async load() {
      const db = await openDb()
      try {
        return (await request(db.transaction(STORE).objectStore(STORE).get(KEY))) as
          StoredIdentity | undefined
      } finally {
        db.close()
      }
    },
    async save(identity) {
      const db = await openDb()
      try {
        const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' })
        tx.objectStore(STORE).put(identity, KEY)
        await committed(tx)
      } finally {
        db.close()
      }
    },
  }
}

/** A keystore that forgets on reload (tests, or a browser without IndexedDB). */
export function memoryKeystore(): Keystore {
  let kept: StoredIdentity | undefined
  return {
    load: async () => kept,
    save: async (identity) => {
      kept = identity
    },
  }
}
