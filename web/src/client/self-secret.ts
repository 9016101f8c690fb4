// The self secret the identity device hands a device it links (the pairing bundle's `self`): its own
// chunk, loaded only while linking, so the app shell carries none of the derivation.
import { selfSecretOf, toBase64Url, type Identity } from '@tailmesh/core'

export async function selfSecretForPairing(identity: Identity): Promise<string> {
  return toBase64Url(await selfSecretOf(identity))
}
