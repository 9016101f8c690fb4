// The email bot over real sockets: mail goes into the bot's own SMTP listener (sent by nodemailer)
// and comes out, through the real relay process, as a message in Alice's panel with its files; a
// daily digest of Alice's mentions goes out over SMTP to a local sink (an smtp-server instance).
import { simpleParser, type ParsedMail } from 'mailparser'
import { createTransport } from 'nodemailer'
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Bot } from '@tailmesh/bot-kit'
import { botHarness } from '@tailmesh/bot-kit/test/harness'
import { eventually, type Person } from '@tailmesh/bot-kit/test/peers'
import { EmailBot, type EmailBotOptions } from '../src/index'

const h = botHarness()

/** A local SMTP server that keeps what it receives. */
async function smtpSink(): Promise<{ port: number; mails: ParsedMail[] }> {
  const mails: ParsedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((m) => {
        mails.push(m)
        callback()
      }, callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  h.defer(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { port: (server.server.address() as AddressInfo).port, mails }
}

async function setup(options: Partial<EmailBotOptions> = {}) {
  const alice = await h.person('Alice', 'Harbour office')
  const bot = await h.startBot(h.tempDir('tailmesh-email-'), 'Mail')
  const { groupId } = await bot.join(await alice.invite())
  const sink = await smtpSink()
  const email = new EmailBot(bot, {
    groupId,
    panel: 'general',
    smtp: { host: '127.0.0.1', port: sink.port, from: 'bot@tailmesh.test' },
    ...options,
  })
  await email.start()
  h.defer(() => email.stop())
  const mailTo = createTransport({ host: '127.0.0.1', port: email.smtpPort, secure: false, ignoreTLS: true })
  h.defer(() => mailTo.close())
  return { alice, bot, email, sink, mailTo }
}

const fromBot = (alice: Person, bot: Bot) => alice.messages().filter((m) => m.author === bot.userId)

describe('email bot', () => {
  it('posts a received mail: sender, subject, HTML as plain text, small attachments as files', async () => {
    const { alice, bot, mailTo } = await setup({ attachmentLimitBytes: 1024 })
    const small = new TextEncoder().encode('tide tables\n'.repeat(8))
    await mailTo.sendMail({
      from: 'Ann Lee <ann@example.test>',
      to: 'harbour@tailmesh.test',
      subject: 'Résumé *for* the interview',
      html: '<p>Hello <b>team</b>,</p><script>alert(1)</script><p>see <a href="https://example.test/cv">my CV</a> &amp; notes.</p>',
      attachments: [
        { filename: 'tides.txt', content: Buffer.from(small), contentType: 'text/plain' },
        { filename: 'scan.bin', content: Buffer.alloc(4096, 7), contentType: 'application/octet-stream' },
      ],
    })
    await eventually('alice has the mail', () => fromBot(alice, bot).length === 1)
    const message = fromBot(alice, bot)[0]!
    const lines = message.body.split('\n')
    expect(lines[0]).toBe('📧 **Résumé \\*for\\* the interview**')
    expect(lines[1]).toBe('From: Ann Lee \\<ann\\@example\\.test\\>')
    expect(message.body).toContain('Hello team,')
    expect(message.body).toContain('see my CV \\[https\\:')
    expect(message.body).not.toMatch(/<b>|<script|alert/)
    expect(message.body).toContain('Not posted (over 1024 bytes or too many): scan\\.bin \\(4096 bytes\\)')
    expect(message.attachments?.map((a) => [a.name, a.mime, a.size])).toEqual([
      ['tides.txt', 'text/plain', small.length],
    ])
    // The same facts as a mail card's plain data (the app's mail card draws them as text).
    expect(message.card).toMatchObject({
      pluginId: 'com.tailmesh.email',
      type: 'mail',
      data: {
        subject: 'Résumé *for* the interview',
        from: { name: 'Ann Lee', address: 'ann@example.test' },
        files: 1,
        skipped: ['scan.bin (4096 bytes)'],
        cut: false,
      },
    })
    const cardText = String(message.card?.data.text)
    expect(cardText).toContain('Hello team,')
    expect(cardText).not.toMatch(/<b>|<script|alert/)
    // The file itself reaches Alice through the relay's mailbox.
    const hash = message.attachments![0]!.hash
    await eventually('alice holds the file', async () => (await alice.replica.blobs.get(hash)) !== undefined)
    expect(await alice.replica.blobs.get(hash)).toEqual(small)
  })

  it('refuses a mail over the size limit with 552 and posts nothing', async () => {
    const { alice, bot, mailTo } = await setup({ maxMailBytes: 2048 })
    await expect(
      mailTo.sendMail({
        from: 'a@example.test',
        to: 'b@tailmesh.test',
        subject: 'big',
        text: 'x'.repeat(8192),
      }),
    ).rejects.toMatchObject({ responseCode: 552 })
    await mailTo.sendMail({ from: 'a@example.test', to: 'b@tailmesh.test', subject: 'small', text: 'ok' })
    await eventually('the small one is posted', () => fromBot(alice, bot).length === 1)
    expect(fromBot(alice, bot)[0]!.body).toContain('**small**')
  })

  it('mails a daily digest of mentions to the address a member set with !digest', async () => {
    const { alice, bot, email, sink } = await setup()
    const bob = await h.startBot(h.tempDir('tailmesh-bob-'), 'Bob')
    await bob.join(await alice.invite())
    const groupId = alice.group.groupId

    await alice.group.actions.send(alice.general, '!digest alice@example.test')
    await eventually('the bot confirms', () => fromBot(alice, bot).some((m) => m.body.startsWith('Noted')))
    await eventually('bob is a member', () => bob.canPost(groupId, alice.general))
    await bob.send(groupId, alice.general, '@Alice the pilot boat is late', {
      mentions: { users: [alice.identity.userId] },
    })
    await bob.send(groupId, alice.general, 'nobody mentioned here')
    await eventually('the bot heard bob', () =>
      bot.history(groupId, alice.general).some((m) => m.body.startsWith('nobody')),
    )
    expect(await email.sendDigests()).toBe(1)
    await eventually('the sink has the digest', () => sink.mails.length === 1)
    const digest = sink.mails[0]!
    expect(digest.to && !Array.isArray(digest.to) ? digest.to.text : '').toBe('alice@example.test')
    expect(digest.subject).toBe('Tailmesh: 1 mention since yesterday')
    expect(digest.text).toContain('Hello Alice,')
    expect(digest.text).toContain('Harbour office · #general\nBob: @Alice the pilot boat is late')
    expect(digest.text).not.toContain('nobody mentioned')
    // Sent once: nothing new, nothing mailed.
    expect(await email.sendDigests()).toBe(0)

    await alice.group.actions.send(alice.general, '!digest off')
    await eventually('the bot stops', () =>
      fromBot(alice, bot).some((m) => m.body.startsWith('No more digests')),
    )
    await bob.send(groupId, alice.general, '@Alice again', { mentions: { users: [alice.identity.userId] } })
    await eventually('the bot heard it', () =>
      bot.history(groupId, alice.general).some((m) => m.body === '@Alice again'),
    )
    expect(await email.sendDigests()).toBe(0)
    expect(sink.mails).toHaveLength(1)
  })
})
