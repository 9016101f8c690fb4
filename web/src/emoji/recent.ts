// The emoji this person used last (picked in the picker, completed from `:code`, or reacted with) and
// their skin tone: a preference of this device in localStorage, like the language. The picker's
// first tab shows them, topped up with a common set until there are enough.
import { shallowRef } from 'vue'
import { COMMON_EMOJI } from '../chat/emoji'

const RECENT_KEY = 'tailmesh.emoji.recent'
const TONE_KEY = 'tailmesh.emoji.tone'
const MAX_RECENT = 32

function read<T>(key: string, valid: (v: unknown) => v is T, fallback: T): T {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null')
    return valid(v) ? v : fallback
  } catch {
    return fallback
  }
}
function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
}

const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
const isTone = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 5

export const recentEmoji = shallowRef<readonly string[]>(read(RECENT_KEY, isList, []))
/** 0: the default (yellow); 1–5: light … dark. */
export const skinTone = shallowRef<number>(read(TONE_KEY, isTone, 0))

export function rememberEmoji(emoji: string): void {
  recentEmoji.value = [emoji, ...recentEmoji.value.filter((e) => e !== emoji)].slice(0, MAX_RECENT)
  write(RECENT_KEY, recentEmoji.value)
}

export function setSkinTone(tone: number): void {
  if (!isTone(tone)) return
  skinTone.value = tone
  write(TONE_KEY, tone)
}

/** The first tab: recent ones first, then the common set, at least `min` in all. */
export function recentWithCommon(min = 24): string[] {
  const out = [...recentEmoji.value]
  for (const e of COMMON_EMOJI) if (out.length < min && !out.includes(e)) out.push(e)
  return out
}
