// census.mjs - every page each demo user can reach by following links from
// the start page (GET only, same site, at most PAGES per user), each
// checked at 320 CSS px with pageTextProblems (pagetext.mjs).  A tool, not
// a test: `PORTAL_URL=http://127.0.0.1:PORT node tests/browser/census.mjs`
// prints each page with what is wrong on it, and exits 1 when anything is.
import { readFileSync } from 'node:fs'
import { openBrowser, portalUrl } from './browser.mjs'
import { codesOf, pageTextProblems } from './pagetext.mjs'

const USERS = (process.env.CENSUS_USERS || 'responder.police,ngo.a,trainer,coordinator').split(',')
const PAGES = Number(process.env.CENSUS_PAGES || 80)
const codes = process.env.CENSUS_OPENAPI ? codesOf(JSON.parse(readFileSync(process.env.CENSUS_OPENAPI, 'utf8'))) : new Set()

// one address a shape: /beds/holds/12 and /beds/holds/13 are one page
const shape = (u) => u.pathname.replace(/\/[0-9a-f-]{8,}|\/\d+(-\d+)?/g, '/{id}') + (u.search ? '?' : '')

let bad = 0
for (const user of USERS) {
  const context = await openBrowser({ viewport: { width: 320, height: 800 } })
  const page = await context.newPage()
  await page.goto(portalUrl() + '/login')
  await page.fill('#username', user)
  await page.fill('#password', 'Demo-Portal-1')
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
  const seen = new Set()
  const queue = ['/']
  let n = 0
  while (queue.length && n < PAGES) {
    const path = queue.shift()
    const u = new URL(path, portalUrl())
    if (seen.has(shape(u))) continue
    seen.add(shape(u))
    const res = await page.goto(u.href)
    n++
    if (!(res.headers()['content-type'] || '').includes('html')) continue
    const problems = await pageTextProblems(page, { codes })
    if (problems.length) {
      bad++
      console.log(`${user} ${u.pathname}${u.search} (${res.status()})`)
      for (const p of [...new Set(problems)].slice(0, 12)) console.log(`    ${p}`)
    }
    for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')))) {
      const v = new URL(href, u)
      if (v.origin !== u.origin || /\/logout|\.csv|\.ics|\/api\//.test(v.pathname)) continue
      if (!seen.has(shape(v))) queue.push(v.pathname + v.search)
    }
  }
  console.log(`${user}: ${n} pages`)
  await context.close()
}
process.exit(bad ? 1 : 0)
