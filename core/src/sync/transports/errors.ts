// Errors a transport's promises reject with. A caller keeps a frame it could not hand over (its pending
// outbox) and decides: a closed link is the caller's own doing, a refused request needs another frame.
import { TailmeshError } from '../../errors'

/** The link (or its transport) was closed before the frame was handed over. */
export class LinkClosedError extends TailmeshError {
  constructor() {
    super('The link was closed before the frame was handed over.')
  }
}

/** The relay refused a mailbox request for a reason that retrying the same bytes cannot fix. */
export class MailboxRequestError extends TailmeshError {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(`The relay refused the request (${code}): ${reason}`)
  }
}
