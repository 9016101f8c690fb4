// @user and #panel completion in the composer: find the token being typed at the caret, rank the
// candidates, and put the chosen one into the text. Pure: unit-tested.

export interface Candidate {
  id: string
  label: string
}

export interface Trigger {
  kind: '@' | '#'
  /** What follows the trigger character, up to the caret. */
  query: string
  /** Index of the trigger character in the text. */
  start: number
  /** The caret. */
  end: number
}

/** Tailchat offers at most 20 suggestions. */
export const MAX_SUGGESTIONS = 20

/**
 * The @ or # token ending at the caret: the trigger starts the text or follows whitespace or an
 * opening bracket, and the token has no whitespace (nicknames with spaces are matched by their start).
 */
export function findTrigger(text: string, caret: number): Trigger | null {
  for (let i = caret - 1; i >= 0 && caret - i <= 40; i--) {
    const c = text[i]!
    if (c === '@' || c === '#') {
      const before = i === 0 ? ' ' : text[i - 1]!
      if (!/[\s([{]/.test(before)) return null
      return { kind: c, query: text.slice(i + 1, caret), start: i, end: caret }
    }
    if (/\s/.test(c)) return null
  }
  return null
}

/**
 * Candidates whose label matches the query, case-insensitively: labels that start with it first, then
 * a word in them that starts with it, then anywhere; each band in label order. At most `limit`.
 */
export function matchCandidates<C extends Candidate>(
  candidates: readonly C[],
  query: string,
  limit = MAX_SUGGESTIONS,
): C[] {
  const q = query.toLocaleLowerCase()
  const scored: { c: C; score: number }[] = []
  for (const c of candidates) {
    const label = c.label.toLocaleLowerCase()
    let score: number
    if (label.startsWith(q)) score = 0
    else if (label.split(/[\s_\-.]+/).some((w) => w.startsWith(q))) score = 1
    else if (label.includes(q)) score = 2
    else continue
    scored.push({ c, score })
  }
  scored.sort((a, b) => a.score - b.score || a.c.label.localeCompare(b.c.label))
  return scored.slice(0, limit).map((s) => s.c)
}

/** The text with the token replaced by the completion and a space; and where the caret goes. */
export function applyCompletion(
  text: string,
  trigger: Trigger,
  label: string,
): { text: string; caret: number } {
  const inserted = `${trigger.kind}${label} `
  const after = text.slice(trigger.end).replace(/^ /, '')
  return { text: text.slice(0, trigger.start) + inserted + after, caret: trigger.start + inserted.length }
}

/** Of the chosen completions, those whose `@label` / `#label` is still in the text when it is sent. */
export function mentionedIn<C extends Candidate>(text: string, kind: '@' | '#', chosen: readonly C[]): C[] {
  const seen = new Set<string>()
  return chosen.filter((c) => {
    if (seen.has(c.id) || !text.includes(`${kind}${c.label}`)) return false
    seen.add(c.id)
    return true
  })
}
