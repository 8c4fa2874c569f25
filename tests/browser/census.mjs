// census.mjs - every page a demo user can reach from the start page.
//
// walkPages(page, {budget, onPage}) follows same-site GET links from the
// start page (one address a shape: /beds/holds/12 and /beds/holds/13 are one
// page), submits each GET form it meets once with its own defaults (search
// results, reports with their default dates), and calls onPage(page, url,
// response) on every page it opens, at most `budget` pages.
// tests/browser/every-page.test.mjs uses it to check each page with axe-core
// and pagetext.mjs at two widths.
//
// Run directly it is a tool:
//   PORTAL_URL=http://127.0.0.1:PORT node tests/browser/census.mjs
// prints, for each demo user, each page at 320 CSS px with what
// pageTextProblems finds wrong on it, and exits 1 when anything is.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openBrowser, portalUrl } from './browser.mjs'
import { codesOf, pageTextProblems } from './pagetext.mjs'

/** The demo users (signed out is ''); each signs in with DEMO_PASSWORD. */
export const DEMO_USERS = ['responder.police', 'ngo.a', 'trainer', 'coordinator']
export const DEMO_PASSWORD = 'Demo-Portal-1'

// Addresses the walk never opens: they end the session, download a file,
// or answer JSON.
const NOT_A_PAGE = /\/logout|\.csv$|\.ics$|^\/api\//

/**
 * One address a shape: numbers and ids become {id}, and the query keeps only
 * the names that have a value, so /directory/?page=2 and ?page=3 are one
 * page, a search sent empty (?q=&sort=relevance) another, and a search for
 * something (?q=Albanian&sort=relevance) a third.
 */
export function shape (url) {
  const names = [...new Set([...url.searchParams].filter(([, v]) => v).map(([k]) => k))].sort().join('&')
  return url.pathname.replace(/\/[0-9a-f-]{8,}|\/\d+(-\d+)?/g, '/{id}') + (url.search ? `?${names}` : '')
}

/** Sign `page` in as `user` through the sign-in form ('' signs nobody in). */
export async function signIn (page, user) {
  if (!user) return
  await page.goto(portalUrl() + '/login')
  await page.fill('#username', user)
  await page.fill('#password', DEMO_PASSWORD)
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')])
}

// The addresses each GET form of the page asks for: once with the values
// it shows (a radio group with nothing chosen takes its first choice, as a
// person must choose one), and once more with `fill`'s values for the
// form's action (a path: {field: value}) when it has some.
async function getFormAddresses (page, fill) {
  return page.$$eval('main form', (forms, fill) => forms
    .filter((f) => (f.getAttribute('method') || 'get').toLowerCase() === 'get')
    .flatMap((f) => {
      const data = new FormData(f)
      for (const radio of f.querySelectorAll('input[type=radio]')) {
        if (!data.has(radio.name)) data.set(radio.name, radio.value)
      }
      const url = new URL(f.action || location.href)
      url.search = new URLSearchParams(data).toString()
      const filled = fill[url.pathname]
      if (!filled) return [url.href]
      const more = new URL(url)
      for (const [name, value] of Object.entries(filled)) more.searchParams.set(name, value)
      return [url.href, more.href]
    }), fill)
}

/**
 * Walk from each of `starts` (default: the start page): open a page, hand it
 * to onPage, queue its same-site links and its GET forms' answers (see
 * getFormAddresses for `fill`), until nothing new is left or `budget` pages
 * were opened.  Returns the addresses opened, in order.
 */
export async function walkPages (page, { starts = ['/'], budget = 80, fill = {}, onPage = async () => {} } = {}) {
  const base = portalUrl()
  const seen = new Set()
  const queue = starts.map((s) => new URL(s, base))
  const opened = []
  while (queue.length && opened.length < budget) {
    const url = queue.shift()
    if (seen.has(shape(url))) continue
    seen.add(shape(url))
    const response = await page.goto(url.href)
    const landed = page.url()
    opened.push(url.pathname + url.search)
    if (!(response.headers()['content-type'] || '').includes('html')) continue
    await onPage(page, url, response)
    // onPage may have moved on (a form sent): read links from this address
    if (page.url() !== landed) await page.goto(landed)
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href))
    // a form is sent from its own page, not again from each of its answers
    const answers = url.search ? [] : await getFormAddresses(page, fill)
    for (const href of [...hrefs, ...answers]) {
      const next = new URL(href, url)
      next.hash = ''
      if (next.origin !== url.origin || NOT_A_PAGE.test(next.pathname)) continue
      if (!seen.has(shape(next))) queue.push(next)
    }
  }
  return opened
}

// ---- the tool --------------------------------------------------------------
async function census () {
  const users = process.env.CENSUS_USERS ? process.env.CENSUS_USERS.split(',') : DEMO_USERS
  const budget = Number(process.env.CENSUS_PAGES || 80)
  const codes = process.env.CENSUS_OPENAPI ? codesOf(JSON.parse(readFileSync(process.env.CENSUS_OPENAPI, 'utf8'))) : new Set()
  let bad = 0
  for (const user of users) {
    const context = await openBrowser({ viewport: { width: 320, height: 800 } })
    const page = await context.newPage()
    await signIn(page, user)
    const opened = await walkPages(page, {
      budget,
      onPage: async (page, url, response) => {
        const problems = await pageTextProblems(page, { codes })
        if (!problems.length) return
        bad++
        console.log(`${user || 'signed out'} ${url.pathname}${url.search} (${response.status()})`)
        for (const p of [...new Set(problems)].slice(0, 12)) console.log(`    ${p}`)
      }
    })
    console.log(`${user || 'signed out'}: ${opened.length} pages`)
    await context.close()
  }
  return bad
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(await census() ? 1 : 0)
}
