// Which panel view a component belongs to: the main one, or the panel pinned to the right of it
// (components/shell/PinnedPanel.vue provides 'pinned' to everything inside it). The panel and chat
// stores keep one instance per view, so the two chat views never share messages, replies or scroll.
import { hasInjectionContext, inject, type InjectionKey } from 'vue'

export type PanelScope = 'main' | 'pinned'

export const PANEL_SCOPE: InjectionKey<PanelScope> = Symbol('panel-scope')

/** The view the calling component is in ('main' outside components, e.g. in other stores). */
export function panelScope(): PanelScope {
  return hasInjectionContext() ? inject(PANEL_SCOPE, 'main') : 'main'
}
