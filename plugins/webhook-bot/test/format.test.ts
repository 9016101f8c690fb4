// GitHub push payloads as messages, and the signature check (no network).
import { describe, expect, it } from 'vitest'
import { formatPush, signBody, verifySignature } from '../src/index'
import { pushPayload } from './push-payload'

describe('GitHub push as a message', () => {
  it('says who pushed how many commits where, with a link per commit', () => {
    expect(formatPush(pushPayload())).toBe(
      [
        '**alice** pushed 2 commits to `main` of [octo/harbour](https://github.com/octo/harbour):',
        '- [1a2b3c4](https://github.com/octo/harbour/commit/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d) Fix the lighthouse timer — Alice Quill',
        '- [ffeeddc](https://github.com/octo/harbour/commit/ffeeddccbbaa99887766554433221100ffeeddcc) Add storm warnings — Bob',
      ].join('\n'),
    )
  })

  it('reads branch deletion, tags, force pushes and long pushes as such', () => {
    expect(formatPush(pushPayload({ deleted: true, commits: [] }))).toBe(
      '**alice** deleted branch `main` of [octo/harbour](https://github.com/octo/harbour)',
    )
    expect(formatPush(pushPayload({ ref: 'refs/tags/v1.0', created: true, commits: [] }))).toContain(
      'created tag `v1.0`',
    )
    expect(formatPush(pushPayload({ ref: 'refs/tags/v1.0' }))).toContain('pushed 2 commits to tag `v1.0`')
    expect(formatPush(pushPayload({ forced: true }))).toContain('force-pushed 2 commits')
    const many = Array.from({ length: 14 }, (_, i) => ({
      id: `${i}`.padStart(40, 'a'),
      message: `c${i}`,
      url: 'https://e.example/',
    }))
    const text = formatPush(pushPayload({ commits: many }))!
    expect(text).toContain('pushed 14 commits')
    expect(text.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(11)
    expect(text).toContain(
      '…and 4 more ([compare](https://github.com/octo/harbour/compare/aaaaaaa...bbbbbbb))',
    )
  })

  it('keeps payload text as text and links only http(s)', () => {
    const text = formatPush(
      pushPayload({
        sender: { login: '[evil](javascript:x)' },
        commits: [
          {
            id: 'abc',
            message: '![img](http://e.example/i.png) <b>@everyone</b>',
            url: 'javascript:alert(1)',
          },
        ],
      }),
    )!
    expect(text).not.toMatch(/\]\(javascript/)
    expect(text).toContain('\\!\\[img\\]')
    expect(text).toContain('- abc ')
  })

  it('returns null for what is not a push payload', () => {
    for (const p of [null, [], 'x', 42, {}, { ref: 5 }]) expect(formatPush(p)).toBeNull()
  })
})

describe('X-Hub-Signature-256', () => {
  const body = new TextEncoder().encode('{"a":1}')
  it('accepts the HMAC of the exact body under the secret, nothing else', () => {
    const header = signBody('s3cret', body)
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(verifySignature('s3cret', body, header)).toBe(true)
    expect(verifySignature('other', body, header)).toBe(false)
    expect(verifySignature('s3cret', new TextEncoder().encode('{"a":2}'), header)).toBe(false)
    for (const bad of [
      undefined,
      '',
      'sha256=',
      'sha1=' + 'a'.repeat(40),
      header.slice(0, -2),
      ['x'],
      header + '00',
    ])
      expect(verifySignature('s3cret', body, bad)).toBe(false)
  })
})
