// The HR bot end to end on the real relay process: Alice (a core peer, the group's owner and a team
// lead) adds the bot by invite link and gives it a role that may build panels. A `!candidate` in
// #hiring becomes a card only team leads may press; Alice approves; the bot turns the buttons into
// "Approved by alice · hh:mm", closes the card, replies and builds the interview panel. A press made
// while the bot was stopped is answered when it starts again, and only once.
import { describe, expect, it } from 'vitest'
import { actOnCard, cardRecordOf, openPluginState, type PanelRecord } from '@tailmesh/core'
import type { Bot } from '@tailmesh/bot-kit'
import { botHarness } from '@tailmesh/bot-kit/test/harness'
import { eventually, type Person } from '@tailmesh/bot-kit/test/peers'
import { HrBot } from '../src/index'

const h = botHarness()

interface Setup {
  alice: Person
  bot: Bot
  groupId: string
  hiring: string
  leads: string
  dataDir: string
}

/** Alice's group with #hiring, a "Team leads" role she holds, and the bot holding managePanel. */
async function setup(): Promise<Setup> {
  const alice = await h.person('alice', 'Acme design')
  const dataDir = h.tempDir('tailmesh-hr-')
  const bot = await h.startBot(dataDir, 'HR Bot', { joinTimeoutMs: 20_000 })
  const { groupId } = await bot.join(await alice.invite())
  const actions = alice.group.actions
  const hiring = await actions.createPanel({ name: 'hiring' })
  const leads = await actions.createRole({ name: 'Team leads', points: [] })
  await actions.assignRole(alice.identity.userId, leads)
  const builders = await actions.createRole({ name: 'Bots', points: ['groupDetail', 'managePanel'] })
  await eventually('the bot is a member at alice', () => alice.group.gate.authority().members.has(bot.userId))
  await actions.assignRole(bot.userId, builders)
  await eventually('the bot may build panels', () => bot.can(groupId, 'managePanel'))
  await eventually('the bot knows the team leads', () =>
    bot.group(groupId)!.roles.some((r) => r.id === leads),
  )
  return { alice, bot, groupId, hiring, leads, dataDir }
}

const card = (s: Setup, cardId: string) => s.alice.messages(s.hiring).find((m) => m.id === cardId)
const panels = (s: Setup): [string, PanelRecord][] => [...s.alice.group.gate.authority().panels]

describe('HR bot', () => {
  it('a !candidate becomes a card for team leads; approving answers, closes it and builds the interview', async () => {
    const s = await setup()
    const hr = new HrBot(s.bot, { groupId: s.groupId, reviewers: ['Team leads'], timeZone: 'UTC' })
    await hr.start()
    h.defer(() => hr.stop())
    const { id: asked } = await s.alice.group.actions.send(
      s.hiring,
      '!candidate Ann Lee | Product designer\n# Ann Lee\n\nProduct designer, **5 years**.',
    )
    await eventually('the candidate card reaches alice', () =>
      s.alice.messages(s.hiring).some((m) => m.replyTo?.id === asked && m.card),
    )
    const cardId = s.alice.messages(s.hiring).find((m) => m.replyTo?.id === asked)!.id
    expect(card(s, cardId)?.body).toContain('**Ann Lee** applied for *Product designer*')
    await eventually(
      'its record lists the team leads',
      () =>
        cardRecordOf(s.alice.group.gate.authority(), s.hiring, cardId)?.who?.roles?.includes(s.leads) ===
        true,
    )

    await actOnCard(s.alice.group.actions, s.hiring, cardId, 'approve')
    await eventually('the card says who approved it, without buttons', () =>
      /^Approved by alice · \d\d:\d\d$/.test(card(s, cardId)?.card?.status ?? ''),
    )
    expect(card(s, cardId)?.card?.controls).toEqual([])
    await eventually('the card is closed', () =>
      Boolean(cardRecordOf(s.alice.group.gate.authority(), s.hiring, cardId)?.closed),
    )
    await expect(actOnCard(s.alice.group.actions, s.hiring, cardId, 'reject')).rejects.toThrow(/closed/)
    await eventually('the bot replied', () =>
      s.alice.bodies(s.hiring).includes('Ann Lee passed the first review; interview invitation sent'),
    )
    // The override on the whiteboard goes last: once it is here, the rest is too.
    const board = () => panels(s).find(([, p]) => p.name === 'Whiteboard')
    await eventually(
      'the interview panel is built',
      () => board()?.[1].overrides?.roles?.everyone !== undefined,
    )
    const category = panels(s).find(([, p]) => p.name === 'Interview · Ann Lee')!
    const inside = panels(s).filter(([, p]) => p.parentId === category[0])
    expect(inside.map(([, p]) => [p.name, p.type]).sort()).toEqual([
      ['Interview call', 'voice'],
      ['Résumé', 'plugin'],
      ['Whiteboard', 'plugin'],
    ])
    expect(board()![1].overrides?.roles?.everyone).toEqual({
      allow: ['plugin.com.tailmesh.whiteboard.draw'],
      deny: [],
    })
    const resume = inside.find(([, p]) => p.name === 'Résumé')![0]
    const notes = await openPluginState(s.alice.group.session, 'com.tailmesh.notes', resume)
    await eventually('alice reads the résumé', () => notes.text('body').toString().startsWith('# Ann Lee'))
  })

  it('answers a press made while it was stopped when it starts again, once; a rejection builds nothing', async () => {
    const s = await setup()
    let hr = new HrBot(s.bot, { groupId: s.groupId, panel: 'hiring', reviewers: [s.leads] })
    await hr.start()
    const cardId = await hr.postCandidate({ name: 'Bo Chen', role: 'Chef', resume: '' })
    await eventually('alice holds the card and its record', () =>
      Boolean(cardRecordOf(s.alice.group.gate.authority(), s.hiring, cardId)),
    )
    await hr.stop()
    await s.bot.stop()

    await actOnCard(s.alice.group.actions, s.hiring, cardId, 'reject')
    const restarted = await h.startBot(s.dataDir, 'HR Bot')
    hr = new HrBot(restarted, { groupId: s.groupId, panel: 'hiring', reviewers: [s.leads] })
    await eventually(
      'the press reached the restarted bot',
      () => restarted.cardActions(s.groupId, s.hiring, cardId).length > 0,
    )
    await hr.start()
    await eventually('the card says who rejected it', () =>
      (card(s, cardId)?.card?.status ?? '').startsWith('Rejected by alice · '),
    )
    await eventually('the card is closed', () =>
      Boolean(cardRecordOf(s.alice.group.gate.authority(), s.hiring, cardId)?.closed),
    )
    const fromBot = () => s.alice.messages(s.hiring).filter((m) => m.author === restarted.userId).length
    // Started again, it has nothing left to do: no second answer.
    await hr.stop()
    const before = fromBot()
    hr = new HrBot(restarted, { groupId: s.groupId, panel: 'hiring' })
    await hr.start()
    await hr.stop()
    expect(fromBot()).toBe(before)
    expect(panels(s).some(([, p]) => p.name.startsWith('Interview'))).toBe(false)
  })
})
