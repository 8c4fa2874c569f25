// notes.js - the language guide's notes as you type (issue 18), for every
// textarea with data-language-notes="ID": a short pause after typing asks
// POST /api/v1/language-guide/notes and lists each term found, with what to
// say instead and why, in the element ID (an aria-live region).  Nothing
// here stops the form: without this script, or when the portal does not
// answer, the notes are shown on the page after saving.
const PAUSE_MS = 400

function noteItem (note) {
  const item = document.createElement('li')
  const said = document.createElement('strong')
  said.textContent = `You wrote “${note.found}”: say “${note.preferred}”. `
  item.append(said, document.createTextNode(note.reason))
  return item
}

function showNotes (region, notes) {
  region.replaceChildren()
  if (notes.length === 0) return
  const heading = document.createElement('p')
  heading.className = 'govuk-body govuk-!-font-weight-bold'
  heading.textContent = 'The language guide suggests other words (you can still send it as it is):'
  const list = document.createElement('ul')
  list.className = 'govuk-list govuk-list--bullet'
  list.append(...notes.map(noteItem))
  region.append(heading, list)
}

async function askNotes (field, region) {
  const token = field.form && field.form.querySelector('input[name=csrf_token]')
  try {
    const res = await fetch('/api/v1/language-guide/notes', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token ? token.value : '' },
      body: JSON.stringify({ text: field.value })
    })
    if (res.ok) showNotes(region, (await res.json()).language_notes || [])
  } catch (e) {
    // no notes as you type: they are shown after saving
  }
}

for (const field of document.querySelectorAll('textarea[data-language-notes]')) {
  const region = document.getElementById(field.dataset.languageNotes)
  if (!region) continue
  let timer = null
  field.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(() => askNotes(field, region), PAUSE_MS)
  })
  if (field.value) askNotes(field, region)
}
