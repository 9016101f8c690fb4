export { WebhookBot, type WebhookBotOptions } from './webhook-bot'
export { formatPush } from './github-push'
export { SIGNATURE_HEADER, signBody, verifySignature } from './signature'
export { formatGithubEvent, GITHUB_CARD, GITHUB_CARD_EVENTS, PayloadError } from './github-events'
