// What the typing line shows, from who is typing: a plain function of its input (unit-tested), no
// Vue. The member list's sections are built in members/.

/** The line under the composer: which message, with which names. */
export type TypingLine =
  | { key: 'typingOne'; params: { name: string } }
  | { key: 'typingTwo'; params: { first: string; second: string } }
  | { key: 'typingMany'; params: Record<string, never> }
  | null

/** One name, two names, or "several people" (three or more); null when nobody is typing. */
export function typingLine(names: string[]): TypingLine {
  const sorted = [...names].sort((a, b) => a.localeCompare(b))
  if (sorted.length === 0) return null
  if (sorted.length === 1) return { key: 'typingOne', params: { name: sorted[0]! } }
  if (sorted.length === 2) return { key: 'typingTwo', params: { first: sorted[0]!, second: sorted[1]! } }
  return { key: 'typingMany', params: {} }
}
