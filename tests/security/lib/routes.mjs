// routes.mjs - the security suite's table of routes: every route of the
// modules' route tables (modules/*/main.c) that names a record by id, or
// changes state, or lists private records, with who may use it and a valid
// body.  access.test.mjs builds its matrix (route x everyone else) from it,
// csrf.test.mjs its list of state-changing requests.  A route added to a
// module is one line here; a route missing here fails both suites.
import { ACTORS, RESPONDERS, SIGNED_IN, BOOKER } from './world.mjs';
import { fromNow } from '../../integration/lib/training.mjs';

const ALL = SIGNED_IN;
const COORD = ['coordinator'];
const A_NGO = ['ngo.a'];                         // the NGO that runs the safehouse and owns the directory entries
const EDIT_A = ['ngo.a', 'coordinator'];         // who may change ngo.a's directory entries
const STAFF = ['trainer', 'coordinator'];        // the trainers of the course's agency, and coordinators
const BOOKING = [BOOKER.uid, ...STAFF];          // the booker and the course's staff

// A session's date fields on the page form (London wall clock), 40 days on.
function sessionForm() {
  const d = new Date(Date.now() + 40 * 86400e3);
  return {
    course_id: '{course}', starts_at_day: d.getUTCDate(), starts_at_month: d.getUTCMonth() + 1, starts_at_year: d.getUTCFullYear(),
    starts_at_time: '10:00', ends_at_day: d.getUTCDate(), ends_at_month: d.getUTCMonth() + 1, ends_at_year: d.getUTCFullYear(),
    ends_at_time: '13:00', venue: 'Room 2', capacity: 12,
  };
}
const sessionJson = () => ({ course_id: '{course}', starts_at: fromNow(40), ends_at: fromNow(40, 3), venue: 'Room 2', capacity: 12 });
const serviceJson = { name: 'Taken over' };
const serviceForm = { name: 'Taken over', description: 'Changed.', service_types: 'advocacy', referrers: 'police', boroughs: 'london-wide', steps: 'Call us', contact: '020 7946 0100' };
const orgJson = { name: 'Taken over', description: 'Changed' };
const pathwayJson = { title: 'Changed pathway', summary: 'Changed', steps: [{ text: 'Changed step', search: '' }] };
const pathwayForm = { title: 'Changed pathway', summary: 'Changed', step_text_1: 'Changed step' };
const safehouseJson = { name: 'Taken House', area: 'hackney', groups: { women: { beds: 5 } }, referral_phone: '020 7946 0999' };
const safehouseForm = { name: 'Taken House', area: 'hackney', beds_women: 5, referral_phone: '020 7946 0999' };
const holdBody = { group: 'women', reference: 'INTRUDER-1', callback_phone: '07700900999' };
const caseBody = { reference: 'INTRUDER-CASE', shared_on: '2026-11-30', channel: 'phone', unit: 'north-east', borough: 'newham', contact_consent: false };
const CASE_READ = ['ngo.a', 'responder.police', 'coordinator'];  // the two parties (responder.police is the North East BCU's) and coordinators
const guideEntry = (term) => ({ term, preferred: 'Taken over', reason: 'An intruder changed it.', source: 'Intruder 2026' });
const A_OBSERVER = ['ngo.a'];                    // who sent the world's observation

// [method, path as in the C route table, who may use it (everyone else is
// refused), body].  Paths' {id} and {booking_id} name the world's records
// through `ids` below.
const r = (method, path, allow, body, ids) => ({ method, path, allow, body, ids });

export const ID_ROUTES = [
  // beds: a safehouse of ngo.a, and the hold responder.police placed on it
  r('GET', '/beds/safehouses/{id}', [...RESPONDERS, ...A_NGO, ...COORD], undefined, 'house'),
  r('GET', '/api/v1/beds/safehouses/{id}', [...RESPONDERS, ...A_NGO, ...COORD], undefined, 'house'),
  r('GET', '/beds/safehouses/{id}/edit', A_NGO, undefined, 'house'),
  r('POST', '/beds/safehouses/{id}/edit', A_NGO, safehouseForm, 'house'),
  r('PUT', '/api/v1/beds/safehouses/{id}', A_NGO, safehouseJson, 'house'),
  r('POST', '/beds/safehouses/{id}/vacancies', A_NGO, { women: 1 }, 'house'),
  r('PUT', '/api/v1/beds/safehouses/{id}/vacancies', A_NGO, { women: 1 }, 'house'),
  r('POST', '/beds/safehouses/{id}/confirm', A_NGO, {}, 'house'),
  r('POST', '/api/v1/beds/safehouses/{id}/confirm', A_NGO, {}, 'house'),
  r('GET', '/beds/safehouses/{id}/hold', RESPONDERS, undefined, 'house'),
  r('POST', '/beds/safehouses/{id}/holds', RESPONDERS, holdBody, 'house'),
  r('POST', '/api/v1/beds/safehouses/{id}/holds', RESPONDERS, holdBody, 'house'),
  r('GET', '/beds/holds/{id}', ['responder.police', ...A_NGO, ...COORD], undefined, 'hold'),
  r('GET', '/api/v1/beds/holds/{id}', ['responder.police', ...A_NGO, ...COORD], undefined, 'hold'),
  r('POST', '/beds/holds/{id}/accept', A_NGO, {}, 'hold'),
  r('POST', '/api/v1/beds/holds/{id}/accept', A_NGO, {}, 'hold'),
  r('POST', '/beds/holds/{id}/decline', A_NGO, { reason: 'other' }, 'hold'),
  r('POST', '/api/v1/beds/holds/{id}/decline', A_NGO, { reason: 'other' }, 'hold'),
  r('POST', '/beds/holds/{id}/cancel', ['responder.police'], {}, 'hold'),
  r('POST', '/api/v1/beds/holds/{id}/cancel', ['responder.police'], {}, 'hold'),
  r('POST', '/beds/holds/{id}/extend', ['responder.police'], { minutes: 10 }, 'hold'),
  r('POST', '/api/v1/beds/holds/{id}/extend', ['responder.police'], { minutes: 10 }, 'hold'),
  // what happened after a closed hold: its two sides (issue 18)
  r('POST', '/beds/holds/{id}/outcome', ['ngo.a', 'responder.police'], { outcome: 'arrived', note: 'Went well.' }, 'closed_hold'),
  r('POST', '/api/v1/beds/holds/{id}/outcome', ['ngo.a', 'responder.police'], { outcome: 'arrived', note: 'Went well.' }, 'closed_hold'),
  r('GET', '/beds/holds/{id}/outcome', ['ngo.a', 'responder.police'], undefined, 'closed_hold'),

  // training: a course and session of the trainer's agency, booked by the booker
  r('GET', '/api/v1/training/courses/{id}', ALL, undefined, 'course'),
  r('PUT', '/api/v1/training/courses/{id}', STAFF, { title: 'Taken course', summary: 'Changed', duration_minutes: 60 }, 'course'),
  r('GET', '/training/courses/{id}/edit', STAFF, undefined, 'course'),
  r('POST', '/training/courses/{id}', STAFF, { title: 'Taken course', summary: 'Changed', duration_minutes: 60 }, 'course'),
  r('GET', '/api/v1/training/sessions/{id}', ALL, undefined, 'session'),
  r('GET', '/training/sessions/{id}', ALL, undefined, 'session'),
  r('PUT', '/api/v1/training/sessions/{id}', STAFF, sessionJson, 'session'),
  r('GET', '/training/sessions/{id}/edit', STAFF, undefined, 'session'),
  r('POST', '/training/sessions/{id}', STAFF, sessionForm, 'session'),
  r('GET', '/training/sessions/{id}/cancel', STAFF, undefined, 'session'),
  r('POST', '/api/v1/training/sessions/{id}/cancel', STAFF, {}, 'session'),
  r('POST', '/training/sessions/{id}/cancel', STAFF, {}, 'session'),
  r('POST', '/api/v1/training/sessions/{id}/bookings', ALL, {}, 'session'),
  r('POST', '/training/sessions/{id}/book', ALL, {}, 'session'),
  r('GET', '/api/v1/training/sessions/{id}/roster', STAFF, undefined, 'session'),
  r('GET', '/api/v1/training/sessions/{id}/roster.csv', STAFF, undefined, 'session'),
  r('GET', '/training/sessions/{id}/roster', STAFF, undefined, 'session'),
  r('GET', '/training/sessions/{id}/roster.csv', STAFF, undefined, 'session'),
  r('PUT', '/api/v1/training/sessions/{id}/attendance/{booking_id}', STAFF, { attendance: 'attended' }, 'session,booking'),
  r('POST', '/training/sessions/{id}/attendance/{booking_id}', STAFF, { attendance: 'attended' }, 'session,booking'),
  r('GET', '/api/v1/training/bookings/{id}', BOOKING, undefined, 'booking'),
  r('DELETE', '/api/v1/training/bookings/{id}', BOOKING, undefined, 'booking'),
  r('POST', '/training/bookings/{id}/cancel', BOOKING, {}, 'booking'),
  r('POST', '/api/v1/training/bookings/{id}/notice/dismiss', [BOOKER.uid], {}, 'booking'),
  r('POST', '/training/bookings/{id}/notice/dismiss', [BOOKER.uid], {}, 'booking'),
  r('GET', '/api/v1/training/bookings/{id}/calendar.ics', [BOOKER.uid], undefined, 'booking'),
  r('GET', '/training/bookings/{id}/calendar.ics', [BOOKER.uid], undefined, 'booking'),
  // feedback: on the booker's booking of a session that has ended (world.mjs)
  r('GET', '/training/bookings/{id}/feedback', [BOOKER.uid], undefined, 'fbbooking'),
  r('POST', '/training/bookings/{id}/feedback', [BOOKER.uid], { usefulness: 5, text: 'Changed.' }, 'fbbooking'),
  r('POST', '/api/v1/training/bookings/{id}/feedback', [BOOKER.uid],
    { confidence_before: [], confidence_after: [], usefulness: 5, text: 'Changed.' }, 'fbbooking'),
  r('GET', '/training/bookings/{id}/feedback/given', [BOOKER.uid], undefined, 'fbbooking'),
  r('GET', '/api/v1/training/bookings/{id}/feedback', [BOOKER.uid], undefined, 'fbbooking'),
  r('GET', '/training/sessions/{id}/feedback', STAFF, undefined, 'fbsession'),
  r('GET', '/api/v1/training/sessions/{id}/feedback', STAFF, undefined, 'fbsession'),

  // directory: ngo.a's service and organisation, ngo.a's proposed change,
  // a responder's suggestion about ngo.a's service, a coordinator's pathway
  r('GET', '/directory/services/{id}', ALL, undefined, 'service'),
  r('GET', '/api/v1/directory/services/{id}', ALL, undefined, 'service'),
  r('GET', '/directory/services/{id}/edit', EDIT_A, undefined, 'service'),
  r('POST', '/directory/services/{id}', EDIT_A, serviceForm, 'service'),
  r('PUT', '/api/v1/directory/services/{id}', EDIT_A, serviceJson, 'service'),
  r('POST', '/directory/services/{id}/suggestions', ALL, { text: 'A suggestion' }, 'service'),
  r('POST', '/api/v1/directory/services/{id}/suggestions', ALL, { text: 'A suggestion' }, 'service'),
  r('GET', '/api/v1/directory/openreferral/services/{id}', ALL, undefined, 'service'),
  r('GET', '/directory/organisations/{id}', ALL, undefined, 'org'),
  r('GET', '/api/v1/directory/organisations/{id}', ALL, undefined, 'org'),
  r('GET', '/api/v1/directory/openreferral/organizations/{id}', ALL, undefined, 'org'),
  r('GET', '/directory/organisations/{id}/edit', EDIT_A, undefined, 'org'),
  r('POST', '/directory/organisations/{id}', EDIT_A, orgJson, 'org'),
  r('PUT', '/api/v1/directory/organisations/{id}', EDIT_A, orgJson, 'org'),
  r('POST', '/directory/changes/{id}/approve', COORD, {}, 'change'),
  r('POST', '/api/v1/directory/changes/{id}/approve', COORD, {}, 'change'),
  r('POST', '/directory/changes/{id}/reject', COORD, { reason: 'No' }, 'change'),
  r('POST', '/api/v1/directory/changes/{id}/reject', COORD, { reason: 'No' }, 'change'),
  r('POST', '/directory/suggestions/{id}/close', EDIT_A, {}, 'suggestion'),
  r('POST', '/api/v1/directory/suggestions/{id}/close', EDIT_A, {}, 'suggestion'),
  r('GET', '/directory/pathways/{id}', ALL, undefined, 'pathway'),
  r('GET', '/api/v1/directory/pathways/{id}', ALL, undefined, 'pathway'),
  r('GET', '/directory/pathways/{id}/edit', COORD, undefined, 'pathway'),
  r('POST', '/directory/pathways/{id}', COORD, pathwayForm, 'pathway'),
  r('PUT', '/api/v1/directory/pathways/{id}', COORD, pathwayJson, 'pathway'),

  // cases: ngo.a's case shared with the North East BCU (responder.police's unit)
  r('GET', '/cases/{id}', CASE_READ, undefined, 'case'),
  r('GET', '/api/v1/cases/{id}', CASE_READ, undefined, 'case'),
  r('POST', '/cases/{id}/acknowledge', ['responder.police'], { police_reference: 'INTRUDER-POLICE' }, 'case'),
  r('POST', '/api/v1/cases/{id}/acknowledge', ['responder.police'], { police_reference: 'INTRUDER-POLICE' }, 'case'),
  r('POST', '/cases/{id}/updates', ['responder.police', 'ngo.a'], { status: 'allocated', note: 'An intruder note' }, 'case'),
  r('POST', '/api/v1/cases/{id}/updates', ['responder.police', 'ngo.a'], { status: 'allocated', note: 'An intruder note' }, 'case'),
  r('POST', '/cases/{id}/request-update', ['ngo.a'], {}, 'case'),
  r('POST', '/api/v1/cases/{id}/request-update', ['ngo.a'], {}, 'case'),
  r('POST', '/cases/{id}/close', ['ngo.a', 'responder.police'], { outcome: 'Closed by an intruder' }, 'case'),
  r('POST', '/api/v1/cases/{id}/close', ['ngo.a', 'responder.police'], { outcome: 'Closed by an intruder' }, 'case'),

  // monitoring: a guide entry, an observation ngo.a sent (a text), themes;
  // each removal has its own record, so the one before it leaves it there
  r('GET', '/api/v1/language-guide/{id}', ALL, undefined, 'entry'),
  r('GET', '/monitoring/language-guide/{id}/edit', COORD, undefined, 'entry'),
  r('POST', '/monitoring/language-guide/{id}/edit', COORD, guideEntry('sec entry'), 'entry'),
  r('PUT', '/api/v1/language-guide/{id}', COORD, guideEntry('sec entry'), 'entry'),
  r('POST', '/monitoring/language-guide/{id}/remove', COORD, {}, 'entry2'),
  r('DELETE', '/api/v1/language-guide/{id}', COORD, undefined, 'entry3'),
  r('GET', '/monitoring/observations/{id}', [...A_OBSERVER, ...COORD], undefined, 'text'),
  r('GET', '/api/v1/monitoring/observations/{id}', [...A_OBSERVER, ...COORD], undefined, 'text'),
  r('GET', '/monitoring/observations/{id}/edit', A_OBSERVER, undefined, 'text'),
  r('POST', '/monitoring/observations/{id}/edit', A_OBSERVER, { text: 'Taken over' }, 'text'),
  r('PUT', '/api/v1/monitoring/observations/{id}', A_OBSERVER, { text: 'Taken over' }, 'text'),
  r('GET', '/monitoring/texts/{id}', COORD, undefined, 'text'),
  r('GET', '/api/v1/monitoring/texts/{id}', COORD, undefined, 'text'),
  r('POST', '/monitoring/texts/{id}/tags', COORD, { quote: 'yes' }, 'text'),
  r('PUT', '/api/v1/monitoring/texts/{id}/tags', COORD, { themes: [], quote: false }, 'text'),
  r('POST', '/monitoring/themes/{id}/remove', COORD, {}, 'theme'),
  r('DELETE', '/api/v1/monitoring/themes/{id}', COORD, undefined, 'theme2'),
  // notifications: ngo.a's notification of the hold (only its own person may mark it)
  r('POST', '/notifications/{id}/read', A_NGO, {}, 'notice'),
  r('POST', '/api/v1/notifications/{id}/read', A_NGO, {}, 'notice'),
];

// Lists and reports that hold other people's records: everyone outside
// `allow` may get an answer, but never a secret of the world in it.
export const LIST_ROUTES = [
  r('GET', '/beds/', ['responder.police', ...A_NGO, ...COORD]),
  r('GET', '/beds/holds', ['responder.police', ...A_NGO, ...COORD]),
  r('GET', '/api/v1/beds/holds', ['responder.police', ...A_NGO, ...COORD]),
  r('GET', '/beds/reports/holds', COORD),
  r('GET', '/api/v1/beds/reports/holds', COORD),
  r('GET', '/beds/reports/holds.csv', COORD),
  r('GET', '/api/v1/beds/reports/holds.csv', COORD),
  r('GET', '/beds/summary', []),
  r('GET', '/api/v1/beds/search?group=women', []),
  r('GET', '/training/my', [BOOKER.uid]),
  r('GET', '/api/v1/training/bookings', [BOOKER.uid]),
  r('GET', '/api/v1/training/record', [BOOKER.uid]),
  r('GET', '/training/', []),
  r('GET', '/api/v1/training/sessions', []),
  r('GET', '/training/reports/uptake', COORD),
  r('GET', '/api/v1/training/reports/uptake', COORD),
  r('GET', '/directory/changes', EDIT_A),
  r('GET', '/api/v1/directory/changes', EDIT_A),
  r('GET', '/directory/suggestions', EDIT_A),
  r('GET', '/api/v1/directory/suggestions', EDIT_A),
  r('GET', '/api/v1/directory/export', COORD),
  r('GET', '/api/v1/directory/services?q={secret_change}', []),   // a proposed change is not searchable before approval
  r('GET', '/api/v1/directory/openreferral/services?search={secret_change}', []),
  r('GET', '/api/v1/auth/me', []),
  r('GET', '/cases/', ['ngo.a', 'responder.police']),
  r('GET', '/api/v1/cases', ['ngo.a', 'responder.police']),
  r('GET', '/cases/reports/responsiveness', COORD),
  r('GET', '/api/v1/cases/reports/responsiveness', COORD),
  r('GET', '/api/v1/cases/reports/responsiveness.csv', COORD),
  r('GET', '/cases/trends', []),
  r('GET', '/api/v1/cases/trends', []),
  r('GET', '/api/v1/cases/trends.csv', []),
  r('GET', '/monitoring/', []),
  r('GET', '/monitoring/texts', COORD),
  r('GET', '/api/v1/monitoring/texts', COORD),
  r('GET', '/api/v1/monitoring/themes', COORD),
  r('GET', '/monitoring/report', COORD),
  r('GET', '/api/v1/monitoring', COORD),
  r('GET', '/monitoring/report.csv', COORD),
  r('GET', '/notifications', []),
  r('GET', '/api/v1/notifications', []),
  r('GET', '/api/v1/notifications/dead-letters', COORD),
];

// State-changing routes without an id (with the id ones above, every
// POST/PUT/DELETE of the route tables) and who may use them.  Sign-in
// routes are public and have no session yet: their CSRF is the findings'.
export const CREATE_ROUTES = [
  r('POST', '/logout', ALL, {}),
  r('POST', '/api/v1/auth/logout', ALL, {}),
  r('POST', '/notifications/read-all', ALL, {}),
  r('POST', '/api/v1/notifications/read-all', ALL, {}),
  r('POST', '/notifications/settings', ALL, { email: ['hold_accepted', 'hold_declined', 'hold_cancelled', 'hold_expired'] }),
  r('PUT', '/api/v1/notifications/preferences', ALL, { email: { hold_accepted: true } }),
  r('POST', '/beds/safehouses', A_NGO, safehouseForm),
  r('POST', '/api/v1/beds/safehouses', A_NGO, safehouseJson),
  r('POST', '/api/v1/training/courses', STAFF, { title: 'New course', summary: 'New', duration_minutes: 60 }),
  r('POST', '/training/courses', STAFF, { title: 'New course', summary: 'New', duration_minutes: 60 }),
  r('POST', '/api/v1/training/sessions', STAFF, sessionJson),
  r('POST', '/training/sessions', STAFF, sessionForm),
  r('POST', '/api/v1/directory/services', EDIT_A, {
    organisation_id: '{org}', name: 'New service', description: 'New.', service_types: ['outreach'], boroughs: ['camden'],
    how_to_refer: { steps: ['Call us'], referrers: ['police'], contact: '020 7946 0111' },
  }),
  r('POST', '/api/v1/directory/organisations', COORD, { name: 'New organisation', description: 'New.' }),
  r('POST', '/api/v1/directory/communities', COORD, { code: 'new-community', name: 'New community' }),
  // the languages listed first: written back as they are (the NRM order)
  r('POST', '/directory/languages', COORD, { first: 'Albanian\nVietnamese\nTigrinya\nArabic\nDari\nPashto\nRomanian' }),
  r('PUT', '/api/v1/directory/languages', COORD, { first: ['sq', 'vi', 'ti', 'ar', 'prs', 'ps', 'ro'] }),
  r('POST', '/api/v1/directory/pathways', COORD, pathwayJson),
  r('POST', '/directory/pathways', COORD, pathwayForm),
  r('POST', '/api/v1/directory/import?dry_run=false', COORD, { services: [], organizations: [] }),
  r('POST', '/api/v1/directory/generate', COORD, { count: 1 }),
  r('POST', '/cases', ['ngo.a', 'ngo.b'], caseBody),
  r('POST', '/api/v1/cases', ['ngo.a', 'ngo.b'], caseBody),
  r('POST', '/cases/trends/notes', ALL, { about: 'borough:newham', note: 'Nail bar cases rising' }),
  r('POST', '/api/v1/cases/trends/notes', ALL, { about: 'borough:newham', note: 'Nail bar cases rising' }),
  r('POST', '/monitoring/language-guide', COORD, guideEntry('sec form term')),
  r('POST', '/api/v1/language-guide', COORD, guideEntry('sec api term')),
  r('POST', '/api/v1/language-guide/notes', ALL, { text: 'she claims' }),
  r('POST', '/monitoring/observations', ALL, { text: 'An observation' }),
  r('POST', '/api/v1/monitoring/observations', ALL, { text: 'An observation' }),
  r('POST', '/monitoring/themes', COORD, { name: 'Sec form theme' }),
  r('POST', '/api/v1/monitoring/themes', COORD, { name: 'Sec api theme' }),
];
export const PUBLIC_STATE_ROUTES = ['POST /login', 'POST /api/v1/auth/login', 'POST /api/v1/auth/token'];

// The path of row `row` with the world's ids filled in: {id} and
// {booking_id} are the records the row names (row.ids, in order), any other
// {name} is ids[name].
export function fill(path, row, ids) {
  const names = (row.ids || '').split(',');
  let i = 0;
  return path.replace(/\{(\w+)\}/g, (_, p) => encodeURIComponent(p === 'id' || p === 'booking_id' ? ids[names[i++]] : ids[p]));
}

// The body of row `row` with the world's ids in place of '{name}' values.
export function fillBody(row, ids) {
  const body = typeof row.body === 'function' ? row.body() : row.body;
  if (body === undefined) return undefined;
  return JSON.parse(JSON.stringify(body), (k, v) => {
    if (typeof v !== 'string') return v;
    const m = /^\{(\w+)\}$/.exec(v);
    if (!m) return v;
    return k === 'course_id' ? Number(ids[m[1]]) : ids[m[1]];
  });
}

export { ACTORS };
