import { describe, expect, it } from 'vitest'
import { filterPlaces, fuzzyScore, type Place } from './places'

const place = (label: string, group = 'Team', kind: Place['kind'] = 'panel'): Place => ({
  key: `${group}/${label}`,
  kind,
  groupId: group,
  panelId: label,
  label,
  group,
  text: true,
})

describe('the quick switcher’s fuzzy filter', () => {
  it('matches letters in order, not necessarily together, and refuses the rest', () => {
    expect(fuzzyScore('gnrl', '#general')).toBeGreaterThan(0)
    expect(fuzzyScore('xyz', '#general')).toBe(-1)
    expect(fuzzyScore('GEN', '#general')).toBeGreaterThan(0)
  })

  it('ranks a word-start run above scattered letters, and finds a panel by its group’s name', () => {
    const places = [place('#design-engineering'), place('#general'), place('Book club', 'Book club', 'group')]
    expect(filterPlaces(places, 'gen')[0]?.label).toBe('#general')
    expect(filterPlaces(places, 'book').map((p) => p.label)).toEqual(['Book club'])
    expect(filterPlaces(places, 'team gen')[0]?.label).toBe('#general')
    expect(filterPlaces(places, '')).toHaveLength(3)
  })
})
