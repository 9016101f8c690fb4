// The shipped colour schemes stay readable: WCAG 2 contrast of text, muted text, error text and
// button text against their backgrounds is at least 4.5:1.
import { THEME_VARIABLES, type ThemeDefinition } from '@tailmesh/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { solarizedDark, solarizedLight } from '@tailmesh/plugin-theme-solarized'
import { dark } from './index'

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!)
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x! + 0.05) / (y! + 0.05)
}

describe.each([dark, solarizedLight, solarizedDark] as ThemeDefinition[])('theme $id ($scheme)', (theme) => {
  it('sets every colour variable', () => {
    expect(Object.keys(theme.colors).sort()).toEqual([...THEME_VARIABLES].sort())
  })
  it.each([
    ['text', 'bg'],
    ['text', 'bg-soft'],
    ['muted', 'bg'],
    ['error', 'bg'],
    ['accent-text', 'accent'],
  ] as const)('%s on %s is at least 4.5:1', (fg, bg) => {
    expect(contrast(theme.colors[fg], theme.colors[bg])).toBeGreaterThanOrEqual(4.5)
  })
})
