// The SVG export: a well-formed document (checked by a real XML parser) holding every element, drawn
// with the same outlines as the canvas, with hostile text escaped.
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import type { BoardElement } from './element'
import { boardSvg, frameOf } from './export'
import { pathData } from './geometry'
import { penStroke, shape, stickyAt, textAt } from './tools'

const who = { by: 'alice', color: '#1e66f5', size: 6 }

describe('SVG export', () => {
  it('is well-formed and holds every stroke, shape, text and sticky note', () => {
    const pen = penStroke(
      Array.from({ length: 30 }, (_, i) => [100 + i * 4, 50 + (i % 5) * 3] as const),
      who,
    )!
    const elements: BoardElement[] = [
      pen,
      shape('rect', [0, 0], [80, 40], who),
      shape('ellipse', [200, 0], [260, 60], who),
      shape('arrow', [0, 100], [120, 160], who),
      shape('line', [0, 200], [50, 200], who),
      textAt([10, 300], 'Plan <b>"A"</b> & more\nline two', who),
      stickyAt([300, 300], 'Ship </svg><script>x</script>', who),
    ]
    const svg = boardSvg(elements)
    expect(XMLValidator.validate(svg)).toBe(true)
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as {
      svg: { path: { '@_d': string }[]; text: unknown; g: unknown }
    }
    const paths = parsed.svg.path.map((p) => p['@_d'])
    // The pen stroke's perfect-freehand outline and each shape's path, as the canvas draws them.
    for (const el of elements.slice(0, 5)) expect(paths).toContain(pathData(el))
    expect(pathData(pen)).toMatch(/^M-?[\d.]+ -?[\d.]+Q[-\d. ]+Z$/)
    expect(svg).toContain('Plan &lt;b&gt;&quot;A&quot;&lt;/b&gt; &amp; more')
    expect(svg).toContain('line two')
    expect(svg).not.toContain('<script>')
    // The frame holds everything.
    const f = frameOf(elements)
    expect(f.minX).toBeLessThan(0)
    expect(f.maxX).toBeGreaterThan(300 + 180)
  })

  it('a blank board exports an empty, well-formed page', () => {
    expect(XMLValidator.validate(boardSvg([]))).toBe(true)
  })
})
