// A refusal the mailbox reports to the client as an error frame (code from MailboxErrorCode).
import type { MailboxErrorCode } from '@tailmesh/core'

export class MailboxError extends Error {
  constructor(
    readonly code: MailboxErrorCode,
    reason: string,
  ) {
    super(reason)
    this.name = 'MailboxError'
  }
}
