// @user, #panel and :emoji: completion in the composer: find the token being typed at the caret, rank
// the candidates, and put the chosen one into the text. Pure: unit-tested.

export interface Candidate {
  id: string
  label: string
}

export interface Trigger {
  kind: '@' | '#' | ':'
  /** What follows the trigger character, up to the caret. */
  query: string
  /** Index of the trigger character in the text. */
  start: number
  /** The caret. */
  end: number
}

/** Tailchat offers at most 20 suggestions. */
export const MAX_SUGGESTIONS = 20

/** What may follow `:` for emoji completion: two or more shortcode characters (not "10:30", not ":)"). */
const SHORTCODE_QUERY = /^[a-z0-9_+-]{2,}$/i

/**
 * The @, # or : token ending at the caret: the trigger starts the text or follows whitespace or an
 * opening bracket, and the token has no whitespace (nicknames with spaces are matched by their start).
 * A `:` starts emoji completion once two shortcode characters follow it.
 */
export function findTrigger(text: string, caret: number): Trigger | null {
  for (let i = caret - 1; i >= 0 && caret - i <= 40; i--) {
    const c = text[i]!
    const before = i === 0 ? ' ' : text[i - 1]!
    if (c === ':') {
      const query = text.slice(i + 1, caret)
      if (/[\s([{]/.test(before) && SHORTCODE_QUERY.test(query))
        return { kind: c, query, start: i, end: caret }
      continue
    }
    if (c === '@' || c === '#') {
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

/**
 * The text with the token replaced by the completion and a space (`@label`, `#label`, or for `:` the
 * emoji itself, given as the label); and where the caret goes.
 */
export function applyCompletion(
  text: string,
  trigger: Trigger,
  label: string,
): { text: string; caret: number } {
  const inserted = trigger.kind === ':' ? `${label} ` : `${trigger.kind}${label} `
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

/** A character that may stand before a trigger: start of text, whitespace or an opening bracket. */
const BEFORE = /[\s([{]/
/** A character that ends a typed label: end of text, whitespace or punctuation. */
const AFTER = /[\s.,:;!?)\]}'"]/

/**
 * Every candidate written as `@label` / `#label` in the text, picked from the completion or typed in
 * full (case-insensitively, the longest label at each trigger: "@Ann Lee" is Ann Lee, not Ann). A
 * label must end where a word ends, so "@Annabel" is not Ann.
 */
export function writtenIn<C extends Candidate>(text: string, kind: '@' | '#', candidates: readonly C[]): C[] {
  const byLength = [...candidates].filter((c) => c.label).sort((a, b) => b.label.length - a.label.length)
  const lower = text.toLocaleLowerCase()
  const found = new Map<string, C>()
  for (let i = text.indexOf(kind); i >= 0; i = text.indexOf(kind, i + 1)) {
    if (i > 0 && !BEFORE.test(text[i - 1]!)) continue
    const hit = byLength.find((c) => {
      const end = i + 1 + c.label.length
      return (
        lower.startsWith(c.label.toLocaleLowerCase(), i + 1) &&
        (end === text.length || AFTER.test(text[end]!))
      )
    })
    if (hit && !found.has(hit.id)) found.set(hit.id, hit)
  }
  return [...found.values()]
}
