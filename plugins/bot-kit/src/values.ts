// A plugin's own small values (what an RSS bot posted, say), kept in the bot's store next to its
// groups, under a scope of the plugin's choosing. `set` resolves once the value is on disk.
import type { StorageAdapter } from '@tailmesh/core'

const SCOPE_PREFIX = 'bot-values/'

export class BotValues {
  private readonly scope: string

  constructor(
    private readonly storage: StorageAdapter,
    scope: string,
  ) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(scope))
      throw new TypeError('A values scope is 1–64 letters, digits, dots, dashes or underscores.')
    // Prefixed so no plugin can read or overwrite the bot's identity or a group's values.
    this.scope = SCOPE_PREFIX + scope
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.storage.get(this.scope, key)
  }

  set(key: string, value: Uint8Array): Promise<void> {
    return this.storage.set(this.scope, key, value)
  }

  delete(key: string): Promise<void> {
    return this.storage.delete(this.scope, key)
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.get(key)
    return bytes === undefined ? undefined : (JSON.parse(new TextDecoder().decode(bytes)) as T)
  }

  setJson(key: string, value: unknown): Promise<void> {
    return this.set(key, new TextEncoder().encode(JSON.stringify(value)))
  }
}
