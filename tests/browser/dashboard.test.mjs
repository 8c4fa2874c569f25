// The signed-in start page as a dashboard (issue 16): each role sees its
// sections, each a heading, a count and the items in words with links, or
// words saying there is nothing; an NGO sees a hold placed a moment ago with
// the time left; at 1280 px and at 320 CSS px with nothing wider than the
// window, no accessibility violation and nothing a person should not read;
// and the same page without JavaScript.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { pageTextProblems } from './pagetext.mjs'
import { signIn } from './census.mjs'

const SECTIONS = {
  'responder.police': ['Your open bed holds', 'Your next training'],
  'ngo.a': ['Bed holds waiting for your answer', 'Houses whose vacancies need updating'],
  trainer: ['Your agency\'s sessions in the next 7 days', 'Rosters to mark'],
  coordinator: ['Changes and suggestions to review', 'Notifications that could not be delivered', 'This week\'s figures']
}

// A browser context signed in through the API as `username`, and a
// call(method, path, body) that sends its cookie and CSRF token (set-up only).
async function apiAs (username) {
  const context = await openBrowser()
  const login = await context.request.post(new URL('/api/v1/auth/login', portalUrl()).href,
    { data: { username, password: 'Demo-Portal-1' } })
  const { csrf_token: csrf } = await login.json()
  // the session cookie is Secure: over plain http the request context keeps it only as sent here
  const cookie = login.headers()['set-cookie'].split(';')[0]
  const call = async (method, path, body) => {
    const res = await context.request.fetch(new URL(path, portalUrl()).href, { method, data: body, headers: { cookie, 'x-csrf-token': csrf } })
    return { status: res.status(), body: await res.json() }
  }
  return { context, call }
}

// The sections of the page: [{title, count, items: [text], links: [href], empty}]
function sectionsOf (page) {
  return page.$$eval('main .portal-dashboard__section', (ss) => ss.map((s) => ({
    title: s.querySelector('h3').firstChild.textContent.trim(),
    count: s.querySelector('h3 [data-count]')?.textContent.trim(),
    items: [...s.querySelectorAll('li')].map((li) => li.innerText.trim()),
    links: [...s.querySelectorAll('li a')].map((a) => a.getAttribute('href')),
    empty: s.querySelector('p')?.innerText.trim() ?? ''
  })))
}

describe('the dashboard of each role', () => {
  let houseName, holdId

  before(async () => {
    houseName = `Dashboard House ${Date.now() % 100000}`
    const ngo = await apiAs('ngo.a')
    const resp = await apiAs('responder.police')
    try {
      const made = await ngo.call('POST', '/api/v1/beds/safehouses', {
        name: houseName, area: 'camden', referral_phone: '020 7946 0123', referral_hours: '24 hours',
        groups: { women: { beds: 2 } }
      })
      assert.equal(made.status, 201, JSON.stringify(made.body))
      const house = made.body.safehouse.id
      assert.equal((await ngo.call('PUT', `/api/v1/beds/safehouses/${house}/vacancies`, { women: 2 })).status, 200)
      const hold = await resp.call('POST', `/api/v1/beds/safehouses/${house}/holds`,
        { group: 'women', reference: 'DASH-1', callback_phone: '07700 900123' })
      assert.equal(hold.status, 201, JSON.stringify(hold.body))
      holdId = hold.body.hold.id
    } finally {
      await ngo.context.close()
      await resp.context.close()
    }
  })

  for (const user of Object.keys(SECTIONS)) {
    test(`${user}: the role's sections, at 1280 and 320 px`, async () => {
      const context = await openBrowser()
      try {
        const page = await context.newPage()
        await signIn(page, user)
        await page.goto(portalUrl() + '/')
        // the worker keeps the dashboard from the events: give the hold up to 30 s to show
        for (let i = 0; i < 60 && ['ngo.a', 'responder.police'].includes(user) &&
          !(await page.locator(`main a[href="/beds/holds/${holdId}"]`).count()); i++) {
          await page.waitForTimeout(500)
          await page.reload()
        }
        assert.equal(await page.locator('main h2', { hasText: 'What needs doing' }).count(), 1)
        const sections = await sectionsOf(page)
        assert.deepEqual(sections.map((s) => s.title), SECTIONS[user])
        for (const s of sections) {
          assert.match(s.count, /^\d+$/, `${s.title}: a count`)
          assert.ok(s.items.length > 0 || /\w+\.$/.test(s.empty), `${s.title}: items, or words saying there are none`)
        }
        if (user === 'ngo.a') {
          const waiting = sections[0]
          const at = waiting.links.indexOf(`/beds/holds/${holdId}`)
          assert.ok(at >= 0, 'the hold just placed is waiting for an answer')
          assert.match(waiting.items[at], new RegExp(`^${houseName}: expires in \\d+ (hour|minute)`))
        }
        if (user === 'responder.police') {
          assert.ok(sections[0].links.includes(`/beds/holds/${holdId}`), 'the responder\'s open hold')
          assert.doesNotMatch(await page.locator('main').innerText(), /DASH-1|07700/, 'no case reference or call-back phone')
        }
        if (user === 'coordinator') assert.equal(sections[2].items.length, 3, 'three figures of the week')
        for (const width of [1280, 320]) {
          await page.setViewportSize({ width, height: 900 })
          assert.deepEqual(await pageTextProblems(page), [], `at ${width} px`)
          await assertAccessible(page)
        }
      } finally {
        await context.close()
      }
    })
  }

  test('without JavaScript the dashboard is all there', async () => {
    const context = await openBrowser({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await signIn(page, 'ngo.a')
      await page.goto(portalUrl() + '/')
      assert.deepEqual((await sectionsOf(page)).map((s) => s.title), SECTIONS['ngo.a'])
    } finally {
      await context.close()
    }
  })
})
