// axe.mjs - run axe-core in a page and fail when it finds WCAG 2.1 A or AA
// violations.
//
// axe's source is evaluated through the DevTools protocol rather than added
// as a <script> element: the portal's Content Security Policy
// (default-src 'self') would rightly block an inline script.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/** Run axe-core on `page`; return its violations, each with the failing nodes. */
export async function axeViolations (page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined')
  if (!loaded) {
    await page.evaluate(AXE_SOURCE)
  }
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations']
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary }))
    }))
  }, WCAG_TAGS)
}

/** Fail the calling test, listing each violation, when axe finds any. */
export async function assertAccessible (page) {
  const violations = await axeViolations(page)
  const report = violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    at ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`).join('\n')
  ).join('\n')
  assert.equal(violations.length, 0,
    `axe-core found ${violations.length} WCAG 2.1 AA violation(s) on ${page.url()}:\n${report}`)
}
