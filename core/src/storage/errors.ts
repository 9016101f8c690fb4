// Errors of a store itself (not of what is in it): callers branch on `name`, people read `message`.
// Defined here rather than in ../errors so each adapter and its callers share one import.
import { TailmeshError } from '../errors'

/** The store cannot do what was asked: locked by another process, a write that did not land. */
export class StorageError extends TailmeshError {}

/** A store or document store used after close() (or after its group was dropped). */
export class StorageClosedError extends StorageError {}
