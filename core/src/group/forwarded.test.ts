// A forwarded message's record: who wrote the original, where, and (`from`) the original's ids, so a
// reader in that group can open it. Every peer validates it alike.
import { describe, expect, it } from 'vitest'
import { Identity } from '../identity/identity'
import { RecordError, validateMessage } from './records'

describe('forwarded messages', () => {
  it('carry the original ids in `from`; a malformed `from` is refused', async () => {
    const { userId } = await Identity.create()
    const message = (forwarded: unknown) => ({ author: userId, hlc: 1, body: 'hi', forwarded })
    const base = { author: userId, name: 'Bob', where: '#hiring' }
    expect(validateMessage(message(base)).forwarded).toEqual(base)
    const from = { group: 'g'.repeat(22), panel: 'hiring-panel', message: 'm1' }
    expect(validateMessage(message({ ...base, from })).forwarded?.from).toEqual(from)
    for (const bad of [
      { group: 'g' },
      { ...from, extra: 1 },
      { ...from, message: '' },
      { ...from, panel: 'p'.repeat(65) },
    ])
      expect(() => validateMessage(message({ ...base, from: bad }))).toThrow(RecordError)
  })
})
