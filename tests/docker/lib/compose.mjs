// compose.mjs - the Docker tests' side of docker/compose*.yaml: one compose
// project (docker-compose v1, containers named <project>_<service>_1), the
// Docker client run.sh names, bounded waits, and the logs kept for later.
//
// run.sh sets DOCKER (Debian's client), DOCKER_HOST, COMPOSE, PORTAL_TAG,
// DOCKER_TEST_PREFIX (project names: ${prefix}one, ${prefix}ha) and
// DOCKER_TEST_LOGS.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ROOT } from '../../integration/lib/stack.mjs';

const run = promisify(execFile);

export const ENV = {
  docker: process.env.DOCKER,
  compose: process.env.COMPOSE,
  tag: process.env.PORTAL_TAG,
  prefix: process.env.DOCKER_TEST_PREFIX,
  logs: process.env.DOCKER_TEST_LOGS,
};
// why the Docker tests cannot run here (they are run by tests/docker/run.sh), or false
export const SKIP = ['DOCKER', 'COMPOSE', 'PORTAL_TAG', 'DOCKER_TEST_PREFIX', 'DOCKER_TEST_LOGS']
  .filter((k) => !process.env[k]).map((k) => `${k} is not set: run tests/docker/run.sh (make docker-test)`)[0] || false;

export { sleep };

// `$DOCKER args...`: stdout, trimmed; throws with stderr on failure
export async function docker(args, { timeout = 60000 } = {}) {
  try {
    const { stdout } = await run(ENV.docker, args, { timeout, maxBuffer: 64 << 20 });
    return stdout.trim();
  } catch (e) {
    throw new Error(`${ENV.docker} ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
  }
}

// Wait until `check()` answers something truthy (that value), trying every
// `every` ms for at most `timeout` ms; throws `what` (with the last error
// or value) when it does not.
export async function waitFor(what, check, { timeout = 60000, every = 500 } = {}) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) { last = e.message; }
    if (Date.now() > until) throw new Error(`${what}: not within ${timeout / 1000} s (last: ${String(last).slice(0, 500)})`);
    await sleep(every);
  }
}

// The whole HTTP status of GET url, or 0 when nothing answered.
export async function statusOf(url, timeout = 5000) {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeout) });
    await res.arrayBuffer();
    return res.status;
  } catch { return 0; }
}

// One compose project: `name` (the project), `file` (docker/compose*.yaml),
// `env` (PORT, PORTAL_HA_NET...: compose's variables).
export function project(name, file, env = {}) {
  const composeFile = join(ROOT, 'docker', file);
  const p = {
    name,
    env: { ...process.env, PORTAL_TAG: ENV.tag, ...env },
    async compose(args, { timeout = 180000 } = {}) {
      try {
        const { stdout, stderr } = await run(ENV.compose, ['-p', name, '-f', composeFile, ...args],
          { env: p.env, timeout, maxBuffer: 64 << 20 });
        return stdout + stderr;
      } catch (e) {
        throw new Error(`${ENV.compose} -p ${name} ${args.join(' ')}: ${(e.stderr || e.message).trim().slice(-3000)}`);
      }
    },
    up() { return p.compose(['up', '-d', '--no-build']); },
    down(volumes = false) { return p.compose(['down', ...(volumes ? ['-v'] : []), '--remove-orphans'], { timeout: 120000 }); },
    // compose v1's container name of a service
    container(service) { return `${name}_${service}_1`; },
    // every container of the project, running or not
    async containers() {
      const out = await docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${name}`, '--format', '{{.Names}}']);
      return out ? out.split('\n').sort() : [];
    },
    async running() {
      const out = await docker(['ps', '--filter', `label=com.docker.compose.project=${name}`, '--format', '{{.Names}}']);
      return out ? out.split('\n').sort() : [];
    },
    // the project's volumes
    async volumes() {
      const out = await docker(['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${name}`]);
      return out ? out.split('\n').sort() : [];
    },
    inspect(container, format) { return docker(['inspect', '-f', format, container]); },
    health(container) { return p.inspect(container, '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}'); },
    // wait until each of `containers` is running and healthy
    async waitHealthy(containers, timeout = 90000) {
      const states = {};
      await waitFor(`healthy: ${containers.join(', ')}`, async () => {
        await Promise.all(containers.map(async (c) => { states[c] = await p.health(c); }));
        const not = containers.filter((c) => states[c] !== 'healthy');
        if (not.length) throw new Error(not.map((c) => `${c}: ${states[c]}`).join(', '));
        return true;
      }, { timeout, every: 1000 });
      return states;
    },
    // the logs of every container, for DOCKER_TEST_LOGS (best effort)
    async saveLogs(tag = name) {
      try {
        mkdirSync(ENV.logs, { recursive: true });
        writeFileSync(join(ENV.logs, `${tag}.log`), await p.compose(['logs', '--no-color', '--timestamps'], { timeout: 60000 }));
      } catch (e) { /* no logs is not a failure of the portal */ }
    },
  };
  return p;
}

// write a JSON file beside the logs (the calls of a load phase, for later)
export function keepJSON(file, value) {
  try {
    mkdirSync(ENV.logs, { recursive: true });
    writeFileSync(join(ENV.logs, file), JSON.stringify(value, null, 1));
  } catch { /* best effort */ }
}

// Whether a container's configured user (.Config.User, "user[:group]") is
// root: empty (Docker's default), 0 or root.
export function isRootUser(user) {
  const u = String(user).split(':')[0];
  return u === '' || u === '0' || u === 'root';
}
