// The join screen's reasons, from a real group document: the same answers core's join would give.
import { describe, expect, it } from 'vitest'
import { Identity, createGroup, inviteIdOf, inviteKeyPair } from '@tailmesh/core'
import { inviteProblem } from './invite-status'

describe('invite problems', () => {
  it('expired, revoked, or none (an invite not here yet is no problem yet)', async () => {
    const owner = await Identity.create()
    const g = await createGroup(owner, { name: 'Quay' }, { send: () => {} })
    const idOf = async (secret: Uint8Array) => inviteIdOf((await inviteKeyPair(secret)).publicKey)
    const soon = await idOf((await g.actions.createInvite({ expiresInMs: 60_000 })).secret)
    const gone = await g.actions.createInvite()
    await g.actions.revokeInvite(await idOf(gone.secret))
    const state = () => g.gate.authority()
    const me = (await Identity.create()).userId

    expect(inviteProblem(state(), soon, me)).toBeNull()
    expect(inviteProblem(state(), soon, me, Date.now() + 120_000)).toBe('expired')
    expect(inviteProblem(state(), await idOf(gone.secret), me)).toBe('revoked')
    expect(inviteProblem(state(), 'not-here-yet', me)).toBeNull()
  })
})
