// portal.js - progressive enhancement for every portal page.
//
// Loaded as an ES module (<script type="module">), so browsers that cannot run
// GOV.UK Frontend never see it and keep the plain HTML pages, which work on
// their own.  No page carries an inline script: the Content Security Policy
// is default-src 'self'.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported')
initAll()
