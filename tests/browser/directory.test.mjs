// The referral-pathway directory in a browser: a responder filters by
// language and exploitation type, opens a service and sees how to refer;
// NGO staff propose a change; the coordinator approves it and it appears
// in search; a mistake on the change form keeps what was typed; a
// coordinator writes a pathway; a responder suggests an edit and the
// owner sees it; organisation pages.  axe-core checks every page on the way.
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

  test('a_mistake_on_the_change_form_keeps_what_was_typed', async () => {
    const { page } = await visit(ngo, `/directory/services/${A_SERVICE}/edit`)
    await page.fill('#name', 'Typed but not saved (demo)')
    await page.fill('#description', '')
    await page.check('#languages-vi')
    await page.check('#client_groups-men')
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send change")')])
    assert.match(await page.locator('.govuk-error-summary').innerText(), /There is a problem/)
    assert.doesNotMatch(await page.locator('main').innerText(), /back button/)
    assert.equal(await page.inputValue('#name'), 'Typed but not saved (demo)')
    assert.equal(await page.locator('#languages-vi').isChecked(), true)
    assert.equal(await page.locator('#client_groups-men').isChecked(), true)
    assert.match(await page.locator('#description-error').innerText(), /description/i)
    await assertAccessible(page)
    // the summary's link takes the person to the field
    await page.click('.govuk-error-summary a[href="#description"]')
    assert.equal(await page.evaluate(() => document.activeElement.id), 'description')
    // fixing the field sends the change
    await page.fill('#description', 'Referrals for women to a safehouse.')
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send change")')])
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /sent to the coordinators/)
  })

  test('coordinator_writes_a_pathway_with_a_saved_search', async () => {
    const { page } = await visit(coordinator, '/directory/pathways')
    await assertAccessible(page)
    const examples = await page.locator('[data-portal="pathways"] li', { hasText: '(example)' }).allInnerTexts()
    assert.ok(examples.length >= 3)
    for (const e of examples) assert.match(e, /Example, not guidance/)
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Write a pathway")')])
    assert.equal(await page.locator('h1').innerText(), 'Write a referral pathway')
    await assertAccessible(page)
    await page.fill('#title', 'Survivor needing Vietnamese-language support')
    await page.fill('#summary', 'For partners meeting a Vietnamese-speaking survivor.')
    await page.fill('#step_text_1', 'Ask which language the person prefers.')
    await page.fill('#step_text_2', 'Find Vietnamese-speaking partners.')
    await page.fill('#step_search_2', `${portalUrl()}/directory/?language=vi`)
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save pathway")')])
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /saved/)
    assert.equal(await page.locator('h1').innerText(), 'Survivor needing Vietnamese-language support')
    assert.equal(await page.locator('.govuk-warning-text').count(), 0, 'not marked as an example')
    const steps = await page.locator('[data-portal="steps"] li').allInnerTexts()
    assert.equal(steps.length, 2)
    assert.match(steps[1], /Find Vietnamese-speaking partners\. Find these services/)
    await assertAccessible(page)
    // change it: the form holds the saved steps
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Change this pathway")')])
    assert.equal(await page.inputValue('#step_search_2'), 'language=vi')
    await assertAccessible(page)
    await page.fill('#step_text_3', 'Refer with your own case reference only.')
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Save pathway")')])
    assert.equal(await page.locator('[data-portal="steps"] li').count(), 3)
    // the saved search opens the directory with it
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Find these services")')])
    assert.equal(await page.locator('#language-vi').isChecked(), true)
    const names = await page.locator('[data-portal="results"] h3').allInnerTexts()
    assert.ok(names.includes('Vietnamese casework (demo)'), names.join(', '))
  })

  test('a_responder_suggests_an_edit_and_the_owner_sees_it', async () => {
    const note = `The referral line now closes at 6pm (${Date.now()})`
    const { page } = await visit(responder, `/directory/services/${A_SERVICE}`)
    assert.match(await page.locator('#text-hint').innerText(), /Do not enter anything about a victim/)
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send suggestion")')])
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter your suggestion/)
    await assertAccessible(page)
    await page.fill('#text', note)
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Send suggestion")')])
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /goes to the service's owner/)
    await assertAccessible(page)

    const owner = (await visit(ngo, '/directory/suggestions')).page
    const row = owner.locator('[data-portal="suggestion"]', { hasText: note })
    assert.equal(await row.count(), 1)
    assert.match(await row.innerText(), /Priya Shah of Metropolitan Police Service at (?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day/)
    assert.doesNotMatch(await row.innerText(), /responder\.police/)
    await assertAccessible(owner)
    await Promise.all([owner.waitForNavigation(), row.locator('button:has-text("Mark as dealt with")').click()])
    assert.match(await owner.locator('.govuk-notification-banner').innerText(), /dealt with/)
    assert.equal(await owner.locator('[data-portal="suggestion"]', { hasText: note }).count(), 0)
    await assertAccessible(owner)
  })

  test('organisation_page_lists_its_services_and_its_staff_propose_a_change', async () => {
    const { page } = await visit(responder, `/directory/services/${A_SERVICE}`)
    await Promise.all([page.waitForNavigation(), page.click('.govuk-caption-l a')])
    assert.match(page.url(), /\/directory\/organisations\//)
    const services = await page.locator('[data-portal="services"] li').allInnerTexts()
    assert.ok(services.length >= 1)
    assert.equal(await page.locator('a:has-text("Change this organisation")').count(), 0)
    await assertAccessible(page)
    const orgUrl = new URL(page.url()).pathname
    const list = (await visit(responder, '/directory/organisations')).page
    // 20 a page, the GOV.UK pagination to the rest
    assert.equal(await list.locator('[data-portal="organisations"] li').count(), 20)
    assert.match(await list.locator('.govuk-pagination').innerText(), /Page 1 of 2/)
    await assertAccessible(list)
    await Promise.all([list.waitForNavigation(), list.click('.govuk-pagination__next a')])
    assert.ok((await list.locator('[data-portal="organisations"] li').count()) >= 5)
    assert.match(await list.locator('.govuk-pagination').innerText(), /Page 2 of 2/)
    await assertAccessible(list)

    const own = (await visit(ngo, orgUrl)).page
    await Promise.all([own.waitForNavigation(), own.click('a:has-text("Change this organisation")')])
    await assertAccessible(own)
    await own.fill('#email', 'not an email')
    await Promise.all([own.waitForNavigation(), own.click('button:has-text("Send change")')])
    assert.equal(await own.inputValue('#email'), 'not an email')
    assert.match(await own.locator('#email-error').innerText(), /name@example\.org/)
    await assertAccessible(own)
    const email = `referrals-${Date.now()}@example.org`
    await own.fill('#email', email)
    await Promise.all([own.waitForNavigation(), own.click('button:has-text("Send change")')])
    assert.match(await own.locator('.govuk-notification-banner').innerText(), /sent to the coordinators/)

    const review = (await visit(coordinator, '/directory/changes')).page
    assert.equal(await review.locator('section', { hasText: email }).count(), 1)
    assert.match(await review.locator('#verification-due').innerText(), /Not verified for 6 months/)
    await assertAccessible(review)
  })
})
