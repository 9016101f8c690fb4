import { describe, expect, it } from 'vitest'
import { mergeFeatureFlags } from './person'
import { CHROMIUM_FLAGS } from './flags'

describe('mergeFeatureFlags', () => {
  it('keeps one --disable-features switch with every feature, in first-seen place', () => {
    expect(
      mergeFeatureFlags([
        '--a',
        '--disable-features=X,Y',
        '--b',
        '--disable-features=Y,Z',
        '--enable-features=Q',
      ]),
    ).toEqual(['--a', '--disable-features=X,Y,Z', '--b', '--enable-features=Q'])
  })

  it('leaves the standard flags as they are', () => {
    expect(mergeFeatureFlags(CHROMIUM_FLAGS)).toEqual([...CHROMIUM_FLAGS])
  })
})
