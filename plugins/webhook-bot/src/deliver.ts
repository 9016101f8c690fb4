// A signed GitHub delivery, as GitHub sends one: for the stories and screenshots that play GitHub's
// part, and for anyone testing their webhook by hand.
import { SIGNATURE_HEADER, signBody } from './signature'

export function deliverGithubEvent(
  url: string,
  secret: string,
  event: string,
  payload: unknown,
): Promise<Response> {
  const body = JSON.stringify(payload)
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      [SIGNATURE_HEADER]: signBody(secret, new TextEncoder().encode(body)),
    },
    body,
  })
}
