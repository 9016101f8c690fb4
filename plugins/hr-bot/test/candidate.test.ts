// The HR bot's pure parts: the `!candidate` command, the card's text and the decision line.
import { describe, expect, it } from 'vitest'
import { candidateText, decisionLine, parseCandidateCommand, passedText } from '../src/index'

describe('HR bot text', () => {
  it('reads `!candidate Name | Role` and the résumé on the lines after it', () => {
    expect(parseCandidateCommand('!candidate Ann Lee | Product designer\n# Ann Lee\n\n- 5 years')).toEqual({
      name: 'Ann Lee',
      role: 'Product designer',
      resume: '# Ann Lee\n\n- 5 years',
    })
    expect(parseCandidateCommand('!candidate Bo | Chef')).toEqual({ name: 'Bo', role: 'Chef', resume: '' })
    expect(parseCandidateCommand('hello')).toBeNull()
    expect(parseCandidateCommand('!candidates Ann | x')).toBeNull()
    expect(parseCandidateCommand('!candidate Ann Lee')).toMatchObject({ bad: /Name \| Role/ })
    expect(parseCandidateCommand(`!candidate ${'x'.repeat(61)} | Chef`)).toMatchObject({ bad: /at most 60/ })
  })

  it('escapes what a recruiter typed, and says who decided when', () => {
    expect(candidateText({ name: 'Ann [Lee](javascript:x)', role: '*Chef*' })).toBe(
      '**Ann \\[Lee\\]\\(javascript\\:x\\)** applied for *\\*Chef\\**. The résumé goes to the interview panel once approved.',
    )
    const at = Date.UTC(2025, 2, 4, 10, 2)
    expect(decisionLine(true, 'Alice Lead', at, 'UTC')).toBe('Approved by Alice Lead · 10:02')
    expect(decisionLine(false, 'Alice Lead', at, 'Asia/Shanghai')).toBe('Rejected by Alice Lead · 18:02')
    expect(passedText({ name: 'Ann Lee' })).toBe('Ann Lee passed the first review; interview invitation sent')
  })
})
