/**
 * The README's `npm run demo` and `npm run local-action` (the path `npm test` takes too) as
 * ordinary users: two throwaway uids (setpriv), each with a HOME of its own, one after the
 * other, sharing one sticky temp dir as /tmp is shared, where a root run has left the folders
 * tools make under fixed names (tsx's IPC folder `tsx-0`: inside a user namespace everyone is
 * uid 0; Node's `node-compile-cache`). Neither user is root and (unless this machine lets
 * anyone listen on 443) neither may listen on 443, so both commands run in a user and network
 * namespace of their own (scripts/with-port-443.ts), each with a temp folder of its own.
 *
 * Switching users needs real root (this machine's sessions and CI are root): elsewhere the
 * test is skipped. The users run moto through MOTO_PYTHON: on this machine the project's
 * virtualenv links to a Python in root's home (pyenv), which no other user can reach, so the
 * test makes a virtualenv from the system Python that imports the project's own moto. A checkout
 * other users cannot enter (a clone under /root, or in a folder made by mktemp -d) is given to
 * them as a copy of hard links in the shared temp folder: the same files, in folders they may enter.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/harness.js';

const SYSTEM_PYTHON = '/usr/bin/python3';
const venvVersion = /^version\s*=\s*(\d+\.\d+)/m.exec(readFileSync(path.join(ROOT, '.venv-moto/pyvenv.cfg'), 'utf8'))?.[1];
const systemVersion = spawnSync(SYSTEM_PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).stdout?.trim();
const canSwitchUsers =
  process.getuid?.() === 0 &&
  !process.env.TELEPORT_ACTION_PORT_443_NAMESPACE && // root of a namespace cannot become another user
  spawnSync('setpriv', ['--version']).status === 0 &&
  venvVersion !== undefined &&
  venvVersion === systemVersion;
const unprivilegedPortStart = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Other users must reach these: in the machine's temp folder, not in this run's private one (scripts/with-port-443.ts). */
function tempDir(prefix: string, mode: number): string {
  const dir = mkdtempSync(path.join(process.env.TELEPORT_ACTION_SHARED_TMPDIR ?? os.tmpdir(), prefix));
  chmodSync(dir, mode);
  made.push(dir);
  return dir;
}

/** A virtualenv of the system Python, readable by anyone, that imports the project's moto. */
function motoPythonForEveryone(checkout: string): string {
  const venv = tempDir('moto-for-users-', 0o755);
  execFileSync(SYSTEM_PYTHON, ['-m', 'venv', '--without-pip', venv]);
  const site = path.join(venv, 'lib', `python${systemVersion}`, 'site-packages');
  writeFileSync(path.join(site, 'project-moto.pth'), path.join(checkout, '.venv-moto', 'lib', `python${venvVersion}`, 'site-packages') + '\n');
  return path.join(venv, 'bin', 'python');
}

/** Whether every folder from / down to `dir` lets other users through, and `dir` lets them read. */
function othersCanEnter(dir: string): boolean {
  const folders = dir.split(path.sep).map((_, index, parts) => parts.slice(0, index + 1).join(path.sep) || path.sep);
  return folders.every((folder) => (statSync(folder).mode & 0o001) !== 0) && (statSync(dir).mode & 0o004) !== 0;
}

/** The checkout as other users can reach it: itself, or a copy of hard links (no data copied). */
function checkoutForUsers(): string {
  if (othersCanEnter(ROOT)) return ROOT;
  const copy = path.join(tempDir('checkout-for-users-', 0o755), 'checkout');
  execFileSync('cp', ['-al', ROOT, copy]);
  chmodSync(copy, 0o755);
  return copy;
}

function npmRunAs(uid: number, sharedTmp: string, motoPython: string, script: string[], cwd: string): Promise<{ code: number; output: string }> {
  const home = tempDir(`home-${uid}-`, 0o700);
  chownSync(home, uid, uid);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: sharedTmp, MOTO_PYTHON: motoPython };
  const child = spawn('setpriv', ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', 'npm', 'run', ...script], { cwd, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, output })));
}

describe('as ordinary users on this machine', () => {
  it.runIf(canSwitchUsers)(
    'two users run `npm run demo` one after the other (the second also `npm run local-action`) in one temp dir a root run used, without root, all green',
    async () => {
      const sharedTmp = tempDir('shared-tmp-', 0o1777);
      // What a root run leaves under fixed names (tsx makes its folder 0755 and listens on a pipe in it).
      for (const name of ['tsx-0', 'node-compile-cache']) mkdirSync(path.join(sharedTmp, name), { mode: 0o755 });
      const checkout = checkoutForUsers();
      const motoPython = motoPythonForEveryone(checkout);
      const envFile = path.join(tempDir('local-action-inputs-', 0o755), '.env');
      writeFileSync(
        envFile,
        [
          'INPUT_CLUSTER-URL=localhost',
          'INPUT_CLUSTER-NAME=teleport.example.com',
          'INPUT_INTEGRATION=aws-users',
          'INPUT_ROLE-NAME=teleport-users',
          'INPUT_FEATURES=eks',
        ].join('\n') + '\nINPUT_TCTL-PATH=__tests__/support/fake-tctl/tctl\n',
      );
      chmodSync(envFile, 0o644);
      for (const uid of [47001, 47002]) {
        // The second user skips the demo's organization and Roles Anywhere parts: what is tested here is who may run it, not what it shows twice.
        const demo = await npmRunAs(
          uid,
          sharedTmp,
          motoPython,
          uid === 47001 ? ['demo'] : ['demo', '--', '--no-organization', '--no-roles-anywhere'],
          checkout,
        );
        expect(demo.code, demo.output).toBe(0);
        expect(demo.output).toContain('first run: creates everything (exit 0;');
        expect(demo.output).toContain('second run: changes nothing (exit 0; AWS calls: 9 (0 writes)');
        // Summaries as a terminal shows them (no entities, no tags), the organization's runs as expected, and the pages written.
        expect(demo.output).not.toMatch(/&quot;|<code>/);
        if (uid === 47001) expect(demo.output).toContain('organization apply: the changed member role made again (exit 0;');
        if (uid === 47001) expect(demo.output).toContain('roles-anywhere apply: the trust anchor gets the new certificate (exit 0;');
        const pages = /Every summary as a page \(HTML and Markdown\): (\S+demo-summaries-\S+)/.exec(demo.output)?.[1];
        expect(pages).toBeDefined();
        rmSync(pages!, { recursive: true, force: true });
        if (unprivilegedPortStart > 443) expect(demo.output).toContain('running in a user and network namespace of its own');
        // local-action exits 0 whatever happens: what counts is what it prints. The second user's run
        // is the one that meets what both the root run and the first user left behind.
        if (uid === 47001) continue;
        const local = await npmRunAs(uid, sharedTmp, motoPython, ['local-action', '--', envFile], checkout);
        expect(local.output).toContain('::info::AWS calls: 9 (3 writes); tctl calls: 2');
        expect(local.output).not.toMatch(/EACCES|::error::/);
      }
      // Each run's temp folder (its certificates, tsx's pipe, the demo's tctl state) went with it.
      const left = readdirSync(sharedTmp).map((name) => ({ name, uid: statSync(path.join(sharedTmp, name)).uid }));
      expect(left).toEqual([
        { name: 'node-compile-cache', uid: 0 },
        { name: 'tsx-0', uid: 0 },
      ]);
    },
    240_000,
  );
});
