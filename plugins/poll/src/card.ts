// The poll card, framework-free: a button per option (pressed = my vote) with its count and a bar,
// the number of voters, "Withdraw my vote", and for the poll's author "Close poll" (a forwarded copy:
// the options only, disabled, and where to vote). Redrawn on every
// change of the card's actions (or, for polls made before card actions, of the panel's plugin
// state), so others' votes appear as their envelopes pass the gate.

import type { CardContext, Dispose } from '@tailmesh/plugin-sdk'
import {
  POLL_VERSION,
  VOTE_ACTION,
  closePoll,
  readPollData,
  tally,
  tallyActions,
  vote,
  withdrawVote,
  type Tally,
} from './poll'
import { S } from './strings'
import { ensureStyle } from './style'

export async function mountPollCard(el: HTMLElement, ctx: CardContext): Promise<Dispose> {
  const doc = el.ownerDocument
  ensureStyle(doc)
  const root = doc.createElement('section')
  root.className = 'tm-poll'
  el.append(root)
  const poll = readPollData(ctx.card.data)
  if (!poll) {
    root.textContent = ctx.t(S.broken)
    return () => root.remove()
  }
  root.setAttribute('aria-label', ctx.t(S.cardLabel(poll.question)))
  root.textContent = ctx.t(S.loading)
  const messageId = ctx.message.id
  // A poll of card actions: votes and closing are judged by every gate (the card's record).
  const onCard = ctx.card.data.v === POLL_VERSION
  // A forwarded copy shows the question and options; votes belong to the original poll.
  const copy = ctx.message.forwarded !== undefined
  const state = onCard || copy ? null : await ctx.state()
  const current = (): Tally =>
    state
      ? tally(state, messageId, poll, ctx.message.author)
      : tallyActions(ctx.actions(), poll, ctx.me.userId, ctx.closed())
  const ops = state
    ? {
        vote: (i: number) => vote(state, messageId, i),
        withdraw: () => withdrawVote(state, messageId),
        close: () => closePoll(state, messageId),
      }
    : {
        vote: (i: number) => ctx.act(VOTE_ACTION, { option: String(i) }),
        withdraw: () => ctx.withdraw(VOTE_ACTION),
        close: () => ctx.close(),
      }
  const alert = doc.createElement('p')
  alert.setAttribute('role', 'alert')
  alert.className = 'tm-poll-error'

  const button = (text: string, run: () => Promise<void>): HTMLButtonElement => {
    const b = doc.createElement('button')
    b.type = 'button'
    b.textContent = text
    b.addEventListener('click', () => {
      alert.textContent = ''
      run().catch((e: unknown) => (alert.textContent = e instanceof Error ? e.message : String(e)))
    })
    return b
  }

  const draw = (): void => {
    const t = current()
    const heading = doc.createElement('h3')
    heading.textContent = poll.question
    const list = doc.createElement('ul')
    poll.options.forEach((option, i) => {
      const count = t.counts[i] ?? 0
      const b = button('', () => ops.vote(i))
      b.setAttribute('aria-pressed', String(t.mine === i))
      b.setAttribute('aria-label', ctx.t(S.optionLabel(option, count, t.mine === i)))
      b.disabled = t.closed || copy
      const label = doc.createElement('span')
      label.textContent = option
      const number = doc.createElement('span')
      number.textContent = String(count)
      const bar = doc.createElement('span')
      bar.className = 'tm-poll-bar'
      bar.setAttribute('aria-hidden', 'true')
      bar.style.width = `${t.total ? Math.round((100 * count) / t.total) : 0}%`
      b.append(bar, label, number)
      const item = doc.createElement('li')
      item.append(b)
      list.append(item)
    })
    const status = doc.createElement('p')
    status.setAttribute('role', 'status')
    status.textContent = copy
      ? ctx.t(S.copy)
      : ctx.t(S.total(t.total)) + (t.closed ? ` · ${ctx.t(S.closed)}` : '')
    const actions = doc.createElement('div')
    if (t.mine !== null && !t.closed && !copy) actions.append(button(ctx.t(S.withdraw), () => ops.withdraw()))
    if (ctx.message.author === ctx.me.userId && !t.closed && !copy)
      actions.append(button(ctx.t(S.close), () => ops.close()))
    // A keyboard user who voted with Enter keeps focus on the same control across the redraw.
    const buttons = (): HTMLButtonElement[] => [...root.querySelectorAll('button')]
    const focused = buttons().indexOf(doc.activeElement as HTMLButtonElement)
    root.replaceChildren(heading, list, status, actions, alert)
    if (focused >= 0) buttons()[focused]?.focus()
  }
  draw()
  const off = state ? state.onChange(draw) : ctx.onActionsChange(draw)
  return () => {
    off()
    root.remove()
  }
}
