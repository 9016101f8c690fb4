// One sign-in request, once the frame said it is genuine (sign-in-frame.ts): ask me unless I
// approved this site for this group on this device, remember a yes, then sign for the site.
import { ASSERTION_TYPE, ERROR_TYPE, type SignInResponse } from '@tailmesh/auth-verify/protocol'
import { tailmesh } from '../../tailmesh'
import { approve, isApproved } from './approvals'
import { askToSignIn } from './sign-in-prompt'

export interface SignInAsk {
  origin: string
  groupId: string
  nonce: string
}

export async function runSignIn(ask: SignInAsk): Promise<SignInResponse> {
  const me = tailmesh.me
  const handle = tailmesh.group(ask.groupId)
  if (!me || !handle?.isMember())
    return {
      type: ERROR_TYPE,
      code: 'unavailable',
      message: 'The member is not in this group on this device.',
    }
  const groupName = handle.info()?.name ?? ''
  if (!isApproved(ask.origin, ask.groupId)) {
    if (!(await askToSignIn({ origin: ask.origin, groupName, nickname: me.nickname })))
      return { type: ERROR_TYPE, code: 'denied', message: 'The member did not allow it.' }
    approve(ask.origin, ask.groupId, groupName)
  }
  const assertion = await tailmesh.signInAssertion(ask.groupId, { audience: ask.origin, nonce: ask.nonce })
  return { type: ASSERTION_TYPE, assertion }
}
