// The email and GitHub bots' story in the browser: Alice, in Chromium, adds a bot to her group by
// invite link; it runs the email bot (an SMTP listener) and the webhook bot (GitHub deliveries, signed).
// A mail sent by nodemailer and a signed `pull_request` delivery become cards in her chat, drawn by
// the app's built-in mail and GitHub card plugins: named articles, the mail's HTML as text (its script
// is not run, nor shown as markup), the long text behind "Show the whole mail", the attachment as a
// file, and the pull request's title linking to GitHub. In Chinese the cards speak Chinese.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTransport } from 'nodemailer'
import { afterAll, describe, expect, it } from 'vitest'
import { Bot } from '@tailmesh/bot-kit'
import { EmailBot } from '@tailmesh/email-bot'
import { WebhookBot, deliverGithubEvent } from '@tailmesh/webhook-bot'
import { castOnRelay } from './app/cast'
import { chooseLanguage, chooseNickname, copyInviteLink, createGroup, unnamedControls } from './app/steps'

const cast = castOnRelay(['alice'])
const SECRET = 'harbour-webhook-secret'
let bot: Bot | null = null
let email: EmailBot | null = null
let hook: WebhookBot | null = null
const botDir = mkdtempSync(join(tmpdir(), 'tailmesh-mail-github-'))
afterAll(async () => {
  await hook?.stop()
  await email?.stop()
  await bot?.stop()
  rmSync(botDir, { recursive: true, force: true })
})

const pullRequest = {
  action: 'closed',
  pull_request: {
    number: 7,
    title: 'Fix the fog horn',
    html_url: 'https://github.com/octo/harbour/pull/7',
    state: 'closed',
    merged: true,
    body: 'Fixes #6',
  },
  repository: { full_name: 'octo/harbour', html_url: 'https://github.com/octo/harbour' },
  sender: { login: 'bob' },
}

describe('story: mail and GitHub as cards', () => {
  it('a mail and a merged pull request reach the chat as cards, in English and Chinese', async () => {
    const page = cast.person('alice').page
    await page.goto('/')
    await chooseNickname(page, 'Alice Harbour')
    await createGroup(page, 'Harbour office')
    const link = await copyInviteLink(page)
    bot = await Bot.start({ dataDir: botDir, relay: cast.relay.url, name: 'Harbour bots' })
    const { groupId } = await bot.join(link)
    email = new EmailBot(bot, { groupId, panel: 'general' })
    await email.start()
    hook = new WebhookBot(bot, { groupId, panel: 'general', secret: SECRET })
    await hook.start()

    const mailer = createTransport({
      host: '127.0.0.1',
      port: email.smtpPort,
      secure: false,
      ignoreTLS: true,
    })
    const para = 'The spring tides come early this year, so the pilot boat leaves at dawn. '
    await mailer.sendMail({
      from: 'Ann Lee <ann@example.test>',
      to: 'office@harbour.test',
      subject: 'Tide tables for March',
      html: `<p>Hello <b>team</b>,</p><script>window.mailRan = true</script><p>${para.repeat(8)}</p>`,
      attachments: [{ filename: 'tides.txt', content: 'high 06:40\nlow 12:52\n', contentType: 'text/plain' }],
    })
    mailer.close()
    const answer = await deliverGithubEvent(hook.url, SECRET, 'pull_request', pullRequest)
    expect(answer.status).toBe(201)

    // The mail card: subject, sender, the text as text, the rest behind a button, the file below.
    const mail = page.getByRole('article', {
      name: 'Mail: Tide tables for March, from Ann Lee <ann@example.test>',
    })
    await mail.getByRole('heading', { name: 'Tide tables for March' }).waitFor({ timeout: 20_000 })
    await mail.getByText('From: Ann Lee <ann@example.test>').waitFor()
    await expect.poll(() => mail.textContent()).toContain('Hello team,')
    expect(await mail.textContent()).not.toMatch(/<b>|<script|mailRan/)
    expect(await page.evaluate(() => (window as { mailRan?: boolean }).mailRan)).toBeUndefined()
    const more = mail.getByRole('button', { name: 'Show the whole mail' })
    expect(await more.getAttribute('aria-expanded')).toBe('false')
    await more.click()
    await mail.getByRole('button', { name: 'Show less' }).waitFor()
    expect((await mail.textContent())!.split('spring tides').length - 1).toBe(8)
    await mail.getByText('1 file attached below').waitFor()
    await page.getByText('tides.txt').first().waitFor({ timeout: 20_000 })

    // The GitHub card: what happened, the title linking to the pull request, who and where.
    const github = page.getByRole('article', { name: 'GitHub: Pull request merged: #7 Fix the fog horn' })
    const title = github.getByRole('link', { name: '#7 Fix the fog horn' })
    await title.waitFor({ timeout: 20_000 })
    expect(await title.getAttribute('href')).toBe('https://github.com/octo/harbour/pull/7')
    expect(await title.getAttribute('rel')).toBe('noopener noreferrer')
    expect(await github.getByRole('link', { name: 'octo/harbour' }).getAttribute('href')).toBe(
      'https://github.com/octo/harbour',
    )
    await github.getByText('by bob').waitFor()
    expect(await unnamedControls(page)).toEqual([])

    // In Chinese, the same cards in Chinese.
    await chooseLanguage(page, '中文')
    await page
      .getByRole('article', { name: 'GitHub：拉取请求已合并：#7 Fix the fog horn' })
      .waitFor({ timeout: 20_000 })
    const mailZh = page.getByRole('article', { name: /^邮件：Tide tables for March，发件人 Ann Lee/ })
    await mailZh.getByRole('button', { name: '显示全文' }).waitFor()
  })
})
