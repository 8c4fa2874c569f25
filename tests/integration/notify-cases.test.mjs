// notify-cases.test.mjs - issue 17 part 4: each case event is a notification
// to the other side.  ngo.a shares a case with the North East BCU: its police
// staff (police.northeast, responder.police) have an unread notification, a
// police user of another unit none; the unit acknowledges and posts "NRM
// referral made": ngo.a has one; ngo.a replies: the unit has one; ngo.a
// closes the case: the unit hears of it, ngo.a does not.  The e-mails in
// the stack's Maildir link to the case and carry neither reference nor note.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startStack, sleep } from './lib/stack.mjs';
import { api } from './lib/beds.mjs';
import { readMaildir } from './lib/maildir.mjs';

let stack;
const as = {};
const TAG = String(Date.now() % 100000);
const SECRET = {
  reference: `NGO-NC-${TAG}`, police: `MPS-NC-${TAG}`, note: `Referral sent to the SCA ${TAG}`,
  reply: `She is safe at the house ${TAG}`, outcome: `Support ended well ${TAG}`,
};

before(async () => {
  stack = await startStack({ PORTAL_NOTIFY_RETRY_SECONDS: '1', PORTAL_NOTIFY_RETRY_MAX_SECONDS: '2' });
  for (const u of ['ngo.a', 'police.northeast', 'responder.police', 'police.east']) as[u] = await stack.signIn(u);
});
after(async () => { if (stack) await stack.stop(); });

const act = async (who, id, what, body = {}) => {
  const r = await api(stack, as[who], 'POST', `/api/v1/cases/${id}/${what}`, body);
  assert.equal(r.status, 200, r.text);
};

// The notifications of `who` of kind `kind` linking to `link`, once there
// is one (waiting up to `seconds`; 0: look once).
async function notices(who, link, kind, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const r = await api(stack, as[who], 'GET', '/api/v1/notifications?per_page=100');
    assert.equal(r.status, 200, r.text);
    const found = r.body.items.filter((n) => n.link === link && n.kind === kind);
    if (found.length || Date.now() >= end) return found;
    await sleep(250);
  }
}

test('each case event is a notification to the other side, and the e-mails carry no reference and no note', async () => {
  const c = await api(stack, as['ngo.a'], 'POST', '/api/v1/cases', {
    reference: SECRET.reference, shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham',
    exploitation_types: ['labour'], contact_consent: true, wants: ['nrm_referral_made', 'outcome'] });
  assert.equal(c.status, 201, c.text);
  const id = c.body.case.id;
  const link = `/cases/${id}`;

  for (const who of ['police.northeast', 'responder.police']) {
    const [shared] = await notices(who, link, 'case_shared');
    assert.ok(shared, `${who} hears that a case was shared with the unit`);
    assert.equal(shared.read, false);
    assert.doesNotMatch(shared.text, new RegExp(SECRET.reference));
  }

  await act('police.northeast', id, 'acknowledge', { police_reference: SECRET.police });
  await act('police.northeast', id, 'updates', { status: 'nrm_referral_made', note: SECRET.note });
  const [updated] = await notices('ngo.a', link, 'case_updated');
  assert.ok(updated, 'ngo.a hears of the update');
  assert.equal(updated.text, 'A case your agency shared has an update: sign in to read it');
  assert.ok((await notices('ngo.a', link, 'case_acknowledged')).length, 'ngo.a hears that the unit received it');

  await act('ngo.a', id, 'updates', { note: SECRET.reply });
  assert.ok((await notices('police.northeast', link, 'case_replied')).length, 'the unit hears of the reply');
  await act('ngo.a', id, 'close', { outcome: SECRET.outcome });
  assert.ok((await notices('police.northeast', link, 'case_closed')).length, 'the unit hears that ngo.a closed it');

  // the side that closed it, and another unit, hear nothing of it
  await sleep(1500);
  assert.equal((await notices('ngo.a', link, 'case_closed', 0)).length, 0, 'ngo.a closed it: no notification');
  for (const kind of ['case_shared', 'case_replied', 'case_closed'])
    assert.equal((await notices('police.east', link, kind, 0)).length, 0, `police.east: no ${kind}`);
  assert.equal((await notices('ngo.a', link, 'case_shared', 0)).length, 0, 'ngo.a shared it: no notification');

  // the e-mails: to both sides, linking to the case, without reference or note
  const mine = readMaildir(join(stack.dir, 'mail')).filter((m) => m.parts.some((p) => p.text.includes(`${link}\n`) ||
    p.text.includes(`${link}"`)));
  const to = new Set(mine.map((m) => m.headers.to));
  for (const who of ['ngo.a', 'police.northeast', 'responder.police'])
    assert.ok(to.has(`${who}@example.org`), `${who} has an e-mail about the case`);
  assert.ok(!to.has('police.east@example.org'), 'another unit has none');
  assert.ok(mine.length >= 6, `${mine.length} messages`);
  for (const m of mine) {
    const all = m.raw + m.subject + m.parts.map((p) => p.text).join('\n');
    for (const [what, value] of Object.entries(SECRET)) assert.ok(!all.includes(value), `an e-mail holds the ${what}`);
  }
});
