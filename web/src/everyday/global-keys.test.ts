import { describe, expect, it } from 'vitest'
import { neighbour, shortcutOf } from './global-keys'

const key = (key: string, init: Partial<KeyboardEvent> = {}) =>
  ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    isComposing: false,
    defaultPrevented: false,
    target: null,
    ...init,
  }) as KeyboardEvent

describe('keyboard shortcuts', () => {
  it('names each shortcut, and leaves keys others took or typing alone', () => {
    expect(shortcutOf(key('k', { ctrlKey: true }))).toBe('switcher')
    expect(shortcutOf(key('K', { metaKey: true }))).toBe('switcher')
    expect(shortcutOf(key('ArrowUp', { altKey: true }))).toBe('previousPanel')
    expect(shortcutOf(key('ArrowDown', { altKey: true }))).toBe('nextPanel')
    expect(shortcutOf(key('Escape'))).toBe('markRead')
    // Escape that closed a popover or cancelled a reply is not also "mark read".
    expect(shortcutOf(key('Escape', { defaultPrevented: true }))).toBeNull()
    expect(shortcutOf(key('?'))).toBe('help')
    expect(shortcutOf(key('k', { ctrlKey: true, isComposing: true }))).toBeNull()
  })

  it('moves to the neighbouring panel, wrapping at either end', () => {
    const ids = ['a', 'b', 'c']
    expect(neighbour(ids, 'b', 1)).toBe('c')
    expect(neighbour(ids, 'c', 1)).toBe('a')
    expect(neighbour(ids, 'a', -1)).toBe('c')
    expect(neighbour([], 'a', 1)).toBeNull()
  })
})
