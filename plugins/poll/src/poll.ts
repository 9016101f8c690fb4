// A poll's logic, without any DOM: what `/poll` makes, how a card's data is read back from an
// untrusted message, and votes as the member's own entries in the plugin's state for the panel.
//
// A vote is a card action `vote` with `{ option }` (core's card-record.ts): one entry per member and
// action id, so "one vote per member" holds by construction — voting again replaces it. Every peer's
// gate refuses a vote dated after the author closed the poll (the card's record in the group
// document), so a closed poll is closed for everyone, not only in honest clients' drawing.
//
// Polls made before card actions (no `v: 2` in their data) keep their votes as own entries
// `vote:<messageId>@<userId>` in the panel's plugin state, and closing as the author's own entry.

import type { CardActionEntry, LocaleStrings, PluginState } from '@tailmesh/plugin-sdk'

export const POLL_CARD = 'poll'

export const POLL_LIMITS = { question: 200, option: 80, minOptions: 2, maxOptions: 10 } as const

export interface PollData {
  question: string
  options: string[]
}

export type Parsed = { ok: true; poll: PollData } | { ok: false; problem: LocaleStrings }

const length = (s: string): number => [...s].length

/** `/poll Lunch? | Pizza | Soup`: the question, then two to ten options, separated by `|`. */
export function parsePollCommand(args: string): Parsed {
  const parts = args
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
  const [question, ...options] = parts
  if (question === undefined || options.length < POLL_LIMITS.minOptions)
    return {
      ok: false,
      problem: {
        en: 'Write a question and at least two options: /poll Lunch? | Pizza | Soup',
        'zh-CN': '请写一个问题和至少两个选项：/poll 午饭吃什么？| 披萨 | 汤',
      },
    }
  if (options.length > POLL_LIMITS.maxOptions)
    return {
      ok: false,
      problem: {
        en: `A poll has at most ${POLL_LIMITS.maxOptions} options.`,
        'zh-CN': `投票最多有 ${POLL_LIMITS.maxOptions} 个选项。`,
      },
    }
  if (length(question) > POLL_LIMITS.question || options.some((o) => length(o) > POLL_LIMITS.option))
    return {
      ok: false,
      problem: {
        en: `Questions have at most ${POLL_LIMITS.question} characters, options ${POLL_LIMITS.option}.`,
        'zh-CN': `问题最多 ${POLL_LIMITS.question} 个字符，选项最多 ${POLL_LIMITS.option} 个。`,
      },
    }
  if (new Set(options).size !== options.length)
    return { ok: false, problem: { en: 'Two options are the same.', 'zh-CN': '有两个选项相同。' } }
  return { ok: true, poll: { question, options } }
}

/** The card data from a message anyone could have written: a poll, or null. */
export function readPollData(data: Record<string, unknown>): PollData | null {
  const { question, options } = data
  if (typeof question !== 'string' || length(question) < 1 || length(question) > POLL_LIMITS.question)
    return null
  if (
    !Array.isArray(options) ||
    options.length < POLL_LIMITS.minOptions ||
    options.length > POLL_LIMITS.maxOptions ||
    !options.every((o) => typeof o === 'string' && length(o) >= 1 && length(o) <= POLL_LIMITS.option)
  )
    return null
  return { question, options: options as string[] }
}

/** The message body members without the plugin read (and the one quoted in replies). */
export function pollBody(poll: PollData): string {
  return [`📊 ${poll.question}`, ...poll.options.map((o, i) => `${i + 1}. ${o}`)].join('\n')
}

/** The card action a vote is, and the version of polls that vote with it. */
export const VOTE_ACTION = 'vote'
export const POLL_VERSION = 2

/** Tallies a card-action poll: each member's latest `vote` with a valid option counts once. */
export function tallyActions(
  actions: readonly CardActionEntry[],
  poll: PollData,
  me: string,
  closed: boolean,
): Tally {
  const counts = poll.options.map(() => 0)
  const voters: string[][] = poll.options.map(() => [])
  let mine: number | null = null
  for (const a of actions) {
    if (a.actionId !== VOTE_ACTION) continue
    const option = Number(a.values.option)
    // Anyone may send any value: count only a valid option.
    if (
      !Number.isInteger(option) ||
      option < 0 ||
      option >= counts.length ||
      a.values.option !== String(option)
    )
      continue
    counts[option]!++
    voters[option]!.push(a.userId)
    if (a.userId === me) mine = option
  }
  for (const list of voters) list.sort()
  return { counts, voters, total: counts.reduce((x, y) => x + y, 0), mine, closed }
}

export const voteName = (messageId: string): string => `vote:${messageId}`
export const closedName = (messageId: string): string => `closed:${messageId}`

export interface Tally {
  /** Votes per option. */
  counts: number[]
  /** Who voted for each option, sorted. */
  voters: string[][]
  /** Members who voted. */
  total: number
  /** My vote, or null. */
  mine: number | null
  /** The poll's author closed it. */
  closed: boolean
}

export function tally(state: PluginState, messageId: string, poll: PollData, author: string): Tally {
  const counts = poll.options.map(() => 0)
  const voters: string[][] = poll.options.map(() => [])
  let mine: number | null = null
  for (const [userId, value] of state.entries(voteName(messageId))) {
    // Anyone may write any JSON into their own entry: count only a valid option.
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= counts.length) continue
    counts[value]!++
    voters[value]!.push(userId)
    if (userId === state.me) mine = value
  }
  for (const list of voters) list.sort()
  return {
    counts,
    voters,
    total: counts.reduce((a, b) => a + b, 0),
    mine,
    closed: state.entries(closedName(messageId)).get(author) === true,
  }
}

/** Votes for `option`, replacing any earlier vote of mine. */
export function vote(state: PluginState, messageId: string, option: number): Promise<void> {
  return state.change(() => state.own().set(state.ownKey(voteName(messageId)), option))
}

export function withdrawVote(state: PluginState, messageId: string): Promise<void> {
  return state.change(() => state.own().delete(state.ownKey(voteName(messageId))))
}

/** Closes the poll (only the author's closing counts). */
export function closePoll(state: PluginState, messageId: string): Promise<void> {
  return state.change(() => state.own().set(state.ownKey(closedName(messageId)), true))
}
