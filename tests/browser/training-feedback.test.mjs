// training-feedback.test.mjs - issue 18's first "Done when" in the browser:
// the demo responder (responder.police), who attended a past demo session,
// finds it in My training, gives feedback (confidence before and after in
// each learning outcome, usefulness, what they will do differently); a
// date of birth in the text is refused with every answer kept; "she claims
// she was plugging" saves, and the page after saving shows both language
// notes with their preferred wording and a link to change the text.  The
// session's trainer then reads the averages and the text, without names.
// Every page passes pageTextProblems and axe-core at 1024 and 320 CSS px.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { assertAccessible } from './axe.mjs'
import { openBrowser, visit } from './browser.mjs'
import { answerFeedback, openFeedbackForm } from './feedback.mjs'
import { pageTextProblems } from './pagetext.mjs'

describe('training feedback: the demo responder tells how a past session went', () => {
  let browser
  before(async () => { browser = await openBrowser() })
  after(async () => { await browser?.close() })

  async function checked (page) {
    for (const width of [1024, 320]) {
      await page.setViewportSize({ width, height: 800 })
      assert.deepEqual(await pageTextProblems(page), [], `${page.url()} at ${width} px`)
      await assertAccessible(page)
    }
    await page.setViewportSize({ width: 1024, height: 800 })
    return page
  }

  async function as (username, path) {
    await browser.clearCookies()
    const { page } = await visit(browser, '/login')
    await page.fill('#username', username)
    await page.fill('#password', 'Demo-Portal-1')
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')])
    await page.goto(new URL(path, page.url()).href)
    return checked(page)
  }

  // Answer every question of the form: before 2, after 4, usefulness 5.
  const answer = (page, text) => answerFeedback(page, text, async (button) => {
    await Promise.all([page.waitForNavigation(), button.click()])
    return checked(page)
  })

  test('feedback from My training: a date of birth refused with the answers kept, then saved with two notes', async () => {
    let page = await as('responder.police', '/training/my')
    // the monitoring journey may have given feedback on it first: then the form is reached to change it
    page = await openFeedbackForm(page, 'Language matters: talking with victims', async (link) => {
      await Promise.all([page.waitForNavigation(), link.click()])
      return checked(page)
    })
    assert.match(await page.locator('h1').innerText(), /Tell us how the session went/)
    assert.equal(await page.locator('main h2', { hasText: 'Say "states" where a record would say "claims"' }).count(), 1)

    page = await answer(page, 'Born 12/03/1985, she said.')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /date of birth/)
    assert.equal(await page.inputValue('#text'), 'Born 12/03/1985, she said.')
    assert.equal(await page.locator('input[name=confidence_before_1][value="2"]').isChecked(), true)
    assert.equal(await page.locator('input[name=confidence_after_3][value="4"]').isChecked(), true)
    assert.equal(await page.locator('input[name=usefulness][value="5"]').isChecked(), true)

    page = await answer(page, 'she claims she was plugging')
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /your feedback is saved/)
    const notes = await page.locator('.portal-language-note').allInnerTexts()
    assert.equal(notes.length, 2, notes.join(' | '))
    assert.match(notes[0], /“claims”: say “states”/)
    assert.match(notes[1], /“plugging”: say “coerced internal concealment”/)
    assert.equal(await page.getByRole('link', { name: 'Change the text' }).count(), 1)

    page = await as('responder.police', '/training/my')
    assert.match(await page.locator('li[data-past-booking]', { hasText: 'Language matters' }).innerText(), /Feedback given/)
  })

  test('the trainer reads the session feedback without names', async () => {
    let page = await as('responder.police', '/training/my')
    const href = await page.locator('li[data-past-booking]', { hasText: 'Language matters' })
      .getByRole('link', { name: /See your feedback/ }).getAttribute('href')
    const booking = href.split('/')[3]
    page = await as('trainer', `/training/sessions/${booking.split('-')[0]}`)
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Feedback from the people who attended' }).click()])
    page = await checked(page)
    const table = await page.locator('table[data-feedback-outcomes]').innerText()
    assert.match(table, /Record what a victim says without judgement\s+2\s+4\s+1/)
    assert.match(await page.locator('[data-feedback-texts]').innerText(), /she claims she was plugging/)
    assert.doesNotMatch(await page.locator('main').innerText(), /Priya Shah|responder\.police/)
  })
})
