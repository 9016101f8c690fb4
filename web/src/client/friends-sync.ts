// Where the friend channel keeps its state and how it reaches the relay: its own IndexedDB database
// (the groups' adapter belongs to replica-sync.ts) and a mailbox connection to this page's relay.
// The unit tests use memory storage and whatever transports they hand in.
import { MailboxTransport, MemoryStorage, type StorageAdapter, type Transport } from '@tailmesh/core'
import { appLogger } from '../diagnostics'
import { relayEndpoints } from './config'

export interface FriendsSync {
  storage(): Promise<StorageAdapter>
  transports(): Transport[]
}

export function relayFriendsSync(options: { storageName?: string } = {}): FriendsSync {
  return {
    storage: async () => {
      // Loaded on first use: the Friends screen is its own chunk, and so is this adapter.
      const { IndexedDbStorage } = await import('@tailmesh/core/storage/indexeddb')
      return IndexedDbStorage.open({ name: options.storageName ?? 'tailmesh-friends' })
    },
    transports: () => [new MailboxTransport({ url: relayEndpoints().mailbox, logger: appLogger() })],
  }
}

export function memoryFriendsSync(transports: Transport[] = []): FriendsSync {
  const storage = new MemoryStorage()
  return { storage: async () => storage, transports: () => transports }
}
