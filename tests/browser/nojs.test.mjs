// Progressive enhancement: with JavaScript off the pages still work.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { openBrowser, visit } from './browser.mjs'

describe('without JavaScript', () => {
  let context

  before(async () => { context = await openBrowser({ javaScriptEnabled: false }) })
  after(async () => { await context?.close() })

  test('start_page_shows_its_content_and_links_with_javascript_disabled', async () => {
    const { page, response } = await visit(context, '/')
    assert.equal(response.status(), 200)
    assert.equal(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported')), false,
      'portal.js did not run, so this really is the no-JavaScript page')
    assert.match(await page.locator('main h1').innerText(), /London Anti-Slavery Partner Portal/)
    for (const href of ['/training/', '/beds/', '/directory/', '/login']) {
      assert.equal(await page.locator(`nav a[href="${href}"]`).isVisible(), true, `navigation link ${href} visible`)
    }
    assert.equal(await page.locator('main a[href="/login"]').isVisible(), true, 'Sign in call to action visible')
    assert.equal(await page.locator('.govuk-phase-banner').isVisible(), true, 'demo banner visible')
    await page.close()
  })

  test('navigation_stays_usable_on_a_narrow_screen_with_javascript_disabled', async () => {
    const { page } = await visit(context, '/')
    await page.setViewportSize({ width: 360, height: 800 })
    // GOV.UK Frontend's "Menu" toggle needs JavaScript: without it the links show
    assert.equal(await page.locator('.govuk-service-navigation__toggle').isVisible(), false)
    assert.equal(await page.locator('nav a[href="/beds/"]').isVisible(), true)
    await page.close()
  })
})
