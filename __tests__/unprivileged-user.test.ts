/**
 * The README's `npm run demo` as ordinary users: two throwaway uids (setpriv), each with a
 * HOME of its own, one after the other, sharing one sticky temp dir as /tmp is shared, so the
 * second finds the first one's leftovers there. Neither is root and (unless this machine lets
 * anyone listen on 443) neither may listen on 443, so the demo runs in a user and network
 * namespace of its own (scripts/with-port-443.ts).
 *
 * Switching users needs real root (this machine's sessions and CI are root): elsewhere the
 * test is skipped. The users run moto through MOTO_PYTHON: on this machine the project's
 * virtualenv links to a Python in root's home (pyenv), which no other user can reach, so the
 * test makes a virtualenv from the system Python that imports the project's own moto.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

function tempDir(prefix: string, mode: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, mode);
  made.push(dir);
  return dir;
}

/** A virtualenv of the system Python, readable by anyone, that imports the project's moto. */
function motoPythonForEveryone(): string {
  const venv = tempDir('moto-for-users-', 0o755);
  execFileSync(SYSTEM_PYTHON, ['-m', 'venv', '--without-pip', venv]);
  const site = path.join(venv, 'lib', `python${systemVersion}`, 'site-packages');
  writeFileSync(path.join(site, 'project-moto.pth'), path.join(ROOT, '.venv-moto', 'lib', `python${venvVersion}`, 'site-packages') + '\n');
  return path.join(venv, 'bin', 'python');
}

function demoAs(uid: number, sharedTmp: string, motoPython: string): Promise<{ code: number; output: string }> {
  const home = tempDir(`home-${uid}-`, 0o700);
  chownSync(home, uid, uid);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: sharedTmp, MOTO_PYTHON: motoPython };
  const child = spawn('setpriv', ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', 'npm', 'run', 'demo'], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, output })));
}

describe('as ordinary users on this machine', () => {
  it.runIf(canSwitchUsers)(
    'two users run `npm run demo` one after the other in one temp dir, without root, both green',
    async () => {
      const sharedTmp = tempDir('shared-tmp-', 0o1777);
      const motoPython = motoPythonForEveryone();
      for (const uid of [47001, 47002]) {
        const { code, output } = await demoAs(uid, sharedTmp, motoPython);
        expect(code, output).toBe(0);
        expect(output).toContain('first run: creates everything (exit 0;');
        expect(output).toContain('second run: changes nothing (exit 0; AWS calls: 9 (0 writes)');
        if (unprivilegedPortStart > 443) expect(output).toContain('running in a user and network namespace of its own');
      }
      const left = readdirSync(sharedTmp).map((name) => ({ name, uid: statSync(path.join(sharedTmp, name)).uid }));
      // The first user's leftovers were there when the second ran...
      expect(left.some((entry) => entry.uid === 47001 && entry.name.startsWith('demo-tctl-'))).toBe(true);
      expect(left.some((entry) => entry.uid === 47002 && entry.name.startsWith('demo-tctl-'))).toBe(true);
      // ...and each run's private certificates were removed when it ended.
      expect(left.filter((entry) => entry.name.startsWith('teleport-action-test-pki-'))).toEqual([]);
    },
    120_000,
  );
});
