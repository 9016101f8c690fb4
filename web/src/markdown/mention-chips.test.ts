import { describe, expect, it } from 'vitest'
import { withMentionChips } from './mention-chips'

const chips = {
  users: [{ label: 'Ann Lee', userId: 'u-ann' }],
  panels: [{ label: 'general', href: '#/groups/g1/p1' }],
}

describe('mention chips', () => {
  it('wraps the real mentions, leaves look-alikes, code and links as they are', () => {
    const html =
      '<p>hi @Ann Lee and @Annabel, see #general; not #generally</p>\n' +
      '<p><code>@Ann Lee</code> <a href="https://x.test">@Ann Lee</a></p>\n'
    expect(withMentionChips(html, chips)).toBe(
      '<p>hi <button type="button" class="mention" data-mention="user" data-user-id="u-ann">@Ann Lee</button> and @Annabel, see ' +
        '<a class="mention" data-mention="panel" href="#/groups/g1/p1">#general</a>; not #generally</p>\n' +
        '<p><code>@Ann Lee</code> <a href="https://x.test">@Ann Lee</a></p>\n',
    )
  })

  it('escapes what it adds, and leaves a body without mentions untouched', () => {
    const out = withMentionChips('<p>@&lt;b&gt; x</p>', {
      users: [{ label: '<b>', userId: 'u"x' }],
      panels: [],
    })
    expect(out).toBe(
      '<p><button type="button" class="mention" data-mention="user" data-user-id="u&quot;x">@&lt;b&gt;</button> x</p>',
    )
    expect(withMentionChips('<p>@Ann</p>', { users: [], panels: [] })).toBe('<p>@Ann</p>')
  })
})
