// The bot cards' data read into what they show: in both languages, untrusted fields kept as text,
// links only to http(s), and data that is not a card's refused (the message body shows instead).
import { pickLocale, type Locale, type LocaleStrings } from '@tailmesh/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { readGithubCard } from './github-read'
import { readMailCard } from './mail-read'

const t = (locale: Locale) => (s: LocaleStrings) => pickLocale(s, locale)

const issue = {
  event: 'issues',
  action: 'opened',
  actor: 'alice',
  kind: 'issue',
  title: '#12 Lamp flickers',
  url: 'https://github.com/octo/harbour/issues/12',
  repo: 'octo/harbour',
  repoUrl: 'https://github.com/octo/harbour',
  number: 12,
  state: 'open',
  excerpt: 'The lamp flickers after midnight',
}

describe('GitHub cards', () => {
  it('say what happened, by whom and where, with links, in English and Chinese', () => {
    expect(readGithubCard(issue, t('en'))).toEqual({
      label: 'GitHub: Issue opened: #12 Lamp flickers',
      icon: '🟢',
      what: 'Issue opened',
      title: '#12 Lamp flickers',
      url: 'https://github.com/octo/harbour/issues/12',
      by: 'by alice',
      repo: 'octo/harbour',
      repoUrl: 'https://github.com/octo/harbour',
      state: 'open',
      excerpt: 'The lamp flickers after midnight',
    })
    expect(readGithubCard({ ...issue, kind: 'pull request', action: 'merged' }, t('zh-CN'))).toMatchObject({
      label: 'GitHub：拉取请求已合并：#12 Lamp flickers',
      icon: '🟣',
      by: '由 alice',
      state: '开启',
    })
    expect(readGithubCard({ ...issue, event: 'issue_comment', action: 'commented on' }, t('en'))?.what).toBe(
      'Comment on issue',
    )
    // A verb the card has no word for is shown as GitHub said it.
    expect(readGithubCard({ ...issue, action: 'labeled' }, t('zh-CN'))?.what).toBe('议题labeled')
  })

  it('link only to http(s); a card without kind, title or action is not drawn', () => {
    const v = readGithubCard({ ...issue, url: 'javascript:alert(1)', repoUrl: 'data:text/html,x' }, t('en'))
    expect([v?.url, v?.repoUrl]).toEqual([null, null])
    expect(readGithubCard({ ...issue, title: '<img src=x onerror=alert(1)>' }, t('en'))?.title).toBe(
      '<img src=x onerror=alert(1)>', // text, put in with textContent
    )
    expect(readGithubCard({ ...issue, kind: 'gist' }, t('en'))).toBeNull()
    expect(readGithubCard({ ...issue, title: 42 }, t('en'))).toBeNull()
    expect(readGithubCard({}, t('en'))).toBeNull()
  })
})

describe('mail cards', () => {
  const mail = {
    subject: 'Résumé for the interview',
    from: { name: 'Ann Lee', address: 'ann@example.test' },
    date: Date.UTC(2025, 2, 4, 9, 30),
    text: 'Hello team,\nsee my CV.',
    cut: false,
    files: 1,
    skipped: ['scan.bin (4096 bytes)'],
  }

  it('show subject, sender, text and files, in English and Chinese', () => {
    expect(readMailCard(mail, t('en'))).toEqual({
      label: 'Mail: Résumé for the interview, from Ann Lee <ann@example.test>',
      subject: 'Résumé for the interview',
      from: 'From: Ann Lee <ann@example.test>',
      date: mail.date,
      text: 'Hello team,\nsee my CV.',
      cut: false,
      files: '1 file attached below',
      skipped: 'Not posted: scan.bin (4096 bytes)',
    })
    expect(readMailCard({ ...mail, files: 3, from: {} }, t('zh-CN'))).toMatchObject({
      from: '发件人：未知发件人',
      files: '附件 3 个（见下方）',
      skipped: '未发布：scan.bin (4096 bytes)',
    })
  })

  it('a card without a subject is not drawn; odd fields are left out', () => {
    expect(readMailCard({ ...mail, subject: '' }, t('en'))).toBeNull()
    expect(
      readMailCard({ subject: 'x', from: 'not an object', files: 'two', date: 'today' }, t('en')),
    ).toMatchObject({
      from: 'From: an unknown sender',
      files: null,
      date: null,
      text: '',
    })
  })
})
