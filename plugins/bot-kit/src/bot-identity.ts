// The bot's identity is made once and kept in its own storage (the LevelDB under dataDir), so a
// restarted bot is the same member of every group it joined. The seed never leaves that store and
// is never printed (Identity keeps the private key in a private field).
import {
  Identity,
  signProfile,
  validateProfile,
  type SignedProfile,
  type StorageAdapter,
} from '@tailmesh/core'

const SCOPE = 'bot'
const SEED_KEY = 'identity-seed'

export async function loadOrCreateIdentity(storage: StorageAdapter): Promise<Identity> {
  const seed = await storage.get(SCOPE, SEED_KEY)
  if (seed) {
    try {
      return await Identity.fromSeed(seed)
    } finally {
      seed.fill(0)
    }
  }
  const identity = await Identity.create()
  const fresh = await identity.exportSeed()
  try {
    // Kept before it is used: an identity that a restart could lose must never sign anything.
    await storage.set(SCOPE, SEED_KEY, fresh)
  } finally {
    fresh.fill(0)
  }
  return identity
}

/** The profile members see: the bot's name (1–32 characters), with a status saying it is a bot. */
export function botProfile(identity: Identity, name: string): Promise<SignedProfile> {
  return signProfile(identity, validateProfile({ nickname: name, status: 'bot', updatedAt: Date.now() }))
}
