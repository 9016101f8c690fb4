// A paste into the composer, offered to the plugins' paste handlers: the first whose `match` says yes
// takes it and the browser's own paste is skipped. Both run inside the paste event — a handler must
// read the DataTransfer before its first `await` (the browser empties it when the event ends).
import type { ComposerContext } from '@tailmesh/plugin-sdk'
import type { Guard } from './message-parts'
import type { PluginRegistry, Registration } from './registry'

/** The handler that wants this paste, or undefined. */
export function pasteHandlerFor(
  registry: PluginRegistry,
  guard: Guard,
  data: DataTransfer,
): Registration<'pasteHandler'> | undefined {
  return registry
    .list('pasteHandler')
    .find((r) => guard(r.pluginId, 'runtime', () => r.def.match(data) === true, false))
}

/** Hands the paste to the handler that wants it; true when one took it (the default is skipped then). */
export function offerPaste(
  registry: PluginRegistry,
  guard: Guard,
  data: DataTransfer,
  contextFor: (pluginId: string) => ComposerContext,
): boolean {
  const reg = pasteHandlerFor(registry, guard, data)
  if (!reg) return false
  void guard(reg.pluginId, 'runtime', () => reg.def.handle(data, contextFor(reg.pluginId)), undefined)
  return true
}
