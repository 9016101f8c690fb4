export { EmailBot, type EmailBotOptions } from './email-bot'
export { MAIL_CARD, mailToMessage, type MailMessage, type MailFile } from './mail-message'
export { DigestBook, digestText, parseDigestCommand, type Mention, type Subscription } from './digest'
