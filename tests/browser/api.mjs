// api.mjs - set-up and checks of the browser tests through the JSON API:
// `session(username)` signs a demo person in and gives {cookie, csrf};
// `call(who, method, path, body)` answers {status, body, cookie}.
import assert from 'node:assert/strict'
import { portalUrl } from './browser.mjs'
import { DEMO_PASSWORD } from './census.mjs'

export async function call (who, method, path, body) {
  const headers = { cookie: who.cookie ?? '', 'x-csrf-token': who.csrf ?? '' }
  if (body) headers['content-type'] = 'application/json'
  const res = await fetch(portalUrl() + path, { method, headers, body: body && JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null, cookie: (res.headers.get('set-cookie') || '').split(';')[0] }
}

export async function session (username) {
  const r = await call({}, 'POST', '/api/v1/auth/login', { username, password: DEMO_PASSWORD })
  assert.equal(r.status, 200)
  return { cookie: r.cookie, csrf: r.body.csrf_token }
}
