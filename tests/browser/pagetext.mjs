// pagetext.mjs - what a page must never show a person (issue 15's rules):
// a raw code (a value of one of the portal's code lists standing alone as
// the text of an element, or a lower-case word joined by underscores), JSON
// brackets, an ISO timestamp, a template's {{, "undefined" or "null", an
// empty <dt>/<dd> or label, and - at a phone's 320 CSS px - a page wider than
// the window (WCAG 2.1 SC 1.4.10).  pageTextProblems(page, {codes}) returns
// the problems found, each a line naming what and where.

// Every enum value of the API description (the portal's code lists).
export function codesOf (doc) {
  const codes = new Set()
  const walk = (node) => {
    if (Array.isArray(node)) { node.forEach(walk); return }
    if (node === null || typeof node !== 'object') return
    if (Array.isArray(node.enum)) node.enum.forEach((v) => { if (typeof v === 'string' && /^[a-z][a-z0-9_-]*$/.test(v)) codes.add(v) })
    Object.values(node).forEach(walk)
  }
  walk(doc)
  return codes
}

export async function pageTextProblems (page, { codes = new Set(), width = true } = {}) {
  const found = await page.evaluate((codeList) => {
    const codes = new Set(codeList)
    const out = []
    const where = (el) => {
      const parts = []
      for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
        parts.unshift(e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') +
          (e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/)[0]}` : ''))
      }
      return parts.join(' > ')
    }
    const visible = (el) => {
      // not rendered at all (inside a closed <details>, say): nothing to read
      if (el.checkVisibility && !el.checkVisibility()) return false
      const s = getComputedStyle(el)
      return s.display !== 'none' && s.visibility !== 'hidden' && !el.closest('[hidden], .govuk-visually-hidden, script, style, pre, code, textarea')
    }
    // text nodes, each with the element that holds it
    const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      const text = n.textContent.trim()
      if (!text || !el || !visible(el)) continue
      const own = el.innerText?.trim() ?? text
      if (codes.has(own) && own === text) out.push(`raw code "${own}" at ${where(el)}`)
      const snake = text.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/)
      if (snake) out.push(`code-like word "${snake[0]}" at ${where(el)}: "${text.slice(0, 80)}"`)
      if (/[[{]\s*"|"\s*[\]}]/.test(text)) out.push(`JSON at ${where(el)}: "${text.slice(0, 80)}"`)
      if (/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) out.push(`ISO timestamp at ${where(el)}: "${text.slice(0, 80)}"`)
      if (/\{\{|\}\}/.test(text)) out.push(`template braces at ${where(el)}: "${text.slice(0, 80)}"`)
      if (/\b(undefined|null|NaN)\b/.test(text)) out.push(`"undefined"/"null" at ${where(el)}: "${text.slice(0, 80)}"`)
    }
    for (const el of document.querySelectorAll('main dt, main dd, main label, main th, main h1, main h2')) {
      if (visible(el) && !el.innerText.trim() && !el.querySelector('input, select, img, svg, a, button')) {
        out.push(`empty <${el.tagName.toLowerCase()}> at ${where(el)}`)
      }
    }
    return { out, width: document.documentElement.scrollWidth, window: window.innerWidth }
  }, [...codes])
  const problems = found.out
  if (width && found.width > found.window) problems.push(`page is ${found.width} CSS px wide in a ${found.window} px window`)
  return problems
}
