/**
 * Runs a command that serves the local Teleport issuer on 127.0.0.1:443 (cluster URLs carry
 * no port): `node scripts/with-port-443.ts <command> [args...]`.
 *
 * Where this user may listen there (root, or a lowered ip_unprivileged_port_start), the
 * command runs as it is. Otherwise, or when another run holds the port, and where the machine
 * allows unprivileged user namespaces, it runs inside a new user and network namespace with
 * loopback up, where the user is root of a network of its own: no root and no system-wide
 * sysctl. Anything the command needs from the network (npm, PyPI) must be installed before.
 *
 * Either way the command gets a temp folder of its own (TMPDIR), made before and removed after:
 * tools that use fixed names under the temp folder (tsx's IPC folder `tsx-<uid>`, where the
 * namespace's uid is 0 for everyone; Node's `node-compile-cache`) then never meet another
 * user's or another run's, and nothing is left behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INSIDE = 'TELEPORT_ACTION_PORT_443_NAMESPACE';
const SHARED_TMPDIR = 'TELEPORT_ACTION_SHARED_TMPDIR';
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-port-443.ts <command> [args...]');
  process.exit(2);
}

function listenProblem(): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(443, '127.0.0.1', () => server.close(() => resolve(undefined)));
  });
}

function run(file: string, argv: string[], env: NodeJS.ProcessEnv = process.env): never {
  // Inside the namespace, the folder made outside is already this run's own.
  const tmp = process.env[INSIDE] ? undefined : mkdtempSync(path.join(os.tmpdir(), 'teleport-action-run-'));
  // The shared one stays known, for what must reach other users (tests that switch users).
  const own = tmp ? { TMPDIR: tmp, TMP: tmp, TEMP: tmp, [SHARED_TMPDIR]: os.tmpdir() } : {};
  const result = spawnSync(file, argv, { stdio: 'inherit', env: { ...env, ...own } });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (result.error) {
    console.error(`could not run ${file}: ${result.error.message}`);
    process.exit(127);
  }
  process.exit(result.status ?? (result.signal ? 128 : 1));
}

/** A new network namespace starts with loopback down: bring it up with ip, else with Python's ioctl. */
function bringLoopbackUp(): void {
  if (spawnSync('ip', ['link', 'set', 'lo', 'up'], { stdio: 'ignore' }).status === 0) return;
  const ioctl =
    'import fcntl,socket,struct\n' +
    's=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n' +
    "f=struct.unpack('16sh',fcntl.ioctl(s,0x8913,struct.pack('16sh',b'lo',0)))[1]\n" +
    "fcntl.ioctl(s,0x8914,struct.pack('16sh',b'lo',f|1))";
  const python = spawnSync('python3', ['-c', ioctl], { encoding: 'utf8' });
  if (python.status !== 0) {
    console.error(`could not bring up loopback in the new network namespace (neither ip nor python3 could): ${python.stderr || python.error?.message}`);
    process.exit(1);
  }
}

const unshare = ['--user', '--map-root-user', '--net'];

if (process.env[INSIDE]) {
  bringLoopbackUp();
  run(command, args);
}

const problem = await listenProblem();
if (!problem) run(command, args);

const why =
  problem.code === 'EADDRINUSE'
    ? 'is in use (another run?)'
    : problem.code === 'EACCES'
      ? 'needs privileges for this user'
      : `cannot be bound (${problem.message})`;
if (spawnSync('unshare', [...unshare, 'true'], { stdio: 'ignore' }).status === 0) {
  console.log(`127.0.0.1:443 ${why}: running in a user and network namespace of its own (unshare ${unshare.join(' ')}), no root needed.`);
  run('unshare', [...unshare, process.execPath, '--no-warnings', fileURLToPath(import.meta.url), command, ...args], { ...process.env, [INSIDE]: '1' });
}
console.error(
  `The tests and the demo serve a local Teleport issuer on 127.0.0.1:443 (cluster URLs carry no port), which ${why}, ` +
    'and this machine does not allow unprivileged user namespaces (unshare --user --net failed). Either run as root, or let ' +
    'unprivileged users listen on 443: sudo sysctl -w net.ipv4.ip_unprivileged_port_start=443',
);
process.exit(1);
