// notifications.test.mjs - issue 16's in-portal notifications in the
// browser: a responder places a hold and the owning NGO's staff see the
// unread count in every page's header, the notification on /notifications
// (at 1280 and 320 CSS px, axe-core and pagetext clean, as the settings
// page), and "Mark all as read" clears the count; without JavaScript, one
// notification is marked read and the e-mail settings are saved by the
// plain forms.
import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { call, session } from './api.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { signIn } from './census.mjs'
import { pageTextProblems } from './pagetext.mjs'

// A hold placed by responder.police at a new house of ngo.a's agency, and
// ngo.a's notification of it (waited for, up to 30 s).
async function holdAndNotice (ngo, responder) {
  const name = `Notice House ${Date.now() % 100000}`
  const made = await call(ngo, 'POST', '/api/v1/beds/safehouses', {
    name, area: 'hackney', groups: { women: { beds: 2 } }, pre_nrm: true, languages: ['sq'],
    referral_phone: '020 7946 0999', referral_hours: '24 hours' })
  assert.equal(made.status, 201, JSON.stringify(made.body))
  const id = made.body.safehouse.id
  assert.equal((await call(ngo, 'PUT', `/api/v1/beds/safehouses/${id}/vacancies`, { women: 2 })).status, 200)
  const held = await call(responder, 'POST', `/api/v1/beds/safehouses/${id}/holds`,
    { group: 'women', reference: 'BROWSER-NOTICE-1', callback_phone: '07700 900123' })
  assert.equal(held.status, 201, JSON.stringify(held.body))
  const link = `/beds/holds/${held.body.hold.id}`
  for (const end = Date.now() + 30000; Date.now() < end;) {
    const list = await call(ngo, 'GET', '/api/v1/notifications?per_page=100')
    const n = list.body.items.find((x) => x.link === link)
    if (n) {
      // the responder's holds are few (3 at once): this one has served
      assert.equal((await call(responder, 'POST', `${link.replace('/beds/', '/api/v1/beds/')}/cancel`, {})).status, 200)
      return { name, link, notice: n, unread: list.body.unread }
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('no notification within 30 s')
}

async function cleanAt (page, width) {
  await page.setViewportSize({ width, height: 900 })
  assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
  await assertAccessible(page)
}

describe('notifications in the browser', () => {
  let ngo, responder, made

  before(async () => {
    ngo = await session('ngo.a')
    responder = await session('responder.police')
    made = await holdAndNotice(ngo, responder)
  })

  test('the_header_counts_unread_notifications_and_the_page_lists_them_at_320_px', async () => {
    const context = await openBrowser()
    try {
      const page = await context.newPage()
      await signIn(page, 'ngo.a')
      await page.goto(portalUrl() + '/beds/')
      const count = page.locator('header [data-unread-count]')
      assert.equal(await count.isVisible(), true, 'the count shows in the header of any page')
      const shown = Number((await count.innerText()).match(/\d+/)[0])
      assert.ok(shown >= 1, `${shown} unread`)
      assert.match(await count.innerText(), /unread/)
      await Promise.all([page.waitForNavigation(), page.click('header a[href="/notifications"]')])
      const item = page.locator(`main [data-notification]:has(a[href="${made.link}"])`)
      assert.equal(await item.count(), 1)
      assert.match(await item.innerText(), new RegExp(`A bed hold is waiting for your answer at ${made.name}: it ends at`))
      assert.match(await item.innerText(), /Unread/)
      assert.doesNotMatch(await page.locator('main').innerText(), /BROWSER-NOTICE|07700/)
      await cleanAt(page, 1280)
      await cleanAt(page, 320)
      await page.setViewportSize({ width: 1280, height: 900 })
      await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Mark all as read")')])
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /marked as read/)
      assert.equal(await page.locator('header [data-unread-count]').count(), 0, 'no count once all are read')
      assert.equal(await page.locator('main [data-unread]').count(), 0)
      await Promise.all([page.waitForNavigation(), page.click('main a[href="/notifications/settings"]')])
      await cleanAt(page, 1280)
      await cleanAt(page, 320)
    } finally {
      await context.close()
    }
  })

  test('without_javascript_one_notification_is_marked_read_and_e_mail_choices_are_saved', async () => {
    const again = await holdAndNotice(ngo, responder)
    const context = await openBrowser({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await signIn(page, 'ngo.a')
      await page.goto(portalUrl() + '/notifications')
      const item = page.locator(`main [data-notification]:has(a[href="${again.link}"])`)
      await Promise.all([page.waitForNavigation(), item.locator('button:has-text("Mark as read")').click()])
      assert.equal(new URL(page.url()).pathname, '/notifications')
      assert.equal(await page.locator(`main [data-notification][data-unread]:has(a[href="${again.link}"])`).count(), 0)
      const n = (await call(ngo, 'GET', '/api/v1/notifications?per_page=100')).body.items.find((x) => x.link === again.link)
      assert.equal(n.read, true)

      await page.goto(portalUrl() + '/notifications/settings')
      assert.match(await page.locator('main [data-always]').innerText(), /A bed hold is placed at one of your agency's houses/)
      await page.uncheck('#email-hold_declined')
      await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Save my choices")')])
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /choices are saved/)
      assert.equal(await page.isChecked('#email-hold_declined'), false)
      assert.equal(await page.isChecked('#email-hold_accepted'), true)
      await page.check('#email-hold_declined')
      await Promise.all([page.waitForNavigation(), page.click('main button:has-text("Save my choices")')])
      assert.equal(await page.isChecked('#email-hold_declined'), true)
    } finally {
      await context.close()
    }
  })
})
