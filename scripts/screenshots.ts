// `npm run screenshots`: the main screens of the built app, in English and in Simplified Chinese, as
// two people use it through a real relay — written to docs/screenshots/<language>-<screen>.png and
// linked from the README. Not part of `npm test` (images change with every style tweak); run it when
// the UI changes and commit the pictures. Chinese text and emoji need fonts Chromium can use (Debian:
// fonts-wqy-microhei fonts-noto-color-emoji); without them the pictures show empty boxes.
// SCREENSHOTS_ONLY=whiteboard,chat writes only those screens (the story still runs through);
// SCREENSHOTS_ONLY=zh-CN-card only that language's.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { closeEveryone, launchPerson, repoRoot } from '../web/e2e/harness'
import { FAKE_MEDIA, createVoicePanel } from '../web/e2e/app/call-steps'
import { buildApp, startRelay } from '../web/e2e/app/relay'
import { backToGroup, founder, joinWith, openSettings, panelLink } from '../web/e2e/app/manage-steps'
import { chooseLanguage, copyInviteLink, openFromAccountMenu, send } from '../web/e2e/app/steps'
import { startExampleSite } from '../plugins/auth-verify/example/server'
import { Bot, type BotCard } from '../plugins/bot-kit/src/index'
import { EmailBot } from '../plugins/email-bot/src/index'
import { WebhookBot, deliverGithubEvent } from '../plugins/webhook-bot/src/index'
import { createTransport } from 'nodemailer'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

const out = join(repoRoot, 'docs', 'screenshots')
mkdirSync(out, { recursive: true })

const only = process.env.SCREENSHOTS_ONLY?.split(',')

async function shot(page: Page, language: string, screen: string): Promise<void> {
  if (only && !only.includes(screen) && !only.includes(`${language}-${screen}`)) return
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(out, `${language}-${screen}.png`) })
  console.log(`docs/screenshots/${language}-${screen}.png`)
}

const header = (p: Page, name: string) => p.getByRole('banner').getByRole('link', { name, exact: true })

/** Alice adds a Whiteboard panel and sketches on it; Bob's cursor hovers over his board. */
async function whiteboard(a: Page, b: Page): Promise<void> {
  await openSettings(a, 'Panels')
  const form = a.getByRole('form', { name: 'Create panel' })
  await form.getByLabel('Panel name').fill('watch plan')
  await form.getByLabel('Type').selectOption({ label: 'Whiteboard (plugin Whiteboard)' })
  await form.getByRole('button', { name: 'Create panel' }).click()
  await a.getByRole('link', { name: '← Back to the group' }).click()
  const link = (p: Page) =>
    p.getByRole('navigation', { name: 'Panels' }).getByRole('link', { name: /watch plan/ })
  await link(a).click()
  const canvas = a.getByRole('img', { name: /^Whiteboard: draw/ })
  await canvas.waitFor()
  const box = (await canvas.boundingBox())!
  const tool = (name: string) =>
    a.getByRole('toolbar', { name: 'Whiteboard tools' }).getByRole('button', { name, exact: true }).click()
  const drag = async (points: [number, number][]) => {
    await a.mouse.move(box.x + points[0]![0], box.y + points[0]![1])
    await a.mouse.down()
    for (const [x, y] of points.slice(1)) await a.mouse.move(box.x + x, box.y + y, { steps: 4 })
    await a.mouse.up()
  }
  await tool('Rectangle')
  await drag([
    [40, 40],
    [300, 200],
  ])
  await tool('Ellipse')
  await drag([
    [380, 60],
    [560, 200],
  ])
  await tool('Arrow')
  await drag([
    [300, 130],
    [380, 130],
  ])
  await tool('Pen')
  await drag(Array.from({ length: 40 }, (_, i): [number, number] => [60 + i * 8, 290 + Math.sin(i / 4) * 30]))
  await drag([
    [70, 110],
    [110, 90],
    [150, 120],
    [190, 90],
    [230, 115],
    [270, 100],
  ])
  await tool('Text')
  await a.mouse.click(box.x + 70, box.y + 55)
  await a.getByRole('textbox', { name: 'Text on the board' }).fill('Night watch')
  await a.keyboard.press('Enter')
  await tool('Sticky note')
  await a.mouse.click(box.x + 480, box.y + 240)
  await a.getByRole('textbox', { name: 'Sticky note text' }).fill('Radio check 21:00\nFuel: 3/4')
  await a.keyboard.press('Enter')
  await link(b).click({ timeout: 20_000 })
  const bobs = (await b.getByRole('img', { name: /^Whiteboard: draw/ }).boundingBox())!
  await b.mouse.move(bobs.x + 420, bobs.y + 380, { steps: 5 })
  await a
    .getByRole('list', { name: 'Others here' })
    .getByRole('listitem')
    .first()
    .waitFor({ timeout: 20_000 })
}

/**
 * Three people in a voice room with Chromium's fake camera and microphone (the moving test pattern),
 * in the light and the dark scheme; everyone leaves after.
 */
/** A sunrise drawn in the page, as a PNG (a real image for the viewer). */
async function sunrise(p: Page): Promise<Buffer> {
  const bytes = await p.evaluate(async () => {
    const canvas = new OffscreenCanvas(1200, 800)
    const ctx = canvas.getContext('2d')!
    const sky = ctx.createLinearGradient(0, 0, 0, 800)
    sky.addColorStop(0, '#264653')
    sky.addColorStop(0.6, '#f4a261')
    sky.addColorStop(1, '#e76f51')
    ctx.fillStyle = sky
    ctx.fillRect(0, 0, 1200, 800)
    ctx.fillStyle = '#ffd166'
    ctx.beginPath()
    ctx.arc(600, 560, 120, 0, Math.PI * 2)
    ctx.fill()
    ctx.fillStyle = '#1d3557'
    ctx.fillRect(0, 600, 1200, 200)
    ctx.fillStyle = '#f1faee'
    ctx.fillRect(880, 300, 60, 300)
    ctx.fillStyle = '#e63946'
    ctx.fillRect(870, 270, 80, 40)
    const blob = await canvas.convertToBlob({ type: 'image/png' })
    return [...new Uint8Array(await blob.arrayBuffer())]
  })
  return Buffer.from(bytes)
}

async function emojiAndImages(a: Page): Promise<void> {
  const row = a
    .getByRole('log', { name: 'Messages in general' })
    .getByRole('article')
    .filter({ hasText: 'night watch' })
  await row.hover()
  await row.getByRole('button', { name: 'Add reaction' }).click()
  const picker = a.getByRole('dialog', { name: 'Pick a reaction' })
  await picker.getByRole('tab', { name: 'Animals & nature' }).click()
  await picker.getByRole('button', { name: 'owl', exact: true }).waitFor()
  await shot(a, 'en', 'emoji-picker')
  await picker.getByRole('button', { name: 'owl', exact: true }).click()
  await a
    .locator('input[type="file"]')
    .first()
    .setInputFiles([{ name: 'sunrise.png', mimeType: 'image/png', buffer: await sunrise(a) }])
  await a.getByRole('list', { name: 'Files to send' }).waitFor()
  await send(a, 'Sunrise from the gallery :sunrise:')
  const open = a.getByRole('button', { name: 'Open image sunrise.png' })
  await open.waitFor()
  await open.click()
  await a.getByRole('dialog', { name: 'Image sunrise.png' }).getByRole('img').waitFor()
  await shot(a, 'en', 'image-viewer')
  await a.keyboard.press('Escape')
}

async function call(a: Page, b: Page, c: Page, invite: string): Promise<void> {
  await joinWith(c, invite, 'Carol')
  await createVoicePanel(a, 'watch room')
  for (const p of [a, b, c]) {
    await panelLink(p, 'watch room', '🔊').click({ timeout: 20_000 })
    await p.getByRole('button', { name: 'Join the call' }).click()
    await p.getByRole('toolbar', { name: 'Call controls' }).waitFor()
  }
  // Bob is muted, so one tile shows it; every tile shows moving video.
  await b.getByRole('button', { name: 'Mute microphone' }).click()
  await a.waitForFunction(
    () => [...document.querySelectorAll('video')].filter((v) => v.videoWidth > 0).length >= 3,
    undefined,
    { timeout: 30_000 },
  )
  await a.getByRole('group', { name: 'Bob', exact: true }).filter({ hasText: 'muted' }).waitFor()
  await shot(a, 'en', 'call')
  await a.emulateMedia({ colorScheme: 'dark' })
  await shot(a, 'en', 'call-dark')
  await a.emulateMedia({ colorScheme: 'light' })
  for (const p of [a, b, c]) await p.getByRole('button', { name: 'Leave the call' }).click()
}

/** The rota bot's card: a handover time to choose, then Approve or Reject (labels in one language). */
function rotaCard(label: { handover: string; approve: string; reject: string }): BotCard {
  return {
    controls: [
      {
        kind: 'select',
        id: 'handover',
        label: label.handover,
        options: [
          { value: '20', label: '20:00' },
          { value: '21', label: '21:00' },
        ],
      },
      { kind: 'button', id: 'approve', label: label.approve, style: 'primary' },
      { kind: 'button', id: 'reject', label: label.reject, style: 'danger' },
    ],
  }
}

/** A card from a bot that speaks Chinese, seen in Chinese (the app's words around it are the reader's). */
async function cardInChinese(b: Page, relayUrl: string): Promise<void> {
  const bot = await Bot.start({ dataDir: botDir, relay: relayUrl, name: 'Rota Bot' })
  try {
    const group = bot.groups()[0]!
    await bot.postCard(
      group.groupId,
      group.panels[0]!.id,
      '🕯️ **值班调换**：Bob 想把周四的夜班换到周五。',
      rotaCard({ handover: '交接时间', approve: '批准', reject: '拒绝' }),
    )
    const card = b.getByRole('group', { name: '此卡片上的操作' }).filter({ hasText: '批准' })
    await card.waitFor({ timeout: 20_000 })
    await card.getByRole('button', { name: '拒绝' }).scrollIntoViewIfNeeded()
    await b.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await shot(b, 'zh-CN', 'card')
  } finally {
    await bot.stop()
  }
}

/** The email and webhook bots' messages as the app draws them: a mail card and a GitHub card. */
async function botCards(a: Page, invite: string, relayUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tailmesh-shot-desk-'))
  const bot = await Bot.start({ dataDir: dir, relay: relayUrl, name: 'Harbour desk' })
  const { groupId } = await bot.join(invite)
  const email = new EmailBot(bot, { groupId })
  const hook = new WebhookBot(bot, { groupId, secret: 'screenshots' })
  try {
    await email.start()
    await hook.start()
    const mailer = createTransport({
      host: '127.0.0.1',
      port: email.smtpPort,
      secure: false,
      ignoreTLS: true,
    })
    await mailer.sendMail({
      from: 'Harbour master <master@harbour.example>',
      to: 'keepers@lighthouse.example',
      subject: 'Tide tables for March',
      text:
        'Hello keepers,\n\nthe spring tides come early this year: high water at 06:40 on the 4th, ' +
        'and the pilot boat leaves at dawn. The full tables are attached.\n\nFair winds,\nthe harbour master',
      attachments: [{ filename: 'tides-march.txt', content: 'high 06:40\nlow 12:52\n' }],
    })
    mailer.close()
    await deliverGithubEvent(hook.url, 'screenshots', 'pull_request', {
      action: 'closed',
      pull_request: {
        number: 7,
        title: 'Steady the lamp in strong wind',
        html_url: 'https://github.com/lighthouse/keeper/pull/7',
        state: 'closed',
        merged: true,
        body: 'Fixes the flicker after midnight.',
      },
      repository: { full_name: 'lighthouse/keeper', html_url: 'https://github.com/lighthouse/keeper' },
      sender: { login: 'alice' },
    })
    const github = a.getByRole('article', { name: /^GitHub: Pull request merged/ })
    await github.waitFor({ timeout: 20_000 })
    await a.getByRole('article', { name: /^Mail: Tide tables for March/ }).waitFor({ timeout: 20_000 })
    await github.scrollIntoViewIfNeeded()
    await shot(a, 'en', 'bot-cards')
  } finally {
    await hook.stop()
    await email.stop()
    await bot.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const botDir = mkdtempSync(join(tmpdir(), 'tailmesh-shot-bot-'))
await buildApp()
const relay = await startRelay()
try {
  const viewport = { width: 1280, height: 800 }
  // Fake camera and microphone for the call screens (harmless elsewhere).
  const media = { baseURL: relay.url, args: FAKE_MEDIA }
  const alice = await launchPerson('alice', media)
  const bob = await launchPerson('bob', media)
  const carol = await launchPerson('carol', media)
  const [a, b, c] = [alice.page, bob.page, carol.page]
  await a.setViewportSize(viewport)
  await b.setViewportSize(viewport)

  await a.goto('/')
  await a.getByRole('heading', { name: 'Welcome to Tailmesh' }).waitFor()
  await shot(a, 'en', 'welcome')

  const link = await founder(a, 'Alice', 'Lighthouse keepers')
  await joinWith(b, link, 'Bob')
  await send(a, 'Morning! The **lamp** is lit and the log is up to date.')
  await send(b, 'Thanks @Alice — I will take the night watch.')
  await send(a, 'Checklist:\n- fuel\n- lens\n- `radio check` at 21:00')
  await a.getByText('radio check').first().waitFor({ timeout: 15_000 })
  await shot(a, 'en', 'chat')
  // The same in the dark scheme, and on a phone (390×844): one column, then its drawer.
  await a.emulateMedia({ colorScheme: 'dark' })
  await shot(a, 'en', 'chat-dark')
  await a.emulateMedia({ colorScheme: 'light' })
  await a.setViewportSize({ width: 390, height: 844 })
  await shot(a, 'en', 'phone-chat')
  await a.getByRole('button', { name: 'Panel list' }).click()
  await shot(a, 'en', 'phone-drawer')
  await a.keyboard.press('Escape')
  await a.setViewportSize(viewport)
  // A member's profile card, from the member list.
  await a.getByRole('region', { name: 'Members' }).getByRole('button', { name: /^Bob/ }).click()
  await a.getByRole('dialog', { name: 'Profile of Bob' }).waitFor()
  await shot(a, 'en', 'profile-card')
  await a.keyboard.press('Escape')
  // The emoji picker, open on a reaction, searching; then an image in the image viewer.
  await emojiAndImages(a)
  const aliceGroup = a.url()

  // A bot's card with buttons and a select (bot-kit), as the app draws it.
  const bot = await Bot.start({ dataDir: botDir, relay: relay.url, name: 'Rota Bot' })
  try {
    const { groupId, panels } = await bot.join(link)
    await bot.postCard(
      groupId,
      panels[0]!.id,
      '🕯️ **Night watch swap**: Bob asks to take Friday instead of Thursday.',
      rotaCard({ handover: 'Handover time', approve: 'Approve', reject: 'Reject' }),
    )
    await a.getByRole('group', { name: 'Actions on this card' }).waitFor({ timeout: 20_000 })
    await a.getByRole('button', { name: 'Reject' }).scrollIntoViewIfNeeded()
    await shot(a, 'en', 'card')
  } finally {
    await bot.stop()
  }

  // The calendar plugin: a weekly event with a link, and Bob's RSVP counted on Alice's screen.
  await openSettings(a, 'Panels')
  const panelForm = a.getByRole('form', { name: 'Create panel' })
  await panelForm.getByLabel('Panel name').fill('watch rota')
  await panelForm.getByLabel('Type').selectOption({ label: 'Calendar (plugin Calendar)' })
  await panelForm.getByRole('button', { name: 'Create panel' }).click()
  await backToGroup(a)
  await panelLink(a, 'watch rota', '🧩').click()
  const calendar = a.getByRole('region', { name: 'watch rota' })
  await calendar.getByRole('button', { name: 'New event' }).click()
  const eventForm = calendar.getByRole('form', { name: 'New event' })
  await eventForm.getByLabel('Title').fill('Lamp maintenance live stream')
  await eventForm.getByLabel('Repeats every week').check()
  await eventForm.getByLabel('Link (stream, meeting)').fill('https://live.example/lighthouse')
  await eventForm
    .getByLabel('Description')
    .fill('Cleaning the lens and trimming the wick, with questions at the end.')
  await eventForm.getByRole('button', { name: 'Save event' }).click()
  const stream = (p: Page) => p.getByRole('article', { name: 'Lamp maintenance live stream' }).first()
  await panelLink(b, 'watch rota', '🧩').click({ timeout: 20_000 })
  await stream(b).getByRole('button', { name: 'Going', exact: true }).click({ timeout: 20_000 })
  await stream(a).getByText('1 going').waitFor({ timeout: 20_000 })
  await shot(a, 'en', 'calendar')
  const groupAddress = a.url()

  await openSettings(a, 'Roles')
  await shot(a, 'en', 'settings-roles')
  for (const [name, screen] of [
    ['Inbox', 'inbox'],
    ['Friends', 'friends'],
  ] as const) {
    await header(a, name).click()
    await a.getByRole('heading', { level: 1 }).first().waitFor()
    await shot(a, 'en', screen)
  }
  // Devices and plugins are in the account menu (the avatar at the bottom of the panel column).
  for (const [name, screen] of [
    ['Devices', 'devices'],
    ['Plugins', 'plugins'],
  ] as const) {
    await openFromAccountMenu(a, name)
    await a.getByRole('heading', { level: 1 }).first().waitFor()
    await shot(a, 'en', screen)
  }
  await a.goto(groupAddress)
  await whiteboard(a, b)
  await shot(a, 'en', 'whiteboard')
  if (!only || only.includes('call') || only.includes('call-dark')) await call(a, b, c, link)

  await chooseLanguage(b, '中文')
  // Bob's #general (the group's address lands on its first text panel), nothing focused.
  await b.goto(b.url().replace(/(#\/groups\/[^/?]+).*/, '$1'))
  await b.getByRole('heading', { name: '# general', level: 1 }).waitFor()
  await b.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await shot(b, 'zh-CN', 'chat')
  await b.emulateMedia({ colorScheme: 'dark' })
  await shot(b, 'zh-CN', 'chat-dark')
  await b.emulateMedia({ colorScheme: 'light' })
  await b.setViewportSize({ width: 390, height: 844 })
  await shot(b, 'zh-CN', 'phone-chat')
  await b.setViewportSize(viewport)
  await b.goto(b.url().replace(/#\/groups\/([^/]+).*/, '#/groups/$1/settings'))
  await shot(b, 'zh-CN', 'group-settings')
  await b.goto('/')
  await shot(b, 'zh-CN', 'home')

  // Sign in with Tailmesh: the app's prompt over a web panel showing the example site.
  const site = await startExampleSite()
  try {
    await a.goto(aliceGroup)
    await openSettings(a, 'Panels')
    const form = a.getByRole('form', { name: 'Create panel' })
    await form.getByLabel('Panel name').fill('roster')
    await form.getByLabel('Type').selectOption({ label: 'Web page' })
    await form.getByLabel('Web page URL').fill(site.url)
    await form.getByRole('button', { name: 'Create panel' }).click()
    await a.getByRole('link', { name: '← Back to the group' }).click()
    await a
      .getByRole('navigation', { name: 'Panels' })
      .getByRole('link', { name: /roster/ })
      .click()
    await a.frameLocator('iframe[sandbox]').getByRole('button', { name: 'Sign in with Tailmesh' }).click()
    await a.getByRole('dialog').waitFor()
    await shot(a, 'en', 'sign-in-prompt')
    await a.keyboard.press('Escape')
    await chooseLanguage(a, '中文')
    // The panel is drawn again in the new language: let its new frame's page load.
    await a.waitForTimeout(1500)
    await a.frameLocator('iframe[sandbox]').getByRole('button', { name: 'Sign in with Tailmesh' }).click()
    await a.getByRole('dialog').waitFor()
    await shot(a, 'zh-CN', 'sign-in-prompt')
    await a.keyboard.press('Escape')
  } finally {
    await site.close()
  }

  // Alice reads Chinese now: a bot's card in Chinese; then, in English, the bots' cards.
  await a.goto(aliceGroup)
  await cardInChinese(a, relay.url)
  await chooseLanguage(a, 'English')
  const invite = await copyInviteLink(a)
  await a.reload() // the sidebar without the copied link
  await botCards(a, invite, relay.url)
} finally {
  await closeEveryone()
  await relay.stop()
  rmSync(botDir, { recursive: true, force: true })
}
process.exit(0)
