// The app's keyboard shortcuts, as one decision per key press (EverydayLayer.vue acts on it):
//   Ctrl/⌘+K   quick switcher          Alt+↑ / Alt+↓   previous / next panel of the group
//   Escape     mark the open panel read (when nothing else took the key)
//   ?          this list (not while typing)
// ↑ in an empty composer (edit my last message) belongs to the composer itself.
export type ShortcutAction = 'switcher' | 'help' | 'previousPanel' | 'nextPanel' | 'markRead' | null

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || typeof el.closest !== 'function') return false
  return !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')
}

export function shortcutOf(e: KeyboardEvent): ShortcutAction {
  if (e.isComposing) return null
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') return 'switcher'
  if (e.altKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowUp') return 'previousPanel'
  if (e.altKey && !e.ctrlKey && !e.metaKey && e.key === 'ArrowDown') return 'nextPanel'
  if (e.key === 'Escape' && !e.defaultPrevented) return 'markRead'
  if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) return 'help'
  return null
}

/** The panel `step` places from `current` among `ids` (wrapping), or null when there is none. */
export function neighbour(ids: readonly string[], current: string | undefined, step: -1 | 1): string | null {
  if (!ids.length) return null
  const i = current === undefined ? -1 : ids.indexOf(current)
  if (i < 0) return ids[step === 1 ? 0 : ids.length - 1]!
  return ids[(i + step + ids.length) % ids.length]!
}
