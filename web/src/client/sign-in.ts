// "Sign in with Tailmesh": the assertion a web panel's site receives about me, signed by this
// device's key (my identity key, or a linked device's key with its certificate, so a verifier can
// follow the chain from my user id to the key offline). Only the plugin host's sign-in flow calls
// this, after I approved the site (web/src/plugins/sign-in/).
import { DEFAULT_LIFETIME_MS, encodeAssertion, NONCE_PATTERN, type SignInClaims } from '@tailmesh/auth-verify'
import { deviceCertToJson, EVERYONE_ROLE, isMember, rolesOf, type Identity } from '@tailmesh/core'
import type { GroupHandle } from './group-handle'

export interface SignInRequestFor {
  /** The site's origin: the assertion's audience. */
  audience: string
  nonce: string
}

export async function signInAssertion(
  identity: Identity,
  me: { nickname: string; avatar?: string },
  handle: GroupHandle,
  request: SignInRequestFor,
  now = Date.now(),
): Promise<string> {
  if (!NONCE_PATTERN.test(request.nonce)) throw new Error('A nonce is 8 to 128 letters, digits, - or _.')
  const state = handle.group.gate.authority()
  if (!state.info || !isMember(state, identity.userId)) throw new Error('You are not a member of this group.')
  const claims: SignInClaims = {
    v: 1,
    sub: identity.userId,
    aud: request.audience,
    nonce: request.nonce,
    iat: now,
    exp: now + DEFAULT_LIFETIME_MS,
    nickname: me.nickname,
    ...(me.avatar ? { avatar: me.avatar } : {}),
    group: {
      id: handle.groupId,
      name: state.info.name,
      owner: state.info.owner === identity.userId,
      roles: rolesOf(state, identity.userId)
        .filter((id) => id !== EVERYONE_ROLE)
        .map((id) => ({ id, name: state.roles.get(id)?.name ?? id })),
    },
    ...(identity.device ? { cert: deviceCertToJson(identity.device) } : {}),
  }
  return encodeAssertion(claims, (bytes) => identity.sign(bytes))
}
