// Everything the active plugins registered, by kind. Framework-free: the Vue side listens with
// `onChange` (stores/plugins.ts turns that into reactivity). A registration is keyed so that two
// plugins never fight over one thing: within a plugin by its id/type, and slash commands across all
// plugins (one `/name` runs one thing).

import type {
  CardDefinition,
  CommandDefinition,
  Dispose,
  GroupConfigItemDefinition,
  InboxItemTypeDefinition,
  InputActionDefinition,
  MessageExtraDefinition,
  MessageRendererDefinition,
  PageDefinition,
  PanelTypeDefinition,
  PasteHandlerDefinition,
  PermissionDefinition,
  ProfileFieldDefinition,
  SettingsPageDefinition,
  SidebarSectionDefinition,
  ThemeDefinition,
} from '@tailmesh/plugin-sdk'

export interface Definitions {
  panelType: PanelTypeDefinition
  messageRenderer: MessageRendererDefinition
  messageExtra: MessageExtraDefinition
  card: CardDefinition
  inputAction: InputActionDefinition
  pasteHandler: PasteHandlerDefinition
  inboxItemType: InboxItemTypeDefinition
  theme: ThemeDefinition
  settingsPage: SettingsPageDefinition
  page: PageDefinition
  permission: PermissionDefinition
  profileField: ProfileFieldDefinition
  groupConfigItem: GroupConfigItemDefinition
  command: CommandDefinition
  sidebarSection: SidebarSectionDefinition
}
export type Kind = keyof Definitions

export interface Registration<K extends Kind = Kind> {
  pluginId: string
  kind: K
  /** Unique per kind (see keyOf). */
  key: string
  def: Definitions[K]
}

export class RegistrationError extends Error {
  override name = 'RegistrationError'
}

/** What makes a registration unique within its kind. */
function keyOf<K extends Kind>(kind: K, pluginId: string, def: Definitions[K]): string {
  const d = def as Partial<Record<'type' | 'id' | 'name' | 'key', string>>
  switch (kind) {
    case 'command':
      return d.name!
    case 'settingsPage':
      return pluginId
    case 'panelType':
    case 'card':
    case 'inboxItemType':
      return `${pluginId}/${d.type}`
    case 'permission':
      return `${pluginId}/${d.name}`
    case 'groupConfigItem':
      return `${pluginId}/${d.key}`
    default:
      return `${pluginId}/${d.id}`
  }
}

export class PluginRegistry {
  private readonly byKind = new Map<Kind, Map<string, Registration>>()
  private readonly listeners = new Set<() => void>()

  add<K extends Kind>(kind: K, pluginId: string, def: Definitions[K]): Dispose {
    const key = keyOf(kind, pluginId, def)
    let map = this.byKind.get(kind)
    if (!map) this.byKind.set(kind, (map = new Map()))
    const taken = map.get(key)
    if (taken)
      throw new RegistrationError(
        taken.pluginId === pluginId
          ? `${kind} "${key}" is registered twice`
          : `${kind} "${key}" is already registered by ${taken.pluginId}`,
      )
    const reg: Registration<K> = { pluginId, kind, key, def }
    map.set(key, reg)
    this.changed()
    return () => {
      if (map.get(key) === reg) {
        map.delete(key)
        this.changed()
      }
    }
  }

  list<K extends Kind>(kind: K): Registration<K>[] {
    return [...(this.byKind.get(kind)?.values() ?? [])] as Registration<K>[]
  }

  get<K extends Kind>(kind: K, key: string): Registration<K> | undefined {
    return this.byKind.get(kind)?.get(key) as Registration<K> | undefined
  }

  /** A plugin's panel type, card or inbox item type. */
  typed<K extends 'panelType' | 'card' | 'inboxItemType'>(
    kind: K,
    pluginId: string,
    type: string,
  ): Definitions[K] | undefined {
    return this.get(kind, `${pluginId}/${type}`)?.def
  }

  /** Everything `pluginId` registered (to list in the manager). */
  ofPlugin(pluginId: string): Registration[] {
    return [...this.byKind.values()].flatMap((m) => [...m.values()].filter((r) => r.pluginId === pluginId))
  }

  onChange(fn: () => void): Dispose {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private changed(): void {
    for (const fn of this.listeners) fn()
  }
}
