// The bot kit's cards and panels against the real relay process: a bot posts a card only a listed
// member may act on, hears the press, turns the buttons into a status line and closes the card; it
// builds a panel (a category with a markdown note, a voice room and a web page) only once its role
// holds managePanel, through the same operations and gates as a person.
import { describe, expect, it } from 'vitest'
import {
  PermissionDeniedError,
  actOnCard,
  cardRecordOf,
  openPluginState,
  pluginDocId,
  type PanelRecord,
} from '@tailmesh/core'
import { BOT_CARD_PLUGIN, type BotCardAction } from '../src/index'
import { botHarness } from './harness'
import { eventually } from './peers'

const h = botHarness()

describe('bot kit: cards and panels', () => {
  it('posts a card, hears a press of its button, updates and closes the card', async () => {
    const a = await h.person('alice', 'Hiring')
    const b = await h.startBot(h.tempDir(), 'HR Bot', { joinTimeoutMs: 20_000 })
    const { groupId } = await b.join(await a.invite())
    const pressed: BotCardAction[] = []
    b.onCardAction(async (action) => {
      pressed.push(action)
      await b.updateCard(action.groupId, action.panelId, action.cardId, {
        controls: [],
        status: `Approved by ${action.authorName ?? 'someone'}`,
      })
      await b.closeCard(action.groupId, action.panelId, action.cardId)
    })
    const cardId = await b.postCard(
      groupId,
      a.general,
      '**Ann Lee** applied for *Designer*',
      {
        controls: [
          { kind: 'button', id: 'approve', label: 'Approve', style: 'primary' },
          { kind: 'button', id: 'reject', label: 'Reject', style: 'danger' },
        ],
      },
      { who: { members: [a.identity.userId] } },
    )
    await eventually(
      'alice holds the card and its record',
      () => cardRecordOf(a.group.gate.authority(), a.general, cardId) !== undefined,
    )
    expect(a.messages().find((m) => m.id === cardId)?.card).toMatchObject({ pluginId: BOT_CARD_PLUGIN })

    await actOnCard(a.group.actions, a.general, cardId, 'approve')
    await eventually(
      'the card shows who approved it',
      () => a.messages().find((m) => m.id === cardId)?.card?.status === 'Approved by alice',
    )
    expect(pressed).toHaveLength(1)
    expect(pressed[0]).toMatchObject({ cardId, actionId: 'approve', author: a.identity.userId })
    await eventually(
      'the card is closed',
      () => !!cardRecordOf(a.group.gate.authority(), a.general, cardId)?.closed,
    )
    await expect(actOnCard(a.group.actions, a.general, cardId, 'reject')).rejects.toThrow(
      /the card is closed/,
    )
  })

  it('builds a panel only with managePanel: a note in markdown, a voice room, a web page, overrides', async () => {
    const a = await h.person('alice', 'Hiring')
    const b = await h.startBot(h.tempDir(), 'HR Bot', { joinTimeoutMs: 20_000 })
    const { groupId } = await b.join(await a.invite())
    await expect(b.createPanel(groupId, { name: 'Interview', type: 'category' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    )
    const builders = await a.group.actions.createRole({
      name: 'builders',
      points: ['groupDetail', 'managePanel'],
    })
    await eventually('the bot is a member at alice', () => a.group.gate.authority().members.has(b.userId))
    await a.group.actions.assignRole(b.userId, builders)
    await eventually('the bot holds the role', () => b.can(groupId, 'managePanel'))

    const category = await b.createPanel(groupId, { name: 'Interview · Ann Lee', type: 'category' })
    const resume = await b.createPanel(groupId, {
      name: 'Résumé',
      type: 'plugin',
      parentId: category,
      meta: { pluginId: 'com.tailmesh.notes', panelType: 'notes' },
    })
    await b.setPanelMarkdown(groupId, resume, '# Ann Lee\n\n- 5 years of product design')
    const voice = await b.createPanel(groupId, { name: 'Interview room', type: 'voice', parentId: category })
    const page = await b.createPanel(groupId, { name: 'Portfolio', type: 'web', parentId: category })
    await b.setPanelUrl(groupId, page, 'https://example.org/ann')
    await b.addToPanel(groupId, voice, { member: a.identity.userId }, { allow: ['viewPanel'], deny: [] })

    const panel = (id: string): PanelRecord | undefined => a.group.gate.authority().panels.get(id)
    // The override went last: once Alice holds it, she holds everything before it.
    await eventually(
      'alice sees the panels',
      () => panel(voice)?.overrides?.members?.[a.identity.userId] !== undefined,
    )
    expect(panel(page)?.meta?.url).toBe('https://example.org/ann')
    expect(panel(resume)?.parentId).toBe(category)
    expect(panel(voice)?.type).toBe('voice')
    expect(panel(voice)?.overrides?.members?.[a.identity.userId]).toEqual({ allow: ['viewPanel'], deny: [] })
    const notes = await openPluginState(a.group.session, 'com.tailmesh.notes', resume)
    await eventually('alice reads the résumé', () => notes.text('body').toString().startsWith('# Ann Lee'))
    expect(a.group.gate.hasDoc(pluginDocId('com.tailmesh.notes', resume))).toBe(true)
  })
})
