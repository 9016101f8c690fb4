// The cast of an app story: the built app served by a real relay process and one Chromium person
// (own profile) per name. Registers the suite's hooks: start before all, and after each test no error
// in any page (except those `tolerated` says are expected at that moment); close and clean up after all.
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { closeEveryone, launchPerson, type Person } from '../harness'
import { buildApp, startRelay, type RelayOptions, type RunningRelay } from './relay'

export interface Cast {
  relay: RunningRelay
  people: Person[]
  person(name: string): Person
}

export function castOnRelay(
  names: string[],
  options: {
    tolerated?: (error: string) => boolean
    args?: string[]
    /** The relay's extra flags and environment, asked for when the story starts. */
    relay?: () => Promise<Pick<RelayOptions, 'args' | 'env'>>
  } = {},
): Cast {
  const cast = { people: [] as Person[] } as unknown as Cast & { people: Person[] }
  cast.person = (name) => {
    const p = cast.people.find((x) => x.name === name)
    if (!p) throw new Error(`no person named ${name} in this story`)
    return p
  }
  beforeAll(async () => {
    await buildApp()
    cast.relay = await startRelay((await options.relay?.()) ?? {})
    for (const name of names)
      cast.people.push(
        await launchPerson(name, {
          baseURL: cast.relay.url,
          ...(options.args ? { args: options.args } : {}),
        }),
      )
  }, 180_000)
  afterAll(async () => {
    await closeEveryone()
    await cast.relay?.stop()
    if (cast.relay) rmSync(cast.relay.dataDir, { recursive: true, force: true })
  })
  afterEach(() => {
    for (const p of cast.people) {
      const errors = p.errors.splice(0).filter((e) => !options.tolerated?.(e))
      expect(errors, `errors in ${p.name}'s page`).toEqual([])
    }
  })
  return cast
}
