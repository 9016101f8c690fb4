// The email bot, on bot-kit:
// - an SMTP listener (smtp-server) on 127.0.0.1: every mail it accepts is parsed (mailparser) and
//   posted to one panel of one group (mail-message.ts), attachments up to a limit as files. The mail
//   is acknowledged (250) only once the message is in the relay's mailbox, so a sending server
//   retries what the bot could not post (451) instead of it being lost.
// - a daily digest: members say `!digest you@example.com` to the bot in any panel of a group it is
//   in (best in a direct-message group with it, where nobody else reads the address); from then on
//   messages that mention them are collected, and once a day each gets one mail (nodemailer over the
//   SMTP server configured in `smtp`) listing them. `!digest off` stops it and forgets the address.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'
import { simpleParser } from 'mailparser'
import { createTransport, type Transporter } from 'nodemailer'
import type { AddressInfo } from 'node:net'
import { cut, type Bot, type BotMessage } from '@tailmesh/bot-kit'
import { BLOB_LIMITS } from '@tailmesh/core'
import { DigestBook, digestText, parseDigestCommand } from './digest'
import { mailToMessage } from './mail-message'

export interface EmailBotOptions {
  /** Where received mail is posted. */
  groupId: string
  /** A text panel's id or name (default: the group's first text panel). */
  panel?: string
  /** The SMTP listener: default 127.0.0.1 on a free port (see `smtpPort`). */
  listen?: { host?: string; port?: number }
  /** Mails larger than this are refused with 552 (default 10 MiB). */
  maxMailBytes?: number
  /** Attachments larger than this are named, not posted (default and ceiling: 2 MiB, the mailbox's). */
  attachmentLimitBytes?: number
  /** Recipients the listener accepts (lower case); default any. */
  recipients?: string[]
  /** Where digests are sent from: an SMTP server nodemailer can use, and the From address. */
  smtp?: { host: string; port: number; secure?: boolean; auth?: { user: string; pass: string }; from: string }
  /** How often digests go out (default 24 h). */
  digestEveryMs?: number
}

export class EmailBot {
  private server: SMTPServer | null = null
  private port = 0
  private timer: ReturnType<typeof setInterval> | null = null
  private offMessages: (() => void) | null = null
  private readonly digests: DigestBook
  private readonly mailer: Transporter | null

  constructor(
    private readonly bot: Bot,
    private readonly options: EmailBotOptions,
  ) {
    this.digests = new DigestBook(bot.values('email-bot'))
    this.mailer = options.smtp
      ? createTransport({
          host: options.smtp.host,
          port: options.smtp.port,
          secure: options.smtp.secure ?? false,
          ...(options.smtp.auth ? { auth: options.smtp.auth } : {}),
        })
      : null
  }

  /** The SMTP listener's port. */
  get smtpPort(): number {
    if (!this.server) throw new Error('The email bot is not listening.')
    return this.port
  }

  async start(): Promise<void> {
    if (this.server) return
    const maxMailBytes = this.options.maxMailBytes ?? 10 * 1024 * 1024
    const server = new SMTPServer({
      // A local listener behind the site's MTA: no TLS or login of its own (README, "Deploying").
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      size: maxMailBytes,
      banner: 'Tailmesh email bot',
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const allowed = this.options.recipients
        if (allowed && !allowed.includes(address.address.toLowerCase()))
          return callback(new Error(`No mailbox here for ${address.address}`))
        callback()
      },
      onData: (stream, session, callback) => void this.receive(stream, session, callback),
    })
    server.on('error', (e) => console.error('tailmesh email bot: smtp:', e.message))
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject)
      server.listen(this.options.listen?.port ?? 0, this.options.listen?.host ?? '127.0.0.1', () => {
        server.server.off('error', reject)
        resolve()
      })
    })
    this.server = server
    this.port = (server.server.address() as AddressInfo).port
    this.offMessages = this.bot.onMessage((m) => this.heard(m))
    this.timer = setInterval(() => void this.sendDigests(), this.options.digestEveryMs ?? 86_400_000)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.offMessages?.()
    this.offMessages = null
    const server = this.server
    this.server = null
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
    this.mailer?.close()
  }

  private async receive(
    stream: SMTPServerDataStream,
    _session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): Promise<void> {
    const fail = (code: number, message: string) =>
      callback(Object.assign(new Error(message), { responseCode: code }))
    try {
      const chunks: Buffer[] = []
      for await (const chunk of stream) chunks.push(chunk as Buffer)
      if (stream.sizeExceeded) return fail(552, 'Message too large for this bot.')
      const mail = await simpleParser(Buffer.concat(chunks))
      const limit = Math.min(
        this.options.attachmentLimitBytes ?? BLOB_LIMITS.mailboxBytes,
        BLOB_LIMITS.mailboxBytes,
      )
      const message = mailToMessage(mail, limit)
      const panelId = this.panelId()
      const attachments = []
      for (const f of message.files)
        attachments.push(await this.bot.attach(this.options.groupId, f.bytes, { name: f.name, mime: f.mime }))
      await this.bot.send(this.options.groupId, panelId, message.text, {
        card: message.card,
        ...(attachments.length ? { attachments } : {}),
      })
      callback()
    } catch (e) {
      // Never the mail's content: only what failed. 451: the sender keeps the mail and tries again.
      console.error('tailmesh email bot: could not post a mail:', e instanceof Error ? e.message : e)
      fail(451, 'The bot could not post this mail now; try again later.')
    }
  }

  private panelId(): string {
    return this.bot.textPanel(this.options.groupId, this.options.panel)
  }

  /** A message someone sent where the bot is: a `!digest` command, or a mention to collect. */
  private async heard(m: BotMessage): Promise<void> {
    const command = parseDigestCommand(m.body)
    if (command) {
      let answer: string
      if ('bad' in command) answer = command.bad
      else if ('off' in command) {
        await this.digests.setAddress(m.author, null)
        answer = 'No more digests; I forgot your address.'
      } else {
        await this.digests.setAddress(m.author, {
          address: command.address,
          nickname: m.authorName ?? m.author.slice(0, 8),
        })
        answer = this.mailer
          ? 'Noted: a daily digest of your mentions will be mailed to the address you gave. `!digest off` stops it.'
          : 'Noted, but this bot has no outgoing mail server configured: no digest will be sent.'
      }
      await this.bot.send(m.groupId, m.panelId, answer, { replyTo: m.id })
      return
    }
    const group = this.bot.group(m.groupId)
    for (const userId of m.mentions?.users ?? [])
      await this.digests.add(userId, {
        groupName: group?.name ?? m.groupId,
        panelName: group?.panels.find((p) => p.id === m.panelId)?.name ?? m.panelId,
        authorName: m.authorName ?? m.author.slice(0, 8),
        body: cut(m.body, 500),
        at: Date.now(),
      })
  }

  /** Mails every member with an address the mentions collected since their last digest. */
  async sendDigests(): Promise<number> {
    if (!this.mailer || !this.options.smtp) return 0
    let sent = 0
    for (const userId of await this.digests.subscribers()) {
      const [to, mentions] = await Promise.all([this.digests.address(userId), this.digests.pending(userId)])
      if (!to || mentions.length === 0) continue
      try {
        await this.mailer.sendMail({
          from: this.options.smtp.from,
          to: to.address,
          subject: `Tailmesh: ${mentions.length === 1 ? '1 mention' : `${mentions.length} mentions`} since yesterday`,
          text: digestText(to.nickname, mentions),
        })
        await this.digests.clear(userId)
        sent++
      } catch (e) {
        // Kept for the next digest; the address is not logged.
        console.error('tailmesh email bot: a digest was not sent:', e instanceof Error ? e.message : e)
      }
    }
    return sent
  }
}
