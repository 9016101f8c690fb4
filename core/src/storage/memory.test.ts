// The in-memory store passes the same conformance suite (minus what needs a disk: reopen, crash).
import { MemoryStorage } from './memory'
import { describeStorageConformance } from '../../test/storage-conformance'

describeStorageConformance('memory', { open: async () => new MemoryStorage() })
