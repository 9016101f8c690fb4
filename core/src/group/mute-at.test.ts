// A mute names when it was imposed (`at`, the envelope's HLC), so every member can say "Carol was
// muted for 10 minutes" at the right place in the timeline; records from before `at` still read.
import { describe, expect, it } from 'vitest'
import { hlcWallMs } from '../envelope/hlc'
import { groupOf, join, person, sync } from '../../test/peers'
import { validateSanction } from './records'

describe('mute records', () => {
  it('carry the time they were imposed, accepted and read the same by another member', async () => {
    const { owner: alice } = await groupOf()
    const carol = await person('carol', alice.groupId)
    const bob = await person('bob', alice.groupId)
    await join(alice, carol)
    await join(alice, bob)
    await sync(alice, carol)
    await alice.actions.mute(carol.identity.userId, 10 * 60_000)
    const verdicts = await sync(alice, bob)
    expect(verdicts.every((v) => v.kind === 'accept')).toBe(true)
    const mute = bob.gate.authority().mutes.get(carol.identity.userId)
    expect(mute?.by).toBe(alice.identity.userId)
    expect(mute?.at).toBeTypeOf('number')
    expect(mute!.until - hlcWallMs(mute!.at!)).toBe(10 * 60_000)
  })

  it('without `at` (written before it existed) still validate; a malformed one does not', () => {
    const by = 'u'.repeat(42) + 'A'
    expect(() => validateSanction('mute', { until: 5, by: 'x' })).toThrow()
    expect(() => validateSanction('mute', { until: 5, by, at: -1 })).toThrow()
    expect(() => validateSanction('mute', { until: 5, by, at: 'soon' })).toThrow()
    expect(() => validateSanction('mute', { until: 5, by, extra: 1 })).toThrow()
    expect(validateSanction('mute', { until: 5, by })).toEqual({ until: 5, by })
  })
})
