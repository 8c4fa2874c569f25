// Sign-in through the pages: the form, its errors, the signed-in start page,
// sign-out.  Works the same with JavaScript off (plain form posts).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'

describe('sign-in pages', () => {
  let context

  before(async () => { context = await openBrowser() })
  after(async () => { await context?.close() })

  test('sign_in_page_has_a_labelled_form_and_no_axe_violations', async () => {
    const { page, response, problems } = await visit(context, '/login')
    assert.equal(response.status(), 200)
    assert.equal(await page.getByLabel('Username').count(), 1)
    assert.equal(await page.getByLabel('Password').count(), 1)
    await assertAccessible(page)
    assert.deepEqual(problems, [])
    await page.close()
  })

  test('an empty password shows the error summary, focusable, with no axe violations', async () => {
    const { page } = await visit(context, '/login')
    await page.getByLabel('Username').fill('responder.police')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState('load')
    const summary = page.locator('.govuk-error-summary')
    assert.equal(await summary.isVisible(), true)
    // the summary names what is missing (the password), linked to its field
    const links = summary.locator('a')
    assert.equal(await links.count(), 1)
    assert.equal(await links.first().innerText(), 'Enter your password')
    assert.equal(await links.first().getAttribute('href'), '#password')
    assert.doesNotMatch(await summary.innerText(), /username/i, 'the username was given: the summary does not ask for it')
    assert.match(await page.locator('#password-error').innerText(), /Enter your password/)
    assert.equal(await page.getByLabel('Username').inputValue(), 'responder.police', 'the username is kept')
    await assertAccessible(page)
    await page.close()
  })

  test('an empty form lists both fields in the summary, in the form\'s order, each linked to its field', async () => {
    const { page } = await visit(context, '/login')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState('load')
    const links = page.locator('.govuk-error-summary a')
    assert.deepEqual(await links.allInnerTexts(), ['Enter your username', 'Enter your password'])
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['#username', '#password'])
    assert.equal(await page.locator('h1').innerText(), 'Sign in')
    await page.close()
  })

  test('a wrong password says so without saying which part was wrong', async () => {
    const { page } = await visit(context, '/login')
    await page.getByLabel('Username').fill('responder.police')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState('load')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /username or password is not right/)
    await page.close()
  })

  test('a responder signs in, sees their name, agency and features, and signs out', async () => {
    const { page } = await visit(context, '/login')
    await page.getByLabel('Username').fill('responder.police')
    await page.getByLabel('Password').fill('Demo-Portal-1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/$/)
    const main = await page.locator('main').innerText()
    assert.match(main, /Priya Shah/)
    assert.match(main, /Metropolitan Police Service/)
    assert.match(await page.locator('header').innerText(), /Sign out/)
    await assertAccessible(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForLoadState('load')
    assert.match(await page.locator('header').innerText(), /Sign in/)
    assert.doesNotMatch(await page.locator('main').innerText(), /Priya Shah/)
    const cookies = await context.cookies()
    assert.equal(cookies.filter((c) => c.name === 'portal_session' && c.value).length, 0, 'the cookie is cleared')
    await page.close()
  })

  test('sign-in works with JavaScript off and returns to the page asked for', async () => {
    const nojs = await openBrowser({ javaScriptEnabled: false })
    try {
      const { page } = await visit(nojs, '/login?next=%2Flogin%3Fx%3D1')
      await page.getByLabel('Username').fill('coordinator')
      await page.getByLabel('Password').fill('Demo-Portal-1')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForLoadState('load')
      assert.match(await page.locator('main').innerText(), /Jo Campbell/)
    } finally {
      await nojs.close()
    }
  })
})
