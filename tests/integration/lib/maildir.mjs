// maildir.mjs - read the messages the stack's SMTP server delivered into
// its Maildir (DIR/mail/new and cur), and parse them: headers (unfolded,
// RFC 2047 encoded-words decoded), and the leaf parts of a multipart body
// (a multipart inside one gives its own parts) with their quoted-printable
// or base64 transfer encoding undone.  A small parser
// of our own: no MIME parser is installed for the tests.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export function decodeWords(value) {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, cs, enc, text) => {
    assert8(cs);
    if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '_') bytes.push(0x20);
      else if (text[i] === '=') { bytes.push(parseInt(text.slice(i + 1, i + 3), 16)); i += 2; }
      else bytes.push(text.charCodeAt(i));
    }
    return Buffer.from(bytes).toString('utf8');
  });
}

function assert8(cs) {
  if (cs.toUpperCase() !== 'UTF-8') throw new Error(`unexpected charset ${cs}`);
}

export function decodeQP(text) {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16)); i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

// {headers: {lower-case name: value}, body} of one entity (text with \n).
function entity(text) {
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  const headers = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, body };
}

// Append the leaf parts of multipart body `body` (boundary from
// `contentType`) to out, in order: a part that is itself multipart (the
// alternative inside a multipart/mixed with an attachment) gives its own.
function leafParts(contentType, body, out) {
  const m = /boundary="?([^";]+)"?/.exec(contentType || '');
  if (!m) return;
  const chunks = body.split(`--${m[1]}`);
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const p = entity(chunk.replace(/^\n/, ''));
    const type = (p.headers['content-type'] || '').split(';')[0].trim();
    if (type.startsWith('multipart/')) { leafParts(p.headers['content-type'], p.body, out); continue; }
    const enc = (p.headers['content-transfer-encoding'] || '7bit').toLowerCase();
    const decoded = enc === 'quoted-printable' ? decodeQP(p.body)
      : enc === 'base64' ? Buffer.from(p.body, 'base64').toString('utf8') : p.body;
    out.push({ type, headers: p.headers, text: decoded });
  }
}

export function parseMessage(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const { headers, body } = entity(text);
  const msg = { raw, headers, subject: decodeWords(headers.subject || ''), parts: [] };
  leafParts(headers['content-type'], body, msg.parts);
  return msg;
}

// Every delivered message, parsed, with its file name.
export function readMaildir(dir) {
  const out = [];
  for (const sub of ['new', 'cur']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) out.push({ file: f, ...parseMessage(readFileSync(join(d, f), 'utf8')) });
  }
  return out;
}
