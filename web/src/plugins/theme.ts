// Applying a colour scheme: a theme sets the app's CSS variables on <html>. The chosen theme and its
// colours are kept on this device, so the next start paints in them before any plugin has loaded.
import { THEME_VARIABLES, type ThemeDefinition } from '@tailmesh/plugin-sdk'

export const THEME_KEY = 'tailmesh.theme'

export interface SavedTheme {
  /** `<pluginId>/<themeId>`. */
  key: string
  scheme: ThemeDefinition['scheme']
  colors: ThemeDefinition['colors']
}

export function applyTheme(
  theme: Pick<SavedTheme, 'scheme' | 'colors'> | null,
  root = document.documentElement,
): void {
  for (const v of THEME_VARIABLES) {
    if (theme) root.style.setProperty(`--${v}`, theme.colors[v])
    else root.style.removeProperty(`--${v}`)
  }
  if (theme) {
    root.style.colorScheme = theme.scheme
    root.dataset.theme = theme.scheme
  } else {
    root.style.removeProperty('color-scheme')
    delete root.dataset.theme
  }
}

export function savedTheme(): SavedTheme | null {
  try {
    const raw = localStorage.getItem(THEME_KEY)
    return raw ? (JSON.parse(raw) as SavedTheme) : null
  } catch {
    return null
  }
}

export function saveTheme(theme: SavedTheme | null): void {
  try {
    if (theme) localStorage.setItem(THEME_KEY, JSON.stringify(theme))
    else localStorage.removeItem(THEME_KEY)
  } catch {
    // not kept: applies to this session only
  }
}
