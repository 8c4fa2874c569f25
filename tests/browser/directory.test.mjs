// The referral-pathway directory in a browser: a responder filters by
// language and exploitation type, opens a service and sees how to refer;
// NGO staff propose a change; the coordinator approves it and it appears
// in search.  axe-core checks every page on the way.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl, visit } from './browser.mjs'

const A_SERVICE = '5e000000-0000-4000-8000-000000000001'
const NEW_NAME = `Women's safehouse referrals, renamed ${Date.now()} (demo)`

// Sign in through the page; returns the page.
async function signIn (context, username) {
  const { page } = await visit(context, '/login?next=%2Fdirectory%2F')
  await page.fill('#username', username)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign in")')])
  return page
}

describe('directory', () => {
  let responder, ngo, coordinator

  before(async () => {
    responder = await openBrowser()
    ngo = await openBrowser()
    coordinator = await openBrowser()
  })
  after(async () => {
    await responder?.close()
    await ngo?.close()
    await coordinator?.close()
  })

  test('responder_filters_by_language_and_exploitation_opens_a_service_and_sees_how_to_refer', async () => {
    const page = await signIn(responder, 'responder.police')
    assert.match(page.url(), /\/directory\/$/)
    assert.equal(await page.locator('h1').innerText(), 'Find a specialist partner')
    await assertAccessible(page)
    await page.click('summary:has-text("Language")')
    await page.check('#language-sq')
    await page.click('summary:has-text("Exploitation type")')
    await page.check('#exploitation-criminal')
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Apply filters")')])
    assert.match(page.url(), /language=sq/)
    assert.match(page.url(), /exploitation=criminal/)
    const count = await page.locator('#results-count').innerText()
    assert.match(count, /^\d+ services found$/)
    const names = await page.locator('[data-portal="results"] h3').allInnerTexts()
    assert.ok(names.includes('Albanian youth outreach (demo)'), names.join(', '))
    assert.ok(!names.includes('Vietnamese casework (demo)'), 'a service without Albanian is filtered out')
    assert.equal(await page.locator('#language-sq').isChecked(), true)
    await assertAccessible(page)
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Albanian youth outreach (demo)")')])
    assert.equal(await page.locator('h1').innerText(), 'Albanian youth outreach (demo)')
    assert.equal(await page.locator('#how-to-refer').isVisible(), true)
    const steps = await page.locator('ol.govuk-list--number li').allInnerTexts()
    assert.ok(steps.length >= 2)
    assert.match(await page.locator('main').innerText(), /Referral contact/)
    await assertAccessible(page)
  })

  test('ngo_staff_propose_a_change_that_waits_for_approval', async () => {
    const page = await signIn(ngo, 'ngo.a')
    await page.goto(`${portalUrl()}/directory/services/${A_SERVICE}`)
    await Promise.all([page.waitForNavigation(), page.click('a.govuk-button:has-text("Change this service")')])
    await assertAccessible(page)
    await page.fill('#name', NEW_NAME)
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send change")')])
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /sent to the coordinators/)
    assert.notEqual(await page.locator('h1').innerText(), NEW_NAME, 'not shown until approved')
    await assertAccessible(page)
  })

  test('coordinator_approves_the_change_and_it_appears_in_search', async () => {
    const page = await signIn(coordinator, 'coordinator')
    await page.goto(`${portalUrl()}/directory/changes`)
    await assertAccessible(page)
    const section = page.locator('section', { hasText: NEW_NAME })
    assert.equal(await section.count(), 1)
    assert.match(await section.locator('table').innerText(), /changed/)
    await Promise.all([page.waitForNavigation(), section.locator('button:has-text("Approve")').click()])
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /approved/)
    await page.goto(`${portalUrl()}/directory/?q=renamed`)
    const names = await page.locator('[data-portal="results"] h3').allInnerTexts()
    assert.ok(names.includes(NEW_NAME), names.join(', '))
    await assertAccessible(page)
  })
})
