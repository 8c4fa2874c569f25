// language-notes.test.mjs - the language guide on case notes and on the
// directory's free text, in the browser (issue 18 item 4).  With JavaScript
// the notes show as a unit officer types a case update and as a responder
// types a suggestion; without it, the page after saving (an NGO's reply to
// a case, an NGO's change to its service's description) shows each term
// with its preferred wording and reason and a way to change the text, and
// the save went through.  Every page passes pageTextProblems at desktop
// width and at 320 CSS px, and axe-core where JavaScript runs.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { call, session } from './api.mjs'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { signIn } from './census.mjs'
import { pageTextProblems } from './pagetext.mjs'

const SAID = 'she claims she was plugging'
const A_SERVICE = '5e000000-0000-4000-8000-000000000001' // Demo Safehouse Charity A's

// A new page of `context` signed in as `user` (the context's other
// sign-in forgotten first).
async function pageAs (context, user) {
  await context.clearCookies()
  const page = await context.newPage()
  await signIn(page, user)
  return page
}

async function checkPage (page, axe) {
  for (const width of [1024, 320]) {
    await page.setViewportSize({ width, height: 800 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
    if (axe) await assertAccessible(page)
  }
  await page.setViewportSize({ width: 1024, height: 800 })
}

async function submit (page, button, axe) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(`main button:has-text("${button}")`)])
  await checkPage(page, axe)
  return res
}

// What the page after saving says: both terms, the preferred words, a reason.
function savedNotes (text) {
  assert.match(text, /The language guide found words to change/)
  assert.match(text, /You wrote “claims”: say “states”/)
  assert.match(text, /You wrote “plugging”: say “coerced internal concealment”/)
  assert.match(text, /shows disbelief/)
}

describe('the language guide on what partners write', () => {
  let withJs, noJs, caseId

  before(async () => {
    withJs = await openBrowser()
    noJs = await openBrowser({ javaScriptEnabled: false })
    const ngo = await session('ngo.a')
    const shared = await call(ngo, 'POST', '/api/v1/cases', {
      reference: `NOTES-${Date.now() % 100000}`, shared_on: '2026-11-30', channel: 'phone', unit: 'north-east',
      borough: 'newham', exploitation_types: ['criminal'], contact_consent: true, wants: ['outcome'] })
    assert.equal(shared.status, 201)
    caseId = shared.body.case.id
    const ack = await call(await session('police.northeast'), 'POST', `/api/v1/cases/${caseId}/acknowledge`, { police_reference: 'MET-NOTES-1' })
    assert.equal(ack.status, 200)
  })
  after(async () => {
    await withJs?.close()
    await noJs?.close()
  })

  test('a unit officer with JavaScript sees the notes as they type a case update, posts it anyway, and the page after says them again', async () => {
    const page = await pageAs(withJs, 'police.northeast')
    await page.goto(`${portalUrl()}/cases/${caseId}`)
    await checkPage(page, true)
    await page.selectOption('#status', 'allocated')
    await page.fill('#note', SAID)
    await page.locator('#note-language-notes li').nth(1).waitFor()
    const live = await page.locator('#note-language-notes').innerText()
    assert.match(live, /You wrote “claims”: say “states”/)
    assert.match(live, /say “coerced internal concealment”/)
    const res = await submit(page, 'Post the update', true)
    assert.equal(res.status(), 200)
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Your update is posted/)
    const text = await page.locator('main').innerText()
    savedNotes(text)
    assert.match(await page.locator('[data-cases="timeline"]').innerText(), /she claims she was plugging/)
    await page.close()
  })

  test('an NGO without JavaScript replies to the case: saved, and the page shows the notes and the form to write it again', async () => {
    const page = await pageAs(noJs, 'ngo.a')
    await page.goto(`${portalUrl()}/cases/${caseId}`)
    await checkPage(page, false)
    await page.fill('#note', `Thank you. To be clear, ${SAID}`)
    await submit(page, 'Post the reply', false)
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Your reply is posted/)
    savedNotes(await page.locator('main').innerText())
    assert.match(await page.locator('[data-cases="timeline"]').innerText(), /To be clear, she claims she was plugging/)
    assert.equal(await page.locator('main a[href="#note"]').innerText(), 'Write the note again with other words')
    assert.equal(await page.inputValue('#note'), `Thank you. To be clear, ${SAID}`)
    await page.close()
  })

  test('a responder with JavaScript sees the notes as they type a suggestion, sends it, and the service page says them again', async () => {
    const page = await pageAs(withJs, 'responder.police')
    await page.goto(`${portalUrl()}/directory/services/${A_SERVICE}`)
    await checkPage(page, true)
    await page.fill('#text', `The steps assume ${SAID}`)
    await page.locator('#text-language-notes li').nth(1).waitFor()
    assert.match(await page.locator('#text-language-notes').innerText(), /You wrote “plugging”: say “coerced internal concealment”/)
    await submit(page, 'Send suggestion', true)
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /your suggestion has been sent/)
    savedNotes(await page.locator('main').innerText())
    assert.equal(await page.inputValue('#text'), `The steps assume ${SAID}`)
    await page.close()
  })

  test('an NGO without JavaScript changes its service\'s description: the change is sent, the page shows the notes, and the link opens the form', async () => {
    const page = await pageAs(noJs, 'ngo.a')
    await page.goto(`${portalUrl()}/directory/services/${A_SERVICE}/edit`)
    await checkPage(page, false)
    await page.fill('#description', `We take referrals when ${SAID}.`)
    await submit(page, 'Send change', false)
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Your change has been sent to the coordinators/)
    savedNotes(await page.locator('main').innerText())
    await Promise.all([page.waitForNavigation(), page.locator('main').getByRole('link', { name: 'Change the text and send the change again' }).click()])
    await checkPage(page, false)
    assert.match(new URL(page.url()).pathname, /\/edit$/)
    const changes = await call(await session('coordinator'), 'GET', '/api/v1/directory/changes')
    assert.ok(changes.body.changes.some((c) => c.status === 'pending' && c.proposed.description === `We take referrals when ${SAID}.`))
    await page.close()
  })
})
