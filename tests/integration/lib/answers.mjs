// answers.mjs - every answer the integration tests receive, seen in one
// place (stack.fetch): with PORTAL_ANSWERS_RECORD=FILE each JSON answer under
// /api/ is appended to FILE as one line {method, path, status, body}.
import { appendFileSync } from 'node:fs';

const RECORD = process.env.PORTAL_ANSWERS_RECORD;

export async function seeAnswer(method, url, res) {
  if (!RECORD) return;
  const u = new URL(url);
  if (!u.pathname.startsWith('/api/')) return;
  if (!(res.headers.get('content-type') || '').includes('json')) return;
  let body;
  try { body = await res.clone().json(); } catch { body = '(not JSON)'; }
  appendFileSync(RECORD, `${JSON.stringify({ method, path: u.pathname, status: res.status, body })}\n`);
}
