// A mail as a message and its card, without sockets: the card carries the mail's plain text, cut
// until its JSON fits core's card limit whatever the text holds (quotes and newlines grow in JSON).
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { PLUGIN_LIMITS } from '@tailmesh/core'
import { mailToMessage } from '../src/index'

const mail = (text: string) =>
  simpleParser(
    [
      'From: Ann Lee <ann@example.test>',
      'Subject: Tides',
      'Date: Tue, 4 Mar 2025 09:30:00 +0000',
      '',
      text,
    ].join('\r\n'),
  )

describe('mail cards', () => {
  it('a short mail: its whole text, the sender and the date', async () => {
    const { card } = mailToMessage(await mail('High water at 06:40.'), 1024)
    expect(card).toEqual({
      pluginId: 'com.tailmesh.email',
      type: 'mail',
      data: {
        subject: 'Tides',
        from: { name: 'Ann Lee', address: 'ann@example.test' },
        date: Date.UTC(2025, 2, 4, 9, 30),
        files: 0,
        text: 'High water at 06:40.',
        cut: false,
      },
    })
  })

  it('a long mail full of quotes and line breaks: cut, and the card still fits', async () => {
    const { card, text } = mailToMessage(await mail('"quoted" \\ line\r\n'.repeat(2000)), 1024)
    expect(JSON.stringify(card.data).length).toBeLessThanOrEqual(PLUGIN_LIMITS.cardJson)
    expect(card.data.cut).toBe(true)
    expect(String(card.data.text).startsWith('"quoted" \\ line\n"quoted"')).toBe(true)
    expect(text.length).toBeLessThanOrEqual(4000)
  })
})
