// notification-loop.test.mjs - issue 16's "Done when" walked in the
// browser, as a tired user would: a responder places a hold; within 30 s
// the owning NGO's staff member has an e-mail in the stack's Maildir (both
// parts parsed; its link opens the hold's page when signed in) and, signed
// in, the unread count in the header and the notification with the house
// and the time left on /notifications (at 320 px, and without JavaScript);
// the NGO accepts; the responder has an e-mail and a notification; marking
// read lowers the count.  A waitlisted person promoted when someone cancels
// gets an e-mail with the session's .ics (parsed by ical.js, the same UID as
// the portal's calendar link) and a notification.  At the end no message in
// the Maildir holds the case reference, the call-back phone typed, or
// anything shaped like a phone number.
//
// The Maildir is PORTAL_MAILDIR (tests/browser/run.sh sets it to the
// stack's DIR/mail).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import ICAL from '../integration/node_modules/ical.js/dist/ical.js'
import { readMaildir } from '../integration/lib/maildir.mjs'
import { call, session } from './api.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { DEMO_PASSWORD } from './census.mjs'
import { pageTextProblems } from './pagetext.mjs'

const maildir = process.env.PORTAL_MAILDIR
const stamp = Date.now() % 100000
const reference = `LOOP-REF-${stamp}`
const phone = '07700 900456'
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const contexts = []
async function as (username, options = {}) {
  const context = await openBrowser(options)
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(portalUrl() + '/login')
  await page.fill('#username', username)
  await page.fill('#password', DEMO_PASSWORD)
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  return page
}
async function click (page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)])
}

// The messages to `username` whose text parts hold `link` on a line of its
// own (the e-mail's link) and whose subject matches `subject`, once there
// is one (up to 30 s).
async function mailTo (username, link, subject = /./) {
  const url = portalUrl() + link
  for (const end = Date.now() + 30000; ;) {
    const found = readMaildir(maildir).filter((m) => m.headers.to.includes(`${username}@`) && subject.test(m.subject) &&
      m.parts.some((p) => p.text.includes(url)))
    if (found.length > 0 || Date.now() > end) return found
    await sleep(250)
  }
}

// A message's two parts say what happened and link to `link`.
function assertBothParts (m, link) {
  assert.match(m.headers['content-type'], /^multipart\//)
  assert.match(m.headers['message-id'], /^<[^<>@\s]+@[^<>\s]+>$/)
  assert.ok(!Number.isNaN(Date.parse(m.headers.date)), `a Date: ${m.headers.date}`)
  const plain = m.parts.find((p) => p.type === 'text/plain')
  const html = m.parts.find((p) => p.type === 'text/html')
  assert.ok(plain && html, `both parts: ${m.parts.map((p) => p.type)}`)
  assert.ok(plain.text.includes(`${portalUrl()}${link}\n`), plain.text)
  assert.match(html.text, new RegExp(`href="${portalUrl()}${link}"`))
  return plain.text
}

// The header's unread count on the page shown (0 when it is not there).
async function unreadCount (page) {
  const count = page.locator('header [data-unread-count]')
  if (await count.count() === 0) return 0
  return Number((await count.innerText()).match(/\d+/)[0])
}

describe('issue 16: the notification loop walked in the browser', () => {
  let houseName, holdLink, heldUntil

  before(async () => {
    assert.ok(maildir, 'PORTAL_MAILDIR names the stack\'s Maildir (tests/browser/run.sh sets it)')
    const ngo = await session('ngo.a')
    houseName = `Loop House ${stamp}`
    const made = await call(ngo, 'POST', '/api/v1/beds/safehouses', {
      name: houseName, area: 'hackney', groups: { women: { beds: 2 } }, pre_nrm: true, languages: ['sq'],
      referral_phone: '020 7946 0777', referral_hours: '24 hours' })
    assert.equal(made.status, 201, JSON.stringify(made.body))
    const id = made.body.safehouse.id
    assert.equal((await call(ngo, 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: 2 })).status, 200)
    houseName = made.body.safehouse.name
    // the responder reaches the house by its page
    const resp = await as('responder.council', { viewport: { width: 320, height: 900 } })
    await resp.goto(`${portalUrl()}/beds/safehouses/${id}`)
    await click(resp, 'a:has-text("Hold a bed: Women")')
    await resp.fill('#reference', reference)
    await resp.fill('#callback_phone', phone)
    await resp.fill('#minutes', '60')
    await click(resp, 'main button:has-text("Hold this bed")')
    const held = await resp.locator('main').innerText()
    assert.match(held, /The bed is held for you/)
    heldUntil = held.match(/held until ((?:\d{1,2}(?::\d\d)?[ap]m|midday|midnight) on [A-Z][a-z]+day)/)[1]
    holdLink = new URL(resp.url()).pathname
    assert.match(holdLink, /^\/beds\/holds\/[^/]+$/)
  })
  after(async () => { for (const c of contexts) await c.close() })

  test('the_ngo_hears_of_the_hold_by_e_mail_and_in_the_portal_accepts_and_the_responder_hears_back', async () => {
    const [mail] = await mailTo('ngo.a', holdLink)
    assert.ok(mail, 'ngo.a has an e-mail about the hold within 30 s')
    const text = assertBothParts(mail, holdLink)
    assert.match(text, new RegExp(`A bed hold is waiting for your answer at ${houseName}`))

    // at 320 px: the header's count, the notification with the house and the time left
    const ngo = await as('ngo.a', { viewport: { width: 320, height: 900 } })
    const before = await unreadCount(ngo)
    assert.ok(before >= 1, `${before} unread in the header`)
    await click(ngo, 'header a[href="/notifications"]')
    const item = ngo.locator(`main [data-notification]:has(a[href="${holdLink}"])`)
    assert.equal(await item.count(), 1)
    const said = await item.innerText()
    assert.match(said, new RegExp(houseName))
    assert.match(said, /Unread/)
    // the time left, as the moment the hold ends unanswered (the one the responder was shown)
    assert.ok(said.includes(`it ends at ${heldUntil}`), `the hold's end (${heldUntil}) in: ${said}`)
    assert.deepEqual(await pageTextProblems(ngo), [], 'the notifications page at 320 px')

    // the e-mail's link opens the hold's page for the signed-in NGO
    const url = new URL(text.match(new RegExp(`${portalUrl()}/beds/holds/\\S+`))[0])
    const opened = await ngo.goto(url.href)
    assert.equal(opened.status(), 200)
    assert.equal(new URL(ngo.url()).pathname, holdLink)
    await click(ngo, 'main button:has-text("Accept: the bed is taken")')
    assert.match(await ngo.locator('.govuk-notification-banner--success').innerText(), /You accepted the hold/)

    const [back] = await mailTo('responder.council', holdLink, /accepted/)
    assert.ok(back, 'the responder has an e-mail about the answer within 30 s')
    assert.match(assertBothParts(back, holdLink), /accepted/i)
    const resp = await as('responder.council', { viewport: { width: 320, height: 900 } })
    const unread = await unreadCount(resp)
    assert.ok(unread >= 1)
    await resp.goto(portalUrl() + '/notifications')
    const answer = resp.locator(`main [data-notification][data-unread]:has(a[href="${holdLink}"])`)
    assert.ok(await answer.count() >= 1, 'the responder has an unread notification of the answer')
    assert.match(await answer.first().innerText(), new RegExp(`accepted.*${houseName}|${houseName}.*accepted`, 'i'))
    await click(resp, 'main button:has-text("Mark all as read")')
    assert.ok(await unreadCount(resp) < unread, 'marking read lowers the count')
  })

  test('without_javascript_the_ngo_reads_the_notification_and_marks_it_read', async () => {
    const page = await as('ngo.a', { javaScriptEnabled: false, viewport: { width: 320, height: 900 } })
    await page.goto(portalUrl() + '/notifications')
    const before = await unreadCount(page)
    const item = page.locator(`main [data-notification][data-unread]:has(a[href="${holdLink}"])`)
    assert.equal(await item.count(), 1, 'the hold\'s notification, unread')
    assert.match(await item.innerText(), new RegExp(houseName))
    await click(page, `main [data-notification]:has(a[href="${holdLink}"]) button:has-text("Mark as read")`)
    assert.equal(new URL(page.url()).pathname, '/notifications')
    assert.equal(await unreadCount(page), before - 1, 'one fewer unread')
    assert.equal(await page.locator(`main [data-notification][data-unread]:has(a[href="${holdLink}"])`).count(), 0)
  })

  test('a_waitlisted_person_promoted_when_someone_cancels_gets_the_ics_and_a_notification', async () => {
    const coordinator = await session('coordinator')
    const start = new Date(Date.now() + 20 * 86400e3)
    start.setUTCMilliseconds(0)
    const iso = (d) => d.toISOString().replace('.000Z', 'Z')
    const made = await call(coordinator, 'POST', '/api/v1/training/sessions', {
      course_id: 1, starts_at: iso(start), ends_at: iso(new Date(start.getTime() + 3 * 3600e3)),
      venue: `Loop room ${stamp}`, capacity: 1 })
    assert.equal(made.status, 201, JSON.stringify(made.body))
    const sessionLink = `/training/sessions/${made.body.session.id}`
    // the first takes the only place; the second is waitlisted (in the browser)
    const police = await as('responder.police')
    await police.goto(portalUrl() + sessionLink)
    await click(police, 'main button:has-text("Book a place")')
    const health = await as('responder.health', { viewport: { width: 320, height: 900 } })
    await health.goto(portalUrl() + sessionLink)
    await click(health, 'main button:has-text("Join the waiting list")')
    // the first cancels: the second is promoted
    await police.goto(portalUrl() + sessionLink)
    await click(police, 'main button:has-text("Cancel my place")')

    const [mail] = await mailTo('responder.health', sessionLink, /place came free/)
    assert.ok(mail, 'the promoted person has an e-mail within 30 s')
    assertBothParts(mail, sessionLink)
    const part = mail.parts.find((p) => p.type === 'text/calendar')
    assert.ok(part, `the .ics attached: ${mail.parts.map((p) => p.type)}`)
    assert.match(part.headers['content-disposition'], /^attachment; filename="[^"]+\.ics"$/)
    const cal = new ICAL.Component(ICAL.parse(part.text))
    assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST')
    const uid = cal.getFirstSubcomponent('vevent').getFirstPropertyValue('uid')

    await health.goto(portalUrl() + '/training/my')
    const card = health.locator(`[data-booking]:has(a[href="${sessionLink}"])`)
    assert.equal(await card.getAttribute('data-status'), 'confirmed')
    // the browser's own session (its cookie is Secure: Playwright's request API would not send it over http)
    const cookie = (await health.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    const ics = await fetch(portalUrl() + await card.locator('a[href$="calendar.ics"]').getAttribute('href'), { headers: { cookie } })
    assert.equal(ics.status, 200)
    assert.match(ics.headers.get('content-type'), /^text\/calendar/)
    const served = new ICAL.Component(ICAL.parse(await ics.text()))
    assert.equal(served.getFirstSubcomponent('vevent').getFirstPropertyValue('uid'), uid, 'the UID of the portal\'s calendar link')

    await health.goto(portalUrl() + '/notifications')
    const n = health.locator(`main [data-notification][data-unread]:has(a[href="${sessionLink}"])`)
    assert.ok(await n.count() >= 1, 'a notification of the promotion')
    assert.deepEqual(await pageTextProblems(health), [], 'the notifications page at 320 px')
  })

  test('privacy_no_message_holds_the_case_reference_the_call_back_phone_or_a_phone_number', () => {
    const all = readMaildir(maildir)
    assert.ok(all.length >= 3, `${all.length} messages`)
    const digits = phone.replace(/\s/g, '')
    for (const m of all) {
      const text = m.raw + '\n' + m.parts.map((p) => p.text).join('\n')
      assert.ok(!text.includes(reference), `${m.file} holds the case reference`)
      assert.ok(!text.includes(phone) && !text.replace(/\s/g, '').includes(digits), `${m.file} holds the call-back phone`)
      // the decoded headers and parts (a base64 body may hold "+44" by chance)
      const said = Object.values(m.headers).join('\n') + '\n' + m.parts.map((p) => p.text).join('\n')
      assert.doesNotMatch(said, /\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\+44/, `${m.file}: nothing shaped like a phone number`)
    }
  })
})
