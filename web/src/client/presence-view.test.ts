import { describe, expect, it } from 'vitest'
import { typingLine } from './presence-view'

describe('typing line', () => {
  it('one name, two names, several people, nobody', () => {
    expect(typingLine([])).toBeNull()
    expect(typingLine(['Bob'])).toEqual({ key: 'typingOne', params: { name: 'Bob' } })
    expect(typingLine(['Carol', 'Bob'])).toEqual({
      key: 'typingTwo',
      params: { first: 'Bob', second: 'Carol' },
    })
    expect(typingLine(['Carol', 'Bob', 'Dave'])).toEqual({ key: 'typingMany', params: {} })
  })
})
