// feedback.mjs - the demo responder's feedback form, for the browser tests
// that give feedback on the past demo session (training-feedback and
// monitoring-journey): either may run first, so the form is reached from
// My training by "Give feedback" or, once given, by "See your feedback"
// and "Change your feedback".  `go(locator)` clicks a link or button and
// waits for (and checks) the next page, as the calling test does.

// On My training: open the feedback form of the past booking named `course`.
export async function openFeedbackForm (page, course, go) {
  const item = page.locator('li[data-past-booking]', { hasText: course })
  const give = item.getByRole('link', { name: /Give feedback/ })
  if (await give.count()) return go(give)
  await go(item.getByRole('link', { name: /See your feedback/ }))
  return go(page.locator('main').getByRole('link', { name: 'Change your feedback' }))
}

// Answer every question of the form (before 2, after 4, usefulness 5) with
// `text`, and send it.
export async function answerFeedback (page, text, go) {
  for (const name of await page.locator('input[type=radio][name^=confidence_before_]').evaluateAll(
    (inputs) => [...new Set(inputs.map((i) => i.name))])) {
    await page.check(`input[name=${name}][value="2"]`)
    await page.check(`input[name=${name.replace('before', 'after')}][value="4"]`)
  }
  await page.check('input[name=usefulness][value="5"]')
  await page.fill('#text', text)
  return go(page.locator('main button:has-text("Send my feedback")'))
}
