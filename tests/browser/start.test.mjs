// The start page at /: what a signed-out partner sees first.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'

const SERVICE_NAME = 'London Anti-Slavery Partner Portal'

describe('start page', () => {
  let context, page, response, problems

  before(async () => {
    context = await openBrowser()
    ;({ page, response, problems } = await visit(context, '/'))
  })
  after(async () => { await context?.close() })

  test('start_page_answers_200_with_the_service_name_in_title_and_header', async () => {
    assert.equal(response.status(), 200)
    assert.match(await page.title(), new RegExp(SERVICE_NAME))
    const home = page.locator('header a[href="/"]')
    assert.equal((await home.innerText()).trim(), SERVICE_NAME)
    assert.equal(await page.locator('header img, header svg').count(), 0, 'no crown or logo in the header')
  })

  test('start_page_shows_the_demo_data_banner', async () => {
    const banner = page.locator('.govuk-phase-banner')
    assert.equal(await banner.isVisible(), true)
    const text = await banner.innerText()
    assert.match(text, /Demo data/)
    assert.match(text, /fictional/)
  })

  test('start_page_links_to_training_beds_and_directory', async () => {
    const main = page.locator('main')
    for (const [href, name] of [['/training/', 'Training'], ['/beds/', 'Safehouse beds'], ['/directory/', 'Referral directory']]) {
      const inMain = main.locator(`a[href="${href}"]`)
      assert.equal(await inMain.count(), 1, `one link to ${href} in the page body`)
      assert.equal((await inMain.innerText()).trim(), name)
      assert.equal(await page.locator(`nav a[href="${href}"]`).count(), 1, `navigation links to ${href}`)
    }
  })

  test('start_page_offers_sign_in_when_signed_out', async () => {
    const start = page.locator('main a.govuk-button--start[href="/login"]')
    assert.equal(await start.count(), 1)
    assert.match(await start.innerText(), /Sign in/)
    assert.equal(await page.locator('nav a[href="/login"]').count(), 1)
    assert.equal(await page.locator('form[action="/logout"]').count(), 0, 'no sign-out form when signed out')
  })

  test('start_page_states_the_safe_reporting_rules_and_says_victims_not_claims', async () => {
    const text = await page.locator('body').innerText()
    assert.match(text, /Never enter a victim's name, date of birth, nationality or immigration status/)
    assert.match(text, /No safehouse address is stored/)
    assert.match(text, /victims and survivors/)
    assert.doesNotMatch(text, /\bclaim/i, 'the portal speaks of what people state, never what they "claim"')
  })

  test('start_page_has_no_wcag_21_aa_violations', async () => {
    await assertAccessible(page)
  })

  test('start_page_has_no_inline_script_and_no_csp_violation', async () => {
    const inline = await page.evaluate(() => {
      const found = []
      for (const script of document.querySelectorAll('script')) {
        if (!script.src) found.push(`<script> without src: ${script.textContent.slice(0, 60)}`)
      }
      for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name)) found.push(`${element.tagName} ${attribute.name}`)
          if (/^\s*javascript:/i.test(attribute.value)) found.push(`${element.tagName} ${attribute.name}=javascript:`)
        }
      }
      return found
    })
    assert.deepEqual(inline, [])
    const scripts = await page.locator('script').evaluateAll((s) => s.map((e) => [e.type, e.getAttribute('src')]))
    assert.deepEqual(scripts, [['module', '/static/portal.js']])
    assert.deepEqual(problems, [], 'no console errors, CSP violations or failed requests')
  })

  test('start_page_loads_the_stylesheet_with_arial_and_runs_portal_js', async () => {
    const style = await page.evaluate(() => {
      const body = getComputedStyle(document.body)
      const h1 = getComputedStyle(document.querySelector('h1'))
      return { body: body.fontFamily, h1: h1.fontFamily, h1Weight: h1.fontWeight, margin: body.marginTop }
    })
    assert.match(style.body, /arial/i)
    assert.match(style.h1, /arial/i)
    assert.doesNotMatch(style.body + style.h1, /GDS Transport/i)
    assert.equal(style.h1Weight, '700', 'govuk-heading-xl is bold: the stylesheet applied')
    assert.equal(style.margin, '0px', 'govuk-template__body resets the margin')
    const stylesheet = await page.evaluate(() => [...document.styleSheets].map((s) => s.href))
    assert.ok(stylesheet.some((href) => href && href.endsWith('/static/portal.css')))
    // portal.js (an ES module) marks the body once GOV.UK Frontend can run
    await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'), null, { timeout: 5000 })
  })

  test('start_page_on_a_narrow_screen_has_no_wcag_21_aa_violations', async () => {
    const narrow = await context.newPage()
    await narrow.setViewportSize({ width: 360, height: 800 })
    await narrow.goto(page.url())
    // GOV.UK Frontend collapses the navigation behind a "Menu" button
    const menu = narrow.locator('.govuk-service-navigation__toggle')
    assert.equal(await menu.isVisible(), true)
    await assertAccessible(narrow)
    await menu.click()
    assert.equal(await narrow.locator('nav a[href="/beds/"]').isVisible(), true, 'Menu opens the navigation')
    await assertAccessible(narrow)
    await narrow.close()
  })

  test('skip_link_is_first_and_moves_focus_to_main_content', async () => {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => ({ text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href') }))
    assert.deepEqual(focused, { text: 'Skip to main content', href: '#main-content' })
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main-content')
  })
})
