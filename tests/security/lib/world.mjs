// world.mjs - the people and records the security tests attack: two extra
// staff (a responder of a fourth agency who books training, a trainer of
// another agency), every demo user and them signed in, and one record of
// each kind that has an id, each holding a secret that only its own party
// may ever see (a hold's case reference and call-back phone, the booker's
// name, a proposed change, a suggestion).
import { randomBytes } from 'node:crypto';
import { send, addPeople, DEMO_USERS } from './portal.mjs';
import { fromNow, moveSession } from '../../integration/lib/training.mjs';

export const BOOKER = { uid: 'sec.booker', role: 'responder', agency: 'sec-agency-x', agencyName: 'Security Test Police', type: 'police', name: 'Booker Vantablack' };
export const OTHER_TRAINER = { uid: 'sec.trainer', role: 'trainer', agency: 'sec-training-x', agencyName: 'Other Training Agency', type: 'ngo', name: 'Trainer Elsewhere' };

// Everyone the matrix tries, signed in or not.
export const ACTORS = ['anonymous', ...DEMO_USERS, BOOKER.uid, OTHER_TRAINER.uid];
export const RESPONDERS = ['responder.police', 'responder.council', 'responder.health', BOOKER.uid];
export const SIGNED_IN = ACTORS.filter((a) => a !== 'anonymous');

// The demo directory's entries of ngo.a's agency (demo-charity-a).
export const A_SERVICE = '5e000000-0000-4000-8000-000000000001';
export const A_ORG = 'd0000000-0000-4000-8000-000000000001';

// Whose each secret of the world is (they may see it; nobody else outside
// the record's party may).
export const SECRET_OWNERS = {
  reference: 'responder.police', phone: 'responder.police', booker: BOOKER.uid, bookerName: BOOKER.uid,
  change: 'ngo.a', suggestion: 'responder.police', caseReference: 'ngo.a',
};

const ok = (r, what, ...want) => {
  if (!want.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
};

// Sign everyone in and make the records; returns { as, ids, secrets }.
// `as[name]` is the session of that actor (null for anonymous).
export async function makeWorld(stack) {
  await addPeople(stack, [BOOKER, OTHER_TRAINER]);
  const as = { anonymous: null };
  for (const u of SIGNED_IN) as[u] = await stack.signIn(u);
  const tag = randomBytes(4).toString('hex');
  const secrets = {
    reference: `SECREF-${tag}`,
    phone: `07700900${String(parseInt(tag, 16) % 1000).padStart(3, '0')}`,
    booker: BOOKER.uid,
    bookerName: BOOKER.name,
    change: `Secchg${tag}`,
    suggestion: `Secsug${tag}`,
    caseReference: `SECCASE-${tag}`,
  };
  const ids = {};

  // beds: a safehouse of ngo.a with vacant beds, and a pending hold on it by responder.police
  let b = ok(await send(stack, as['ngo.a'], 'POST', '/api/v1/beds/safehouses', {
    name: `Sec House ${tag}`, area: 'hackney', groups: { women: { beds: 5 } }, pre_nrm: true,
    languages: ['sq'], referral_phone: '020 7946 0999', referral_hours: '24 hours',
  }), 'safehouse', 201);
  ids.house = String(b.safehouse.id);
  ok(await send(stack, as['ngo.a'], 'PUT', `/api/v1/beds/safehouses/${ids.house}/vacancies`, { women: 5 }), 'vacancies', 200);
  b = ok(await send(stack, as['responder.police'], 'POST', `/api/v1/beds/safehouses/${ids.house}/holds`,
    { group: 'women', reference: secrets.reference, callback_phone: secrets.phone }), 'hold', 201);
  ids.hold = String(b.hold.id);
  // and a closed one (declined), on which either side may say what happened (issue 18)
  b = ok(await send(stack, as['responder.police'], 'POST', `/api/v1/beds/safehouses/${ids.house}/holds`,
    { group: 'women', reference: secrets.reference, callback_phone: secrets.phone }), 'hold', 201);
  ids.closed_hold = String(b.hold.id);
  ok(await send(stack, as['ngo.a'], 'POST', `/api/v1/beds/holds/${ids.closed_hold}/decline`, { reason: 'other' }), 'hold', 200);
  // notifications: ngo.a's of that hold (portal-notify writes it within seconds)
  for (let i = 0; i < 120 && !ids.notice; i++) {
    const n = (await send(stack, as['ngo.a'], 'GET', '/api/v1/notifications?per_page=100')).body?.items ?? [];
    ids.notice = n.find((x) => x.link === `/beds/holds/${ids.hold}`)?.id;
    if (!ids.notice) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!ids.notice) throw new Error('world: no notification of the hold for ngo.a within 30 s');

  // training: a course and a session of the trainer's agency, booked by the booker
  b = ok(await send(stack, as.trainer, 'POST', '/api/v1/training/courses', {
    title: `Sec course ${tag}`, summary: 'First Responder duties', duration_minutes: 180,
  }), 'course', 201);
  ids.course = String(b.course.id);
  b = ok(await send(stack, as.trainer, 'POST', '/api/v1/training/sessions', {
    course_id: Number(ids.course), starts_at: fromNow(30), ends_at: fromNow(30, 3), venue: 'Room 1', capacity: 10,
  }), 'session', 201);
  ids.session = String(b.session.id);
  b = ok(await send(stack, as[BOOKER.uid], 'POST', `/api/v1/training/sessions/${ids.session}/bookings`, {}), 'booking', 201);
  ids.booking = String(b.booking.id);
  // training feedback (issue 18): a session of that course that has ended,
  // the booker marked attended, and their feedback given
  b = ok(await send(stack, as.trainer, 'POST', '/api/v1/training/sessions', {
    course_id: Number(ids.course), starts_at: fromNow(20), ends_at: fromNow(20, 3), venue: 'Room 1', capacity: 10,
  }), 'feedback session', 201);
  ids.fbsession = String(b.session.id);
  b = ok(await send(stack, as[BOOKER.uid], 'POST', `/api/v1/training/sessions/${ids.fbsession}/bookings`, {}), 'feedback booking', 201);
  ids.fbbooking = String(b.booking.id);
  await moveSession(stack, ids.fbsession, new Date(Date.now() - 7200e3), new Date(Date.now() - 3600e3));
  ok(await send(stack, as.trainer, 'PUT', `/api/v1/training/sessions/${ids.fbsession}/attendance/${ids.fbbooking}`,
    { attendance: 'attended' }), 'attendance', 200);
  ok(await send(stack, as[BOOKER.uid], 'POST', `/api/v1/training/bookings/${ids.fbbooking}/feedback`,
    { confidence_before: [], confidence_after: [], usefulness: 4, text: 'Joint role play helped.' }), 'feedback', 201);

  // directory: ngo.a's own service and organisation, a change ngo.a proposed,
  // a suggestion a responder sent about the service, a coordinator's pathway
  ids.service = A_SERVICE;
  ids.org = A_ORG;
  b = ok(await send(stack, as['ngo.a'], 'PUT', `/api/v1/directory/services/${A_SERVICE}`,
    { name: `Women's safehouse referrals ${secrets.change}` }), 'change', 202);
  ids.change = b.id;
  b = ok(await send(stack, as['responder.police'], 'POST', `/api/v1/directory/services/${A_SERVICE}/suggestions`,
    { text: `The phone line has moved ${secrets.suggestion}` }), 'suggestion', 201);
  ids.suggestion = b.id;
  b = ok(await send(stack, as.coordinator, 'POST', '/api/v1/directory/pathways', {
    title: `Sec pathway ${tag}`, summary: 'What to do first', steps: [{ text: 'Call the helpline', search: 'language=sq' }],
  }), 'pathway', 201);
  ids.pathway = b.id;

  // cases: ngo.a shares a case with the North East BCU, responder.police's unit
  b = ok(await send(stack, as['ngo.a'], 'POST', '/api/v1/cases', {
    reference: secrets.caseReference, shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham',
    exploitation_types: ['labour'], contact_consent: true, wants: ['outcome'],
  }), 'case', 201);
  ids.case = b.case.id;

  // monitoring: three guide entries and two themes of the coordinator's
  // (each removal takes its own), an observation ngo.a sent
  for (const [name, term] of [['entry', 'sec entry'], ['entry2', 'sec entry two'], ['entry3', 'sec entry three']]) {
    b = ok(await send(stack, as.coordinator, 'POST', '/api/v1/language-guide',
      { term, preferred: 'other words', reason: 'A test entry of the guide.', source: 'Security suite' }), name, 201);
    ids[name] = String(b.entry.id);
  }
  for (const [name, theme] of [['theme', `Sec theme ${tag}`], ['theme2', `Sec theme two ${tag}`]]) {
    b = ok(await send(stack, as.coordinator, 'POST', '/api/v1/monitoring/themes', { name: theme }), name, 201);
    ids[name] = String(b.theme.id);
  }
  b = ok(await send(stack, as['ngo.a'], 'POST', '/api/v1/monitoring/observations', { text: `Joint visits worked ${tag}` }), 'observation', 201);
  ids.text = String(b.observation.id);
  return { as, ids, secrets };
}
