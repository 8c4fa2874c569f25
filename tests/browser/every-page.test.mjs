// every-page.test.mjs - issue 15's "Done when" on every page, not only on
// the pages the journey suites visit: each demo user (and a visitor signed
// out) walks every page reachable from the start page by same-site links
// and GET forms (census.mjs's walkPages: one address a shape), plus the
// page-not-found page and each module's main form sent empty once.  Every
// page must pass axe-core (WCAG 2.1 AA) and pagetext.mjs's check (no codes,
// JSON, ISO timestamps, empty labels; no wider than the window) at 1280 px
// and at 320 CSS px.  One browser for the whole walk; each user's walk
// has a page budget, so the file stays well under three minutes.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, portalUrl } from './browser.mjs'
import { DEMO_PASSWORD, DEMO_USERS, signIn, walkPages } from './census.mjs'
import { codesOf, pageTextProblems } from './pagetext.mjs'

const WIDTHS = [1280, 320]
const BUDGET = Number(process.env.EVERY_PAGE_BUDGET || 60) // pages a user
const NOT_FOUND = '/no-such-page-every-page'
// Search forms are also sent with something to find, to reach their results.
const FILL = {
  '/beds/search': { person: 'woman' },
  '/directory/': { q: 'Albanian' }
}

// The main form of each module, by the shape of its action: sent once with
// every field left empty, it must come back with the error summary.
const MAIN_FORMS = [
  /^\/login$/,
  /^\/beds\/safehouses$/,
  /^\/beds\/safehouses\/\d+\/holds$/,
  /^\/beds\/holds\/\d+\/decline$/,
  /^\/beds\/holds\/\d+\/outcome$/,
  /^\/training\/courses$/,
  /^\/training\/sessions$/,
  /^\/training\/bookings\/\d+-\d+\/feedback$/,
  /^\/directory\/pathways$/,
  /^\/directory\/services\/[^/]+\/suggestions$/,
  /^\/cases$/,
  /^\/cases\/\d+\/updates$/,
  /^\/monitoring\/observations$/,
  /^\/monitoring\/language-guide$/
]

// The page's main content as the test compares it: a page showing exactly
// what another user's page showed (the header aside, which every user's
// walk checks anyway) is not checked twice.
async function mainContent (page) {
  const html = await page.locator('main').evaluate((m) => m.outerHTML).catch(() => page.content())
  return html.replace(/name="csrf_token" value="[^"]*"/g, '')
}

// A JSON API call as `who` ({cookie, csrf}; set-up only).
async function api (who, method, path, body) {
  const res = await fetch(portalUrl() + path, {
    method,
    headers: { cookie: who.cookie || '', 'x-csrf-token': who.csrf || '', 'content-type': 'application/json' },
    body: body && JSON.stringify(body)
  })
  return { status: res.status, body: await res.json(), cookie: (res.headers.get('set-cookie') || '').split(';')[0] }
}

// A bed held by responder.police, so the walk meets a hold's pages whatever
// the other tests left; returns {who, id} for cancelling it afterwards.
async function holdABed () {
  const signedIn = await api({}, 'POST', '/api/v1/auth/login', { username: 'responder.police', password: DEMO_PASSWORD })
  assert.equal(signedIn.status, 200)
  return holdABedAs({ cookie: signedIn.cookie, csrf: signedIn.body.csrf_token })
}

async function holdABedAs (who) {
  const found = await api(who, 'GET', '/api/v1/beds/search?person=woman')
  // each result is one bed group of one house
  const bed = found.body.results.find((r) => r.available > 0)
  assert.ok(bed, `a safehouse with a bed for a woman: ${JSON.stringify(found.body).slice(0, 300)}`)
  const held = await api(who, 'POST', `/api/v1/beds/safehouses/${bed.safehouse.id}/holds`,
    { group: bed.group, reference: 'EVERY-PAGE-1', callback_phone: '07700 900123' })
  assert.equal(held.status, 201, JSON.stringify(held.body))
  return { who, id: held.body.hold.id }
}

// A closed hold on which responder.police has said what happened (issue
// 18): responder.police's walk starts at its page, so it meets the form
// "What happened?" and the page after saving it (linked from there)
// whatever the other tests left.  Returns the hold page's address.
async function holdWithOutcome (who) {
  const { id } = await holdABedAs(who)
  assert.equal((await api(who, 'POST', `/api/v1/beds/holds/${id}/cancel`, {})).status, 200)
  const said = await api(who, 'POST', `/api/v1/beds/holds/${id}/outcome`, { note: 'The referral line answered at once; she claims it helped.' })
  assert.equal(said.status, 201, JSON.stringify(said.body))
  return `/beds/holds/${id}`
}

// What reaches past the window's right edge, or scrolls sideways inside the
// page, though the page itself is no wider than the window: content cut off
// (overflow hidden) or a box a person must scroll across (SC 1.4.10).
async function sidewaysProblems (page) {
  return page.evaluate(() => {
    const out = []
    for (const el of document.querySelectorAll('body *')) {
      if (!el.checkVisibility() || el.closest('.govuk-visually-hidden, .govuk-skip-link')) continue
      const box = el.getBoundingClientRect()
      const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/)[0]}` : '')
      if (box.width > 0 && box.right > window.innerWidth + 1) out.push(`${name} reaches ${Math.round(box.right)} px in a ${window.innerWidth} px window`)
      const overflow = getComputedStyle(el).overflowX
      if (/auto|scroll/.test(overflow) && el.scrollWidth > el.clientWidth + 1 && el !== document.documentElement && el !== document.body) {
        out.push(`${name} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth})`)
      }
    }
    return out.slice(0, 5)
  })
}

// Every problem axe-core and pageTextProblems find on the page, at each width.
async function pageProblems (page, codes) {
  const found = []
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    for (const p of await pageTextProblems(page, { codes })) found.push(`at ${width} px: ${p}`)
    for (const p of await sidewaysProblems(page)) found.push(`at ${width} px: ${p}`)
    try {
      await assertAccessible(page)
    } catch (err) {
      found.push(`at ${width} px: ${err.message}`)
    }
  }
  await page.setViewportSize({ width: WIDTHS[0], height: 900 })
  return found
}

// The address of each POST form of the page that is a main form not yet sent.
async function mainFormsToSend (page, sent) {
  const actions = await page.$$eval('main form[method=post]', (fs) => fs.map((f) => new URL(f.action).pathname))
  return actions.filter((a) => {
    const which = MAIN_FORMS.findIndex((re) => re.test(a))
    return which >= 0 && !sent.has(which) && sent.add(which)
  })
}

// Send the form whose action is `action` with every field a person types
// into left empty.
async function sendEmpty (page, action) {
  const form = page.locator(`main form[method=post][action="${action}"]`).first()
  await form.locator('input[type=text], input[type=tel], input[type=email], input[type=number], input[type=url], input[type=password], input:not([type]), textarea')
    .evaluateAll((fields) => fields.forEach((f) => { f.value = '' }))
  const [response] = await Promise.all([page.waitForNavigation(), form.locator('button[type=submit], button:not([type])').first().click()])
  return response
}

describe('every page, at 1280 px and at 320 CSS px', () => {
  let context, page, codes, hold, saidOn
  const sent = new Set()
  const counted = { pages: 0, checked: 0, same: 0, forms: 0 }
  const checkedBefore = new Set()

  before(async () => {
    codes = codesOf(await (await fetch(portalUrl() + '/api/v1/openapi.json')).json())
    hold = await holdABed()
    saidOn = await holdWithOutcome(hold.who)
    context = await openBrowser({ viewport: { width: WIDTHS[0], height: 900 } })
    page = await context.newPage()
  })
  after(async () => {
    console.log(`every-page: ${counted.pages} pages walked; ${counted.checked} checked at ${WIDTHS.join(' and ')} px ` +
      `(${counted.same} showed what another user's page already had) and ${counted.forms} main forms sent empty and checked`)
    if (hold) await api(hold.who, 'POST', `/api/v1/beds/holds/${hold.id}/cancel`, {})
    await context?.close()
  })

  for (const user of ['', ...DEMO_USERS]) {
    const who = user || 'signed out'
    test(`every_page_${who.replace(/\W/g, '_')}_reaches_passes_axe_and_the_page_text_check`, async (t) => {
      await context.clearCookies()
      await signIn(page, user)
      const failures = []
      const opened = await walkPages(page, {
        // the start page links to every module, cases and monitoring too
        starts: ['/', NOT_FOUND, ...(user === 'responder.police' ? [saidOn] : [])],
        budget: BUDGET,
        fill: FILL,
        onPage: async (page, url, response) => {
          const where = `${who} ${url.pathname}${url.search} (${response.status()})`
          if (checkedBefore.has(await mainContent(page))) {
            counted.same++
          } else {
            checkedBefore.add(await mainContent(page))
            counted.checked++
            for (const p of await pageProblems(page, codes)) failures.push(`${where} ${p}`)
          }
          for (const action of await mainFormsToSend(page, sent)) {
            const res = await sendEmpty(page, action)
            counted.forms++
            const sentAs = `${who} ${action} sent empty (${res.status()})`
            if (await page.locator('.govuk-error-summary').count() !== 1) failures.push(`${sentAs}: no error summary`)
            for (const p of await pageProblems(page, codes)) failures.push(`${sentAs} ${p}`)
            await page.goto(url.href)
          }
        }
      })
      counted.pages += opened.length
      t.diagnostic(`${who}: ${opened.length} pages`)
      if (opened.length >= BUDGET) t.diagnostic(`${who}: the page budget (${BUDGET}) ended the walk`)
      if (process.env.EVERY_PAGE_LIST) t.diagnostic(opened.join('\n'))
      assert.ok(opened.includes(NOT_FOUND), 'the page-not-found page was checked')
      for (const start of ['/cases/', '/monitoring/']) assert.ok(opened.includes(start), `${who} reached ${start} from the start page`)
      assert.ok(opened.length > 3, `${who} reached ${opened.length} pages`)
      assert.deepEqual(failures, [], `${failures.length} problem(s):\n${failures.join('\n')}`)
    })
  }

  test('each_modules_main_form_was_sent_empty_and_came_back_with_its_errors', () => {
    const missing = MAIN_FORMS.filter((_, i) => !sent.has(i)).map(String)
    assert.deepEqual(missing, [], 'main forms the walk never met')
  })
})
