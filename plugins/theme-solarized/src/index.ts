// Solarized (https://ethanschoonover.com/solarized/), light and dark. Body text uses base01/base1
// rather than the palette's base00/base0, and the accent is darkened/lightened one step, so body text
// and buttons meet WCAG AA contrast (4.5:1) on the palette's backgrounds.
import { definePlugin, type ThemeDefinition } from '@tailmesh/plugin-sdk'
import { manifest } from './manifest'

export const solarizedLight: ThemeDefinition = {
  id: 'light',
  name: { en: 'Solarized light', 'zh-CN': 'Solarized 浅色' },
  scheme: 'light',
  colors: {
    accent: '#1d5f94',
    'accent-text': '#fdf6e3',
    text: '#073642',
    muted: '#586e75',
    bg: '#fdf6e3',
    'bg-soft': '#eee8d5',
    border: '#c9c2ae',
    error: '#b3261e',
  },
}

export const solarizedDark: ThemeDefinition = {
  id: 'dark',
  name: { en: 'Solarized dark', 'zh-CN': 'Solarized 深色' },
  scheme: 'dark',
  colors: {
    accent: '#6cb6eb',
    'accent-text': '#002b36',
    text: '#eee8d5',
    muted: '#93a1a1',
    bg: '#002b36',
    'bg-soft': '#073642',
    border: '#2d4f58',
    error: '#ff8a80',
  },
}

export default definePlugin({
  manifest,
  activate(api) {
    api.registerTheme(solarizedLight)
    api.registerTheme(solarizedDark)
  },
})
