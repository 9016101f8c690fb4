// The HR bot: a candidate card in the hiring panel with "Approve" / "Reject" that only the reviewers
// (listed roles) may press — every member's gate enforces it. On the first press the bot turns the
// buttons into "Approved by Alice · 10:02" and closes the card (later presses are refused by every
// gate); on approval it replies and builds the interview panel (interview-panel.ts).
//
// Each candidate is kept in the bot's store with how far its answer got (posted → decided → replied →
// built), written after each step: a bot that stopped half-way, or was down when the press arrived,
// finishes the answer on `start()` from the presses it holds, and never does a step twice.
import type { Bot, BotCardAction, BotMessage } from '@tailmesh/bot-kit'
import { hlcWallMs } from '@tailmesh/core'
import { candidateText, decisionLine, parseCandidateCommand, passedText, type Candidate } from './candidate'
import { buildInterviewPanel, type InterviewPanel } from './interview-panel'

export interface HrBotOptions {
  groupId: string
  /** The hiring panel: a text panel's id or name (default "hiring", else the first text panel). */
  panel?: string
  /** Who may approve or reject: role names or ids (default: everyone who sees the panel). */
  reviewers?: string[]
  /** The time zone of the time in "Approved by … · 10:02" (default the process's). */
  timeZone?: string
  /** An answer that failed (a refused operation, the relay away). Default: console.warn. */
  onError?: (error: unknown) => void
}

type Stage = 'posted' | 'decided' | 'replied' | 'built'

interface Stored extends Candidate {
  panelId: string
  stage: Stage
  /** Set once decided. */
  decision?: { approved: boolean; by: string; at: number }
  interview?: InterviewPanel
}

export const APPROVE = 'approve'
export const REJECT = 'reject'
const VALUES_SCOPE = 'hr-bot'
const PENDING_KEY = 'pending'

export class HrBot {
  private offs: (() => void)[] = []
  /** Answers run one after another: two presses never race on one candidate. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly bot: Bot,
    private readonly options: HrBotOptions,
  ) {}

  /** The hiring panel's id. */
  panelId(): string {
    return this.bot.textPanel(this.options.groupId, this.options.panel, 'hiring')
  }

  /** Listens for `!candidate` and presses, and finishes answers left half-way before a stop. */
  async start(): Promise<void> {
    if (this.offs.length) return
    this.offs.push(
      this.bot.onMessage((m) => this.run(() => this.heard(m))),
      this.bot.onCardAction((a) => this.run(() => this.pressed(a))),
    )
    await this.run(() => this.resume())
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off()
    await this.queue
  }

  /** Posts a candidate card in the hiring panel; resolves with its id once delivered. */
  postCandidate(candidate: Candidate, replyTo?: string): Promise<string> {
    return this.serial(() => this.post(candidate, replyTo))
  }

  private async post(candidate: Candidate, replyTo?: string): Promise<string> {
    const panelId = this.panelId()
    const roles = this.reviewerRoles()
    const cardId = await this.bot.postCard(
      this.options.groupId,
      panelId,
      candidateText(candidate),
      {
        controls: [
          { kind: 'button', id: APPROVE, label: 'Approve', style: 'primary' },
          { kind: 'button', id: REJECT, label: 'Reject', style: 'danger' },
        ],
      },
      { ...(roles ? { who: { roles } } : {}), ...(replyTo ? { replyTo } : {}) },
    )
    await this.save(cardId, { ...candidate, panelId, stage: 'posted' })
    await this.setPending([...(await this.pending()), cardId])
    return cardId
  }

  private reviewerRoles(): string[] | undefined {
    const wanted = this.options.reviewers
    if (!wanted?.length) return undefined
    const roles = this.bot.group(this.options.groupId)?.roles ?? []
    return wanted.map((w) => {
      const role = roles.find((r) => r.id === w) ?? roles.find((r) => r.name === w)
      if (!role) throw new Error(`No role "${w}" in this group: reviewers are role names or ids.`)
      return role.id
    })
  }

  /** Runs `work` after everything queued before it; its result or failure goes to the caller. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Runs `work` in turn; a failure goes to onError (nobody awaits a handler's answer). */
  private run(work: () => Promise<void>): Promise<void> {
    return this.serial(work).catch((e: unknown) => (this.options.onError ?? console.warn)(e))
  }

  private async heard(m: BotMessage): Promise<void> {
    if (m.groupId !== this.options.groupId || m.panelId !== this.panelId()) return
    const command = parseCandidateCommand(m.body)
    if (!command) return
    if ('bad' in command) {
      await this.bot.send(m.groupId, m.panelId, command.bad, { replyTo: m.id })
      return
    }
    await this.post(command, m.id)
  }

  private async pressed(a: BotCardAction): Promise<void> {
    if (a.groupId !== this.options.groupId) return
    const stored = await this.load(a.cardId)
    if (!stored || stored.stage !== 'posted') return
    await this.answer(a.cardId, stored, a)
  }

  /** Finishes every candidate whose answer is not complete: from a press it holds, or where it stopped. */
  private async resume(): Promise<void> {
    for (const cardId of await this.pending()) {
      const stored = await this.load(cardId)
      if (!stored) continue
      if (stored.stage !== 'posted') {
        await this.answer(cardId, stored)
        continue
      }
      const first = this.bot
        .cardActions(this.options.groupId, stored.panelId, cardId)
        .find((a) => a.actionId === APPROVE || a.actionId === REJECT)
      if (first) await this.answer(cardId, stored, first)
    }
  }

  /** Takes the answer from the stage it reached to the end, saving after each step. */
  private async answer(cardId: string, stored: Stored, press?: BotCardAction): Promise<void> {
    const { groupId } = this.options
    const s = { ...stored }
    if (s.stage === 'posted' && press) {
      s.decision = {
        approved: press.actionId === APPROVE,
        by: press.authorName ?? press.author.slice(0, 8),
        at: hlcWallMs(press.at),
      }
      await this.bot.updateCard(groupId, s.panelId, cardId, {
        controls: [],
        status: decisionLine(s.decision.approved, s.decision.by, s.decision.at, this.options.timeZone),
      })
      await this.bot.closeCard(groupId, s.panelId, cardId)
      await this.advance(cardId, s, 'decided')
    }
    if (!s.decision?.approved) return this.done(cardId, s)
    if (s.stage === 'decided') {
      await this.bot.send(groupId, s.panelId, passedText(s), { replyTo: cardId })
      await this.advance(cardId, s, 'replied')
    }
    if (s.stage === 'replied') {
      s.interview = await buildInterviewPanel(this.bot, groupId, s)
      await this.advance(cardId, s, 'built')
    }
    await this.done(cardId, s)
  }

  private advance(cardId: string, s: Stored, stage: Stage): Promise<void> {
    s.stage = stage
    return this.save(cardId, s)
  }

  private async done(cardId: string, s: Stored): Promise<void> {
    if (s.stage === 'posted') return
    await this.setPending((await this.pending()).filter((id) => id !== cardId))
  }

  // --- the bot's store ------------------------------------------------------------------------

  private get values() {
    return this.bot.values(VALUES_SCOPE)
  }

  private load(cardId: string): Promise<Stored | undefined> {
    return this.values.getJson<Stored>(`card:${this.options.groupId}:${cardId}`)
  }

  private save(cardId: string, s: Stored): Promise<void> {
    return this.values.setJson(`card:${this.options.groupId}:${cardId}`, s)
  }

  private async pending(): Promise<string[]> {
    return (await this.values.getJson<string[]>(`${PENDING_KEY}:${this.options.groupId}`)) ?? []
  }

  private setPending(ids: string[]): Promise<void> {
    return this.values.setJson(`${PENDING_KEY}:${this.options.groupId}`, ids)
  }
}
