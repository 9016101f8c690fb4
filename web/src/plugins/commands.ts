// Slash commands typed in the composer: `/name args` runs the plugin command registered as `name`
// instead of sending. An unknown `/word` is sent as text, as before plugins. Loaded by the composer
// only when a message starts with "/".
import type { GroupHandle } from '../client'
import { composerContext } from './contexts'
import { host, registry } from './runtime'
import { usePluginsStore } from './store'

const COMMAND = /^\/([a-z0-9][a-z0-9-]{0,31})(?:\s+([\s\S]*))?$/

/** Runs the command `body` names; false when no active plugin has it (send the text then). */
export async function runSlashCommand(
  handle: GroupHandle,
  panelId: string,
  body: string,
  text: { get(): string; set(v: string): void },
): Promise<boolean> {
  const m = COMMAND.exec(body.trim())
  if (!m) return false
  await usePluginsStore().start()
  const reg = registry.get('command', m[1]!)
  if (!reg) return false
  const ctx = composerContext(handle, reg.pluginId, panelId, text)
  await host.guard(reg.pluginId, 'runtime', () => reg.def.run(m[2] ?? '', ctx), undefined)
  return true
}
