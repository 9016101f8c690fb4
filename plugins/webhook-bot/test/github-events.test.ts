// GitHub issues, pull requests, releases and comments over real HTTP, through the real relay, as
// card messages with links; a bad signature gets 401 and a payload that is not what its event says
// gets 400 naming what is missing, posting nothing.
import { describe, expect, it } from 'vitest'
import { botHarness } from '@tailmesh/bot-kit/test/harness'
import { eventually } from '@tailmesh/bot-kit/test/peers'
import { WebhookBot, deliverGithubEvent } from '../src/index'
import { githubPayloads } from './github-payloads'

const SECRET = 'the tide waits for no one'
const h = botHarness()

const deliver = (url: string, event: string, payload: unknown, secret = SECRET): Promise<Response> =>
  deliverGithubEvent(url, secret, event, payload)

describe('webhook bot: GitHub cards', () => {
  it('posts issues, pull requests, releases and comments as cards with links, and refuses bad ones', async () => {
    const alice = await h.person('alice', 'Harbour code')
    const bot = await h.startBot(h.tempDir('tailmesh-github-'), 'GitHub')
    const { groupId } = await bot.join(await alice.invite())
    const hook = new WebhookBot(bot, { groupId, panel: 'general', secret: SECRET })
    await hook.start()
    h.defer(() => hook.stop())

    for (const [event, payload] of Object.entries(githubPayloads))
      expect((await deliver(hook.url, event, payload)).status, event).toBe(201)
    const fromBot = () => alice.messages().filter((m) => m.author === bot.userId)
    await eventually('alice has the four cards', () => fromBot().length === 4)
    const [issue, pull, release, comment] = fromBot()

    expect(issue!.body).toBe(
      '🟢 **alice** opened issue [\\#12 Lamp flickers after midnight](https://github.com/octo/harbour/issues/12) in [octo/harbour](https://github.com/octo/harbour)\n' +
        '> It flickers every night \\*after\\* 00\\:00\\.',
    )
    expect(issue!.card).toMatchObject({
      pluginId: 'com.tailmesh.github',
      type: 'github',
      data: {
        event: 'issues',
        action: 'opened',
        kind: 'issue',
        number: 12,
        url: 'https://github.com/octo/harbour/issues/12',
      },
    })
    expect(pull!.body).toBe(
      '🟣 **bob** merged pull request [\\#13 Steady the lamp](https://github.com/octo/harbour/pull/13) in [octo/harbour](https://github.com/octo/harbour)',
    )
    expect(release!.body.split('\n')[0]).toBe(
      '🏷️ **alice** published release [Harbour 1\\.2](https://github.com/octo/harbour/releases/tag/v1.2.0) in [octo/harbour](https://github.com/octo/harbour)',
    )
    // A comment on a pull request links to the comment; its text cannot make links of its own.
    expect(comment!.body.split('\n')[0]).toBe(
      '💬 **carol** commented on pull request [\\#12 Lamp flickers after midnight](https://github.com/octo/harbour/pull/12#issuecomment-1) in [octo/harbour](https://github.com/octo/harbour)',
    )
    expect(comment!.body).toContain('\\[click\\]\\(javascript\\:alert\\(1\\)\\)')

    // A wrong signature: 401, said plainly.
    const forged = await deliver(hook.url, 'issues', githubPayloads.issues, 'not the secret')
    expect([forged.status, await forged.json()]).toEqual([
      401,
      { error: 'Missing or wrong X-Hub-Signature-256.' },
    ])
    // Payloads that are not what their event says: 400 naming what is missing.
    const noIssue = await deliver(hook.url, 'issues', { action: 'opened', repository: {} })
    expect([noIssue.status, await noIssue.json()]).toEqual([
      400,
      {
        error:
          'Not a GitHub issues payload: issue.number, issue.title and an http(s) issue.html_url are required.',
      },
    ])
    const noAction = await deliver(hook.url, 'release', { release: {} })
    expect(await noAction.json()).toEqual({ error: 'Not a GitHub release payload: action is required.' })
    const badUrl = await deliver(hook.url, 'issue_comment', {
      ...githubPayloads.issue_comment,
      comment: { html_url: 'javascript:alert(1)', body: 'x' },
    })
    expect([badUrl.status, ((await badUrl.json()) as { error: string }).error]).toEqual([
      400,
      'Not a GitHub issue_comment payload: an http(s) comment.html_url is required.',
    ])
    expect(fromBot()).toHaveLength(4)
  })
})
