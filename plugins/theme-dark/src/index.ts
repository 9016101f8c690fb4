// A dark colour scheme. Contrast: text on background ≈ 13:1, muted text ≈ 6:1, accent-text on
// accent ≈ 7:1 (WCAG AA needs 4.5:1 for body text).
import { definePlugin, type ThemeDefinition } from '@tailmesh/plugin-sdk'
import { manifest } from './manifest'

export const dark: ThemeDefinition = {
  id: 'dark',
  name: { en: 'Dark', 'zh-CN': '深色' },
  scheme: 'dark',
  colors: {
    accent: '#8ab4f8',
    'accent-text': '#0d1117',
    text: '#e6edf3',
    muted: '#9da7b3',
    bg: '#0d1117',
    'bg-soft': '#161b22',
    border: '#30363d',
    error: '#ff7b72',
  },
}

export default definePlugin({
  manifest,
  activate(api) {
    api.registerTheme(dark)
  },
})
