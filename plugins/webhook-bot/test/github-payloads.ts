// GitHub deliveries of the events the bot draws as cards, trimmed to the fields GitHub documents.
const repository = { full_name: 'octo/harbour', html_url: 'https://github.com/octo/harbour' }
const issue = {
  number: 12,
  title: 'Lamp flickers after midnight',
  html_url: 'https://github.com/octo/harbour/issues/12',
  state: 'open',
  body: 'It flickers\nevery night *after* 00:00.',
}
const pull = {
  number: 13,
  title: 'Steady the lamp',
  html_url: 'https://github.com/octo/harbour/pull/13',
  state: 'closed',
  merged: true,
  body: 'Fixes #12',
}

export const githubPayloads = {
  issues: { action: 'opened', issue, repository, sender: { login: 'alice' } },
  pull_request: { action: 'closed', pull_request: pull, repository, sender: { login: 'bob' } },
  release: {
    action: 'published',
    release: {
      tag_name: 'v1.2.0',
      name: 'Harbour 1.2',
      html_url: 'https://github.com/octo/harbour/releases/tag/v1.2.0',
      body: 'Storm warnings and a steady lamp.',
    },
    repository,
    sender: { login: 'alice' },
  },
  issue_comment: {
    action: 'created',
    issue: { ...issue, pull_request: { url: 'https://api.github.com/repos/octo/harbour/pulls/12' } },
    comment: {
      html_url: 'https://github.com/octo/harbour/pull/12#issuecomment-1',
      body: 'Looks good [click](javascript:alert(1))',
    },
    repository,
    sender: { login: 'carol' },
  },
} as const
