// Forwarding a card: the copy keeps what the card shows (its buttons and status too) and where the
// original is; it has no record, so no gate takes a press on it. The original's route is offered only
// to a reader who is in the original's group.
import { actOnCard, postCard } from '@tailmesh/core'
import { groupOf } from '@tailmesh/core/test/peers'
import { describe, expect, it } from 'vitest'
import { forwardMessage, originalRoute } from './forward'
import { GroupHandle } from './group-handle'

describe('forwarding a card', () => {
  it('the copy shows the buttons but takes no press; it names the original, which my groups can open', async () => {
    const g = await groupOf('alice')
    const alice = new GroupHandle(g.owner, g.key)
    const random = await g.owner.actions.createPanel({ name: 'random' })
    const { id } = await postCard(g.owner.actions, g.general, '**Ann Lee** applied', {
      pluginId: 'com.tailmesh.card',
      type: 'actions',
      data: {},
      controls: [{ kind: 'button', id: 'approve', label: 'Approve' }],
      status: 'Waiting for a lead',
    })
    const original = alice.messages(g.general).find((m) => m.id === id)!
    const copyId = await forwardMessage(alice, g.general, original, { handle: alice, panelId: random })
    const copy = alice.messages(random).find((m) => m.id === copyId)!
    expect(copy.card).toEqual(original.card)
    expect(copy.forwarded).toMatchObject({
      where: '#general',
      from: { group: g.owner.groupId, panel: g.general, message: id },
    })
    await expect(actOnCard(g.owner.actions, random, copyId, 'approve')).rejects.toThrow(/unknown card/)

    expect(originalRoute(copy.forwarded, [{ groupId: g.owner.groupId }])).toBe(
      `/groups/${encodeURIComponent(g.owner.groupId)}/${encodeURIComponent(g.general)}?m=${encodeURIComponent(id)}`,
    )
    expect(originalRoute(copy.forwarded, [{ groupId: 'another-group' }])).toBeNull()
    expect(originalRoute({ ...copy.forwarded!, from: undefined }, [{ groupId: g.owner.groupId }])).toBeNull()
  })
})
