// The pure parts of the HR bot: a candidate as a recruiter gives it in chat, the card's text, and
// the line the card turns into once a reviewer decided.
//
//   !candidate Ann Lee | Product designer
//   # Ann Lee
//   Product designer, **5 years**…            ← the résumé: markdown, everything after the first line
import { cut, escapeMarkdown } from '@tailmesh/bot-kit'
import { LIMITS } from '@tailmesh/core'

export interface Candidate {
  name: string
  role: string
  /** Markdown, shown in the interview panel's résumé note (members edit it together there). */
  resume: string
}

export const CANDIDATE_LIMITS = { name: 60, role: 80, resume: 20_000 } as const

const COMMAND = /^!candidate(?:[ \t]+([^\n]*))?(?:\n([\s\S]*))?$/

/** A `!candidate` message as a candidate, `{ bad }` with what to say back, or null (not the command). */
export function parseCandidateCommand(text: string): Candidate | { bad: string } | null {
  const m = COMMAND.exec(text.trim())
  if (!m) return null
  const [name, role] = (m[1] ?? '').split('|').map((s) => s.trim())
  if (!name || !role)
    return { bad: 'Write `!candidate Name | Role`, then the résumé (markdown) on the next lines.' }
  if ([...name].length > CANDIDATE_LIMITS.name || [...role].length > CANDIDATE_LIMITS.role)
    return {
      bad: `A name has at most ${CANDIDATE_LIMITS.name} characters, a role ${CANDIDATE_LIMITS.role}.`,
    }
  return { name, role, resume: cut((m[2] ?? '').trim(), CANDIDATE_LIMITS.resume) }
}

/** The card's text (what members without the card's buttons read too). */
export function candidateText(c: Pick<Candidate, 'name' | 'role'>): string {
  return cut(
    `**${escapeMarkdown(c.name)}** applied for *${escapeMarkdown(c.role)}*. ` +
      'The résumé goes to the interview panel once approved.',
    LIMITS.messageBody,
  )
}

/** "Approved by Alice Lead · 10:02": who decided, at the press's time in the bot's time zone. */
export function decisionLine(approved: boolean, who: string, atMs: number, timeZone?: string): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(atMs)
  return `${approved ? 'Approved' : 'Rejected'} by ${cut(who, 64)} · ${time}`
}

/** The reply once a candidate is approved. */
export const passedText = (c: Pick<Candidate, 'name'>): string =>
  `${escapeMarkdown(c.name)} passed the first review; interview invitation sent`

/** The interview panel's name (a category holding the résumé, the call and the whiteboard). */
export const interviewPanelName = (c: Pick<Candidate, 'name'>): string =>
  cut(`Interview · ${c.name}`, LIMITS.panelName)
