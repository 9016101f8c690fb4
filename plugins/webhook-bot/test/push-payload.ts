// A GitHub `push` delivery body, trimmed to the fields GitHub documents for the event.
export function pushPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: 'b'.repeat(40),
    created: false,
    deleted: false,
    forced: false,
    compare: 'https://github.com/octo/harbour/compare/aaaaaaa...bbbbbbb',
    repository: { name: 'harbour', full_name: 'octo/harbour', html_url: 'https://github.com/octo/harbour' },
    pusher: { name: 'alice', email: 'alice@example.org' },
    sender: { login: 'alice' },
    commits: [
      {
        id: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
        message: 'Fix the lighthouse timer\n\nIt drifted by a minute a day.',
        url: 'https://github.com/octo/harbour/commit/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
        author: { name: 'Alice Quill', email: 'alice@example.org', username: 'alice' },
      },
      {
        id: 'ffeeddccbbaa99887766554433221100ffeeddcc',
        message: 'Add storm warnings',
        url: 'https://github.com/octo/harbour/commit/ffeeddccbbaa99887766554433221100ffeeddcc',
        author: { name: 'Bob', email: 'bob@example.org', username: 'bob' },
      },
    ],
    head_commit: null,
    ...overrides,
  }
}
