// Which plugins draw a message: the first active renderer whose `match` says yes draws the body in
// place of the markdown, and every matching extra adds a block under it (a link card, say). `match`
// is plugin code run for every message drawn, so it goes through the host's guard: one that throws
// is reported and counts as "no".
import type { MessageView } from '@tailmesh/plugin-sdk'
import type { Phase } from './loader'
import type { PluginRegistry, Registration } from './registry'

export type Guard = <T>(pluginId: string, phase: Phase, fn: () => T, fallback: T) => T

export interface MessageParts {
  renderer: Registration<'messageRenderer'> | null
  extras: Registration<'messageExtra'>[]
}

/** What plugins add to `message`, or null when nothing (the row then draws markdown alone). */
export function messagePartsFor(
  registry: PluginRegistry,
  guard: Guard,
  message: MessageView,
): MessageParts | null {
  const matches = <K extends 'messageRenderer' | 'messageExtra'>(r: Registration<K>): boolean =>
    guard(r.pluginId, 'runtime', () => r.def.match(message) === true, false)
  const renderer = registry.list('messageRenderer').find(matches) ?? null
  const extras = registry.list('messageExtra').filter(matches)
  return renderer || extras.length ? { renderer, extras } : null
}

/** Whether any active plugin draws messages at all (the cheap question asked first, per row). */
export function drawsMessages(registry: PluginRegistry): boolean {
  return registry.list('messageRenderer').length + registry.list('messageExtra').length > 0
}
