// monitoring-report.test.mjs - the quarterly monitoring page (issue 18
// part 3) in the browser: a coordinator reaches it from /monitoring/,
// chooses a quarter with the GET form (no JavaScript needed), sees six
// sections each with an accessible chart (role="img", a title and the
// figures in words) and its tables, at desktop width and at 320 CSS px;
// printed to PDF by Chromium (CDP Page.printToPDF, A4 landscape, the
// page's own @page size preferred) it is one page a section, and in print
// no element is wider than the page nor a section taller than one.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'
import { call, session } from './api.mjs'
import { signIn } from './census.mjs'

const SECTIONS = ['Training', 'Bed holds', 'Unmet need', 'Cases responsiveness', 'Language', 'What partners say']
// A4 landscape less the stylesheet's 12 mm margins, in CSS px (96 a inch)
const MM = 96 / 25.4
const PAGE_WIDTH = Math.floor((297 - 24) * MM)
const PAGE_HEIGHT = Math.floor((210 - 24) * MM)

// Pages in a PDF: its page objects (Chromium writes each page's dictionary
// as plain text).
function pdfPages (pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) || []).length
}

describe('the monitoring figures page', () => {
  let context, page

  before(async () => {
    // something to show in the partners' section: a long observation, tagged and shared as a quote
    const coordinator = await session('coordinator')
    const text = 'Joint visits with the council worked well; the referral pathway was clear and quick ' +
      'and the interpreter arrived on time, which made the first conversation much calmer for everyone involved.'
    const sent = await call(coordinator, 'POST', '/api/v1/monitoring/observations', { text, borough: 'newham' })
    assert.equal(sent.status, 201, JSON.stringify(sent.body))
    const name = 'Joint visits with the council'
    const theme = await call(coordinator, 'POST', '/api/v1/monitoring/themes', { name })
    assert.ok([201, 409].includes(theme.status), JSON.stringify(theme.body))
    const themes = (await call(coordinator, 'GET', '/api/v1/monitoring/themes')).body.themes
    const tagged = await call(coordinator, 'PUT', `/api/v1/monitoring/texts/${sent.body.observation.id}/tags`,
      { themes: [String(themes.find((t) => t.name === name).id)], quote: true })
    assert.equal(tagged.status, 200, JSON.stringify(tagged.body))
    context = await openBrowser()
    page = (await visit(context, '/login')).page
    await signIn(page, 'coordinator')
  })
  after(async () => { await context?.close() })

  test('reached from /monitoring/, a quarter chosen with the form; every section a chart beside its tables', async () => {
    await page.goto(new URL('/monitoring/', page.url()).href)
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /^Monitoring figures/ }).click()])
    const options = await page.locator('#quarter option').allTextContents()
    assert.ok(options.length >= 8 && options.every((o) => /^[A-Z][a-z]+ to [A-Z][a-z]+ \d{4}$/.test(o)), options.join('|'))
    await page.selectOption('#quarter', { index: 1 })
    const chosen = await page.locator('#quarter option').nth(1).textContent()
    await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Show this quarter")')])
    assert.match(page.url(), /quarter=\d{4}-Q[1-4]/)
    assert.equal(await page.locator('h1').textContent(), `Monitoring figures: ${chosen}`)
    await page.goto(new URL('/monitoring/report', page.url()).href)
    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 })
      await assertAccessible(page)
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `no sideways scroll at ${width} px`)
    }
    const headings = await page.locator('main section h2').allTextContents()
    assert.deepEqual(headings.map((h) => h.split(':')[0]), SECTIONS)
    for (const s of await page.locator('main section').all()) {
      const svg = s.locator('svg[role="img"]')
      assert.equal(await svg.count(), 1)
      assert.ok((await svg.locator('title').textContent()).length > 10)
      assert.ok((await svg.locator('desc').textContent()).length > 10)
      assert.ok(await s.locator('table').count() >= 1)
    }
    assert.ok(await page.locator('main section#partners, main section[aria-labelledby="partners-heading"]').getByText('Joint visits with the council').count() >= 1)
  })

  test('printed to PDF: one A4 landscape page a section, nothing wider than the page nor a section taller', async () => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(new URL('/monitoring/report', page.url()).href)
    const cdp = await context.newCDPSession(page)
    const { data } = await cdp.send('Page.printToPDF', {
      landscape: true, paperWidth: 11.69, paperHeight: 8.27, preferCSSPageSize: true, printBackground: true
    })
    const pdf = Buffer.from(data, 'base64')
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    assert.equal(pdfPages(pdf), SECTIONS.length)
    // A4 landscape: each page's MediaBox 842 x 595 points
    const boxes = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g) || []
    assert.ok(boxes.length >= 1)
    for (const b of boxes) {
      const [w, h] = b.match(/([\d.]+) ([\d.]+)\s*\]$/).slice(1).map(Number)
      assert.ok(Math.abs(w - 842) < 2 && Math.abs(h - 595) < 2, b)
    }
    // the print layout at the page's width: no element wider, no section taller than a page
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize({ width: PAGE_WIDTH, height: PAGE_HEIGHT })
    const wide = await page.evaluate((width) => [...document.querySelectorAll('main *')]
      .filter((e) => e.getClientRects().length && (e.getBoundingClientRect().right > width + 1 || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'))
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`), PAGE_WIDTH)
    assert.deepEqual(wide, [])
    const tall = await page.evaluate((height) => [...document.querySelectorAll('main section')]
      .filter((s) => s.getBoundingClientRect().height > height)
      .map((s) => `${s.getAttribute('aria-labelledby')} ${Math.round(s.getBoundingClientRect().height)}`), PAGE_HEIGHT)
    assert.deepEqual(tall, [])
    await page.emulateMedia({ media: 'screen' })
  })
})
