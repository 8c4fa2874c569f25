// Error pages: an unknown path gets a real page inside the layout.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'

describe('page not found', () => {
  let context, page, response, problems

  before(async () => {
    context = await openBrowser()
    ;({ page, response, problems } = await visit(context, '/no-such-page-' + process.pid))
  })
  after(async () => { await context?.close() })

  test('unknown_path_answers_404_with_page_not_found_in_the_layout', async () => {
    assert.equal(response.status(), 404)
    assert.match(response.headers()['content-type'] || '', /^text\/html/)
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Page not found')
    assert.match(await page.title(), /London Anti-Slavery Partner Portal/)
    assert.equal(await page.locator('header a[href="/"]').count(), 1, 'header with the service name')
    assert.equal(await page.locator('footer').count(), 1)
    assert.match(await page.locator('main').innerText(), /check it is correct/)
  })

  test('not_found_page_is_styled_and_has_no_csp_violation', async () => {
    assert.match(await page.evaluate(() => getComputedStyle(document.body).fontFamily), /arial/i)
    const csp = problems.filter((p) => /Content Security Policy|uncaught|request failed/i.test(p))
    assert.deepEqual(csp, [])
  })

  test('not_found_page_has_no_wcag_21_aa_violations', async () => {
    await assertAccessible(page)
  })
})
