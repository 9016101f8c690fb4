// axe-core in a page: the serious and critical accessibility violations on what the page shows now.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface Violation {
  id: string
  impact: string
  help: string
  targets: string[]
}

/** Runs axe on the whole document (WCAG 2.1 A and AA rules) and returns the serious and critical ones. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy refuses inline scripts, and
  // the DevTools protocol's evaluation is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  return page.evaluate(async () => {
    // axe is a global the evaluation above defined; the page's own types do not know it.
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<AxeResults> } }).axe
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
    }
    const results = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }))
  })
}
