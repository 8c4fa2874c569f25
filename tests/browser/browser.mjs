// browser.mjs - start Debian's Chromium through playwright-core for a test.
//
// Every browser gets a fresh profile in its own temporary folder, removed on
// close, so no test sees another's cookies or cache.  Playwright never
// downloads a browser here: it drives /usr/bin/chromium.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { pageTextProblems } from './pagetext.mjs'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** The portal's base URL (no trailing slash), from PORTAL_URL. */
export function portalUrl () {
  const url = process.env.PORTAL_URL
  if (!url) {
    throw new Error('PORTAL_URL is not set: run the suite with tests/browser/run.sh BUILD_DIR')
  }
  return url.replace(/\/+$/, '')
}

/**
 * Start Chromium with a fresh profile and return its browser context.
 * options: passed to the context (javaScriptEnabled, viewport, ...).
 * The returned context's close() also removes the profile folder.
 */
export async function openBrowser (options = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'portal-chromium-'))
  let context
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 1000 },
      ...options
    })
  } catch (err) {
    await rm(profile, { recursive: true, force: true })
    throw err
  }
  // fail within seconds when an element never shows, not after 30
  context.setDefaultTimeout(10000)
  // Every page any test shows is read as a person would (pagetext.mjs):
  // what is wrong is collected as each page loads, and closing the
  // context fails the test that opened it.  The API's own page (/api/)
  // shows codes on purpose.
  const textProblems = []
  context.on('page', (page) => {
    page.on('load', async () => {
      try {
        if (new URL(page.url()).pathname.startsWith('/api/')) return
        for (const p of await pageTextProblems(page)) textProblems.push(`${new URL(page.url()).pathname}: ${p}`)
      } catch { /* the page went on before it could be read: the next load is */ }
    })
  })
  const close = context.close.bind(context)
  context.close = async () => {
    await close()
    await rm(profile, { recursive: true, force: true })
    if (textProblems.length) {
      throw new Error(`pages showed what a person should never read:\n  ${[...new Set(textProblems)].join('\n  ')}`)
    }
  }
  return context
}

/**
 * Open `pathname` of the portal in a new page of `context`.  Returns the page,
 * the navigation's response, and the console messages that mention a Content
 * Security Policy violation or a failed load (collected as the page runs).
 */
export async function visit (context, pathname) {
  const page = await context.newPage()
  const problems = []
  page.on('console', (message) => {
    const text = message.text()
    if (message.type() === 'error' || /Content Security Policy/i.test(text)) {
      problems.push(text)
    }
  })
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`))
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`)
  })
  const response = await page.goto(portalUrl() + pathname, { waitUntil: 'load' })
  return { page, response, problems }
}
