// metrics.mjs - read a metrics socket (a module's NAME.sock.metrics, or
// portal-notify's notify.sock.metrics) as a scraper would.
import http from 'node:http';

// GET (or another method) on the unix socket `socketPath`: { status, headers, body }
export function scrape(socketPath, { method = 'GET', path = '/metrics' } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('metrics socket timed out')));
    req.end();
  });
}

// The value of one series (the whole `name{labels}` as written), or undefined when absent.
export function value(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
