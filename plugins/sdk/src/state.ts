// The shared, gate-judged state a plugin keeps in a group (doc id `x/<pluginId>/<scope>`): core
// defines and implements it (group/plugin-state.ts, opened by the host with `openPluginState`).
export type { PluginState } from '@tailmesh/core'
