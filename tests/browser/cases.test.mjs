// cases.test.mjs - issue 17's journey in the browser: ngo.a shares a case
// with the North East BCU through the form; police.northeast finds it in the
// unit's queue, acknowledges it with a police reference and posts "NRM
// referral made" with a note; ngo.a has a notification of it that opens
// the case, and sees the timeline with the note; a
// police user of another BCU gets 404 for it; a coordinator sees the
// timings but not the note.  A note with personal data is refused (422) and
// the form keeps what was typed.  Every page passes pageTextProblems and
// axe-core at desktop width and at 320 CSS px.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser } from './browser.mjs'
import { signIn } from './census.mjs'
import { pageTextProblems } from './pagetext.mjs'

const NOTE = 'Referral made to the Single Competent Authority today'

// The page at each width a person may use: no code, JSON or timestamp on
// it, nothing axe-core finds.
async function checkPage (page) {
  const widths = [1024, 320, 1024]
  while (widths.length > 1) {
    await page.setViewportSize({ width: widths.shift(), height: 800 })
    assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${page.viewportSize().width} px`)
    await assertAccessible(page)
  }
  await page.setViewportSize({ width: widths[0], height: 800 })
}

async function submit (page, button) {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(`main button:has-text("${button}")`)])
  await checkPage(page)
  return res
}

describe('cases: share, acknowledge, update, read back', () => {
  const ctx = {}
  const pages = {}
  let caseUrl
  const reference = `JOURNEY-${Date.now() % 100000}`

  before(async () => {
    for (const who of ['ngo.a', 'police.northeast', 'police.east', 'coordinator']) {
      ctx[who] = await openBrowser()
      pages[who] = await ctx[who].newPage()
      await signIn(pages[who], who)
    }
  })
  after(async () => { for (const c of Object.values(ctx)) await c.close() })

  test('ngo_a_shares_a_case_with_the_north_east_bcu_through_the_form', async () => {
    const page = pages['ngo.a']
    await page.goto(new URL('/cases/', page.url()).href)
    await checkPage(page)
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Share a case with the police")')])
    await checkPage(page)
    await page.fill('#reference', reference)
    const empty = await submit(page, 'Share the case')
    assert.equal(empty.status(), 422)
    assert.equal(await page.inputValue('#reference'), reference, 'the form keeps what was typed')
    await page.fill('#shared_on', '2026-12-01')
    await page.check('#channel')
    await page.selectOption('#unit', 'north-east')
    await page.selectOption('#borough', 'newham')
    await page.check('#exploitation_types-labour')
    await page.check('#contact_consent')
    await page.check('#wants-nrm_referral_made')
    const res = await submit(page, 'Share the case')
    assert.equal(res.status(), 200)
    assert.match(page.url(), /\/cases\/\d+\?done=shared$/)
    caseUrl = page.url().replace(/\?.*$/, '')
    assert.ok((await page.textContent('main')).includes('The case is shared with the unit'))
  })

  test('police_northeast_finds_it_in_the_queue_acknowledges_and_posts_nrm_referral_made', async () => {
    const page = pages['police.northeast']
    await page.goto(new URL('/cases/?status=awaiting_acknowledgement', caseUrl).href)
    await checkPage(page)
    await Promise.all([page.waitForNavigation(), page.click(`a:has-text("${reference}")`)])
    await checkPage(page)
    await page.fill('#police_reference', 'MPS-NE-JOURNEY')
    await submit(page, 'Acknowledge')
    assert.equal((await page.textContent('[data-cases=status]')).trim(), 'Received')
    await page.selectOption('#status', 'nrm_referral_made')
    await page.fill('#note', 'Her date of birth is 12/03/1985')
    const refused = await submit(page, 'Post the update')
    assert.equal(refused.status(), 422)
    assert.equal(await page.inputValue('#note'), 'Her date of birth is 12/03/1985', 'the form keeps what was typed')
    await page.fill('#note', NOTE)
    await submit(page, 'Post the update')
    assert.equal((await page.textContent('[data-cases=status]')).trim(), 'NRM referral made')
  })

  test('ngo_a_has_a_notification_of_the_update_and_it_opens_the_case', async () => {
    const page = pages['ngo.a']
    const path = new URL(caseUrl).pathname
    const link = `main a[href$="${path}"]:has-text("A case your agency shared has an update")`
    // portal-notify writes it from the case's event: up to 30 s
    for (let i = 0; i < 60 && !(await page.goto(new URL('/notifications', caseUrl).href) && await page.$(link)); i++)
      await page.waitForTimeout(500)
    assert.ok(await page.$(link), 'ngo.a has a notification of the update')
    await checkPage(page)
    await Promise.all([page.waitForNavigation(), page.click(link)])
    assert.equal(new URL(page.url()).pathname, path)
  })

  test('ngo_a_sees_the_timeline_with_the_update_and_the_note', async () => {
    const page = pages['ngo.a']
    await page.goto(caseUrl)
    await checkPage(page)
    const text = await page.textContent('[data-cases=timeline]')
    assert.ok(text.includes('NRM referral made') && text.includes(NOTE), text)
    assert.ok((await page.textContent('main')).includes('MPS-NE-JOURNEY'))
  })

  test('police_of_another_bcu_gets_404_and_the_coordinator_sees_timings_not_the_note', async () => {
    const east = await pages['police.east'].goto(caseUrl)
    assert.equal(east.status(), 404)
    const page = pages.coordinator
    const res = await page.goto(caseUrl)
    assert.equal(res.status(), 200)
    await checkPage(page)
    const text = await page.textContent('main')
    assert.ok(text.includes('Acknowledged') && text.includes('NRM referral made'), text)
    assert.ok(!text.includes(NOTE) && !text.includes(reference) && !text.includes('MPS-NE-JOURNEY'))
    await page.goto(new URL('/cases/reports/responsiveness', caseUrl).href)
    await checkPage(page)
    assert.ok((await page.textContent('main')).includes('North East BCU'))
  })
})
