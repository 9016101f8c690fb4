// Starting the plugin host, imported lazily by App.vue after the first paint: the saved theme paints
// at once (its colours are kept with the choice), then every enabled plugin loads and activates.
import '../i18n/late'
import { usePluginsStore } from './store'
import { applyTheme, savedTheme } from './theme'

export function bootPlugins(): Promise<void> {
  applyTheme(savedTheme())
  return usePluginsStore().start()
}
