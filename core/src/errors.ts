// Typed errors: callers branch on `name` (or instanceof), people read `message`.

export class TailmeshError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** Input that does not have the shape or size it must have (a field, a frame, a file). */
export class ValidationError extends TailmeshError {}

/** Bytes that do not decode: truncated, random, or of an unknown version. */
export class MalformedError extends TailmeshError {}

/** A signature that does not verify, or decryption that fails authentication. */
export class IntegrityError extends TailmeshError {}

/** A backup opened with the wrong passphrase. */
export class WrongPassphraseError extends TailmeshError {
  constructor() {
    super('The passphrase does not open this backup.')
  }
}

/** A backup file that is not a Tailmesh identity backup or was damaged. */
export class DamagedBackupError extends TailmeshError {}

/** An operation the acting member's permission points do not allow. */
export class PermissionDeniedError extends TailmeshError {
  constructor(
    readonly point: string,
    action: string,
  ) {
    super(`Permission denied: ${action} needs "${point}".`)
  }
}

/** An operation that is not possible in the group's current state (not a member, unknown panel, ...). */
export class InvalidOperationError extends TailmeshError {}
