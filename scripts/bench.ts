/**
 * Benchmark (prints figures; not a test): the committed dist/index.js against the local
 * stand-ins (moto, the HTTPS issuer as `localhost`, the tctl stand-in), as the runner runs it.
 * For 1, 5 and 20 entries of one cluster in one account, without and with discovery (an EC2
 * matcher: a discovery_config and a join token each): AWS calls, tctl calls and the median wall
 * time of a no-op apply (after a first apply that creates them). Then check mode for 1, 5, 20
 * and 100 entries, with 0 and 1,000 other roles in the account: AWS calls, wall time and the
 * ratio to one entry. Then mode import of 1, 20 and 100 integrations (and a plan with the file
 * it wrote). Then an organization of 10, 100 and 1,000 member accounts (in 5, 20 and 50 units):
 * AWS calls and wall time of the first apply, a no-op apply and check, and of an apply from nothing
 * whose operation runs for 20 polls while up to 10 accounts fail (then the retry). Then 20 aws-ra entries under
 * Roles Anywhere's rate limit (one request per family a second): time, requests per family, throttles. Then the bundle's cold start (no inputs). `npm run bench` (it runs in a network namespace of its own where 443 needs it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandIns } from './start-stand-ins.ts';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { runStep } from '../__tests__/support/runner.ts';
import { buildOrganization } from '../__tests__/support/organization.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const standIns = await startStandIns();
const { moto, issuer } = standIns;
// `npm run bench -- import check`: only those sections (apply, check, import, organization, roles-anywhere, start); none named: all.
const sections = process.argv.slice(2);
const wanted = (section: string) => sections.length === 0 || sections.includes(section);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const env = {
    AWS_ENDPOINT_URL: moto.url,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    NODE_EXTRA_CA_CERTS: issuer.caFile,
    TCTL_STANDIN_DIR: mkdtempSync(path.join(os.tmpdir(), 'bench-tctl-')),
  };
  if (wanted('apply')) {
    console.log(`Node ${process.version}; no-op apply (second run) of N entries, one cluster, one account; median of 9 runs`);
    // The tctl stand-in answers at once; a real tctl waits for a remote auth server (a new TLS
    // connection and an answer). The second table gives every tctl call 50 ms, as one would.
    const discovery = ['discovery:', '  group: cloud-discovery-group', '  matchers: [{ types: [ec2], regions: [us-east-1] }]'];
    const cases = [0, 50].flatMap((latency) => [1, 5, 20].flatMap((count) => [false, true].map((withDiscovery) => ({ latency, count, withDiscovery }))));
    const one = new Map<string, number>();
    for (const { latency, count, withDiscovery } of cases) {
      if (count === 1 && !withDiscovery) {
        console.log(`\ntctl calls taking ${latency} ms more each (TCTL_STANDIN_LATENCY_MS=${latency})`);
        console.log('entries | discovery | AWS calls | writes | tctl calls | wall time (ms) | vs 1 entry | vs 1 entry with the same discovery');
      }
      const runEnv = { ...env, TCTL_STANDIN_LATENCY_MS: String(latency) };
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-workspace-'));
      const prefix = `${withDiscovery ? 'd' : 'p'}${count}-l${latency}`;
      const entries = Array.from({ length: count }, (_, i) => `  - { integration: aws-bench-${prefix}-${i}, role-name: teleport-bench-${prefix}-${i} }`);
      writeFileSync(
        path.join(dir, 'teleport.yml'),
        ['cluster-url: localhost', 'cluster-name: teleport.example.com', ...(withDiscovery ? discovery : []), 'integrations:', ...entries].join('\n') + '\n',
      );
      const inputs = { config: 'teleport.yml', 'tctl-path': path.join(root, '__tests__/support/fake-tctl/tctl') };
      const first = await runStep({ inputs, env: { ...runEnv, GITHUB_WORKSPACE: dir } });
      if (first.exitCode !== 0) throw new Error(`the first apply of ${count} entries failed:\n${first.stdout}`);
      const times: number[] = [];
      let calls = '';
      for (let run = 0; run < 9; run++) {
        const start = process.hrtime.bigint();
        const result = await runStep({ inputs, env: { ...runEnv, GITHUB_WORKSPACE: dir } });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (result.exitCode !== 0 || result.outputs.changes !== 'false')
          throw new Error(`the no-op apply of ${count} entries changed something:\n${result.stdout}`);
        calls = /AWS calls: (\d+) \((\d+) writes\); tctl calls: (\d+)/.exec(result.stdout)!.slice(1).join(' | ');
      }
      const time = median(times);
      if (count === 1) one.set(`${latency}:${withDiscovery}`, time);
      const ratio = (key: string) => `${(time / one.get(key)!).toFixed(2)}x`;
      console.log(
        `${String(count).padStart(7)} | ${(withDiscovery ? 'yes' : 'no').padStart(9)} | ${calls
          .split(' | ')
          .map((n) => n.padStart(5))
          .join(' | ')} | ${time.toFixed(0).padStart(14)} | ${ratio(`${latency}:false`).padStart(10)} | ${ratio(`${latency}:${withDiscovery}`)}`,
      );
    }
  }
  if (wanted('check')) {
    // Check mode (a scheduled drift check): the shared reads (ListRoles, the Tagging API, Teleport) happen once per run.
    console.log('\ncheck mode of N entries (one cluster, one account, entries already applied); median of 3 runs');
    console.log('entries | other roles | AWS calls | tctl calls | wall time (ms) | vs 1 entry');
    const iam = new IAMClient({ endpoint: moto.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    for (const others of [0, 1000]) {
      // The account's other roles, made straight in moto (ten at a time).
      for (let i = 0; i < others; i += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, others - i) }, (_, j) =>
            iam.send(new CreateRoleCommand({ RoleName: `bench-other-${others}-${i + j}`, AssumeRolePolicyDocument: trust })),
          ),
        );
      }
      let oneCheck = 0;
      for (const count of [1, 5, 20, 100]) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-workspace-'));
        const entries = Array.from(
          { length: count },
          (_, i) => `  - { integration: aws-check-${others}-${count}-${i}, role-name: teleport-check-${others}-${count}-${i} }`,
        );
        writeFileSync(
          path.join(dir, 'teleport.yml'),
          ['cluster-url: localhost', 'cluster-name: teleport.example.com', 'integrations:', ...entries].join('\n') + '\n',
        );
        const inputs = { config: 'teleport.yml', 'tctl-path': path.join(root, '__tests__/support/fake-tctl/tctl') };
        const first = await runStep({ inputs, env: { ...env, GITHUB_WORKSPACE: dir } });
        if (first.exitCode !== 0) throw new Error(`the first apply of ${count} entries failed:\n${first.stdout}`);
        const times: number[] = [];
        let calls = '';
        for (let run = 0; run < 3; run++) {
          const start = process.hrtime.bigint();
          const result = await runStep({ inputs: { ...inputs, mode: 'check' }, env: { ...env, GITHUB_WORKSPACE: dir } });
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
          if (result.exitCode !== 0) throw new Error(`the check of ${count} entries failed:\n${result.stdout}`);
          const [aws, , tctl] = /AWS calls: (\d+) \((\d+) writes\); tctl calls: (\d+)/.exec(result.stdout)!.slice(1);
          calls = `${aws.padStart(9)} | ${tctl.padStart(10)}`;
        }
        const time = median(times);
        if (count === 1) oneCheck = time;
        console.log(
          `${String(count).padStart(7)} | ${String(others).padStart(11)} | ${calls} | ${time.toFixed(0).padStart(14)} | ${(time / oneCheck).toFixed(2)}x`,
        );
      }
    }
  }
  if (wanted('import')) {
    // Import (mode import): N integrations this action applied (eks and ec2-ssm each), read back into a file, which is then planned.
    console.log('\nimport of N integrations (applied with eks and ec2-ssm each; a Teleport of their own); median of 3 runs');
    console.log('entries | AWS calls | tctl calls | wall time (ms) | vs 1 entry | plan with the file');
    let oneImport = 0;
    for (const count of [1, 20, 100]) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-workspace-'));
      const importEnv = { ...env, GITHUB_WORKSPACE: dir, TCTL_STANDIN_DIR: mkdtempSync(path.join(os.tmpdir(), 'bench-tctl-')) };
      // Each its own ec2-ssm document (one account has one TeleportDiscoveryInstaller per region): import looks for Teleport's name only.
      const entries = Array.from(
        { length: count },
        (_, i) =>
          `  - { integration: aws-import-${count}-${i}, role-name: teleport-import-${count}-${i}, features: { eks: {}, ec2-ssm: { document: Installer-${count}-${i} } } }`,
      );
      writeFileSync(
        path.join(dir, 'applied.yml'),
        ['cluster-url: localhost', 'cluster-name: teleport.example.com', 'integrations:', ...entries].join('\n') + '\n',
      );
      const tctlPath = path.join(root, '__tests__/support/fake-tctl/tctl');
      const first = await runStep({ inputs: { config: 'applied.yml', 'tctl-path': tctlPath }, env: importEnv });
      if (first.exitCode !== 0) throw new Error(`the apply of ${count} entries failed:\n${first.stdout}`);
      const times: number[] = [];
      let calls = '';
      for (let run = 0; run < 3; run++) {
        const start = process.hrtime.bigint();
        const result = await runStep({
          inputs: { mode: 'import', 'cluster-url': 'localhost', config: `imported-${run}.yml`, 'tctl-path': tctlPath },
          env: importEnv,
        });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (result.exitCode !== 0 || JSON.parse(result.outputs.imported).length !== count)
          throw new Error(`the import of ${count} entries failed:\n${result.stdout}`);
        const [aws, writes, tctl] = /AWS calls: (\d+) \((\d+) writes\); tctl calls: (\d+)/.exec(result.stdout)!.slice(1);
        if (writes !== '0') throw new Error(`the import of ${count} entries wrote to AWS:\n${result.stdout}`);
        calls = `${aws.padStart(9)} | ${tctl.padStart(10)}`;
      }
      const plan = await runStep({ inputs: { mode: 'plan', config: 'imported-0.yml', 'tctl-path': tctlPath }, env: importEnv });
      const time = median(times);
      if (count === 1) oneImport = time;
      console.log(
        `${String(count).padStart(7)} | ${calls} | ${time.toFixed(0).padStart(14)} | ${(time / oneImport).toFixed(2).padStart(9)}x | ${plan.outputs.changes === 'false' ? 'no changes' : 'CHANGES'}`,
      );
    }
  }
  if (wanted('organization')) {
    // An organization of N member accounts in U units (moto reset for each): the first apply (the
    // StackSet and its instances), a no-op apply, and check. Goal: calls grow by pages, not accounts.
    console.log('\norganization discovery (one matcher over the whole organization, the member role rolled out by StackSet); one run each');
    console.log(
      'accounts | units | apply: AWS calls, ms | no-op apply: AWS calls, writes, ms | check: AWS calls, ms | slow apply (20 polls, F failed): AWS calls, ms | retry: AWS calls',
    );
    for (const [accounts, units] of [
      [10, 5],
      [100, 20],
      [1000, 50],
    ]) {
      await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
      const layout = Object.fromEntries(Array.from({ length: units }, (_, i) => [`unit${i}`, accounts / units]));
      await buildOrganization(moto.url, layout);
      // Polled every 1 ms: the emulator, not the clock, says how many polls an operation takes.
      const stepEnv = { ...env, TELEPORT_ACTION_TEST_OPERATION_POLL_MS: '1' };
      const inputs = {
        'cluster-url': 'localhost',
        'cluster-name': 'teleport.example.com',
        integration: `aws-org-${accounts}`,
        'role-name': `teleport-org-${accounts}`,
        'tctl-path': path.join(root, '__tests__/support/fake-tctl/tctl'),
        discovery: "group: cloud-discovery-group\nmatchers:\n  - types: [ec2]\n    regions: ['*']\n    organization: { units: {} }\n",
      };
      let expectFailure = false;
      const timed = async (extra: Record<string, string>) => {
        const start = process.hrtime.bigint();
        const result = await runStep({ inputs: { ...inputs, ...extra }, env: stepEnv });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (result.exitCode !== 0 && !expectFailure) throw new Error(`organization ${extra.mode ?? 'apply'} at ${accounts} accounts failed:\n${result.stdout}`);
        const [aws, writes] = /AWS calls: (\d+) \((\d+) writes\)/.exec(result.stdout)!.slice(1);
        return { aws, writes, ms: ms.toFixed(0), result };
      };
      const first = await timed({});
      const noop = await timed({});
      if (noop.result.outputs.changes !== 'false') throw new Error(`the no-op apply at ${accounts} accounts changed something:\n${noop.result.stdout}`);
      const check = await timed({ mode: 'check', 'fail-on-drift': 'true' });
      // Again from nothing, as AWS runs it: the operation RUNNING for 20 polls, some accounts failing
      // (within the 10 % tolerance); the step fails naming them, and a retry deploys only them.
      await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
      const built = await buildOrganization(moto.url, layout);
      const failing = Object.values(built.accounts)
        .flat()
        .slice(0, Math.min(10, accounts / 10));
      await built.faults({ operationPolls: 20, fail: Object.fromEntries(failing.map((a) => [a, 'AccessDenied: explicit deny in a service control policy'])) });
      expectFailure = true;
      const slow = await timed({});
      expectFailure = false;
      if (slow.result.exitCode !== 1 || !failing.every((a) => slow.result.stdout.includes(a))) {
        throw new Error(`the slow apply at ${accounts} accounts did not fail naming every failed account:\n${slow.result.stdout}`);
      }
      await built.faults({ operationPolls: 20, fail: {} });
      const retry = await timed({});
      console.log(
        `${String(accounts).padStart(8)} | ${String(units).padStart(5)} | ${first.aws.padStart(5)}, ${first.ms.padStart(6)} | ${noop.aws.padStart(5)}, ${noop.writes}, ${noop.ms.padStart(6)} | ${check.aws.padStart(5)}, ${check.ms.padStart(6)} | ` +
          `${slow.aws.padStart(5)}, ${slow.ms.padStart(6)} (F=${failing.length}) | ${retry.aws.padStart(5)}`,
      );
    }
  }
  if (wanted('roles-anywhere')) {
    // 20 aws-ra entries in one config, Roles Anywhere limited as AWS limits it (one request per
    // family a second, the emulator's limit on): the first apply, a no-op apply and check, paced as
    // in production. Goal: nothing throttled, no family's requests closer than a second.
    console.log('\nroles-anywhere: 20 aws-ra entries, Roles Anywhere at one request per API family a second; one run each');
    console.log('run | wall time (s) | AWS calls | Roles Anywhere requests by family (shortest gap, ms) | throttled');
    await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ra-'));
    const entries = Array.from(
      { length: 20 },
      (_, i) => `  - { integration: aws-ra-${i}, roles-anywhere: { trust-anchor: anchor-${i}, sync-role: sync-role-${i}, sync-profile: sync-profile-${i} } }`,
    );
    writeFileSync(
      path.join(dir, 'teleport.yml'),
      ['cluster-url: localhost', 'cluster-name: teleport.example.com', 'integrations:', ...entries].join('\n') + '\n',
    );
    const inputs = { config: 'teleport.yml', 'tctl-path': path.join(root, '__tests__/support/fake-tctl/tctl') };
    for (const [label, mode] of [
      ['first apply', 'apply'],
      ['no-op apply', 'apply'],
      ['check', 'check'],
    ]) {
      await fetch(`${moto.url}/_emulator/rolesanywhere`, { method: 'POST', body: JSON.stringify({ ratePerSecond: 1 }) });
      const start = process.hrtime.bigint();
      const result = await runStep({ inputs: { ...inputs, mode }, env: { ...env, GITHUB_WORKSPACE: dir } });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.exitCode !== 0) throw new Error(`roles-anywhere ${label} failed:\n${result.stdout}`);
      const stats = (await (await fetch(`${moto.url}/_emulator/rolesanywhere`)).json()) as {
        families: Record<string, { requests: number; minGapMs: number | null }>;
        throttled: number;
      };
      const families = Object.entries(stats.families)
        .map(([family, f]) => `${family} ${f.requests} (${f.minGapMs ?? '-'})`)
        .join(', ');
      const calls = /AWS calls: (\d+)/.exec(result.stdout)?.[1] ?? '?';
      console.log(`${label.padEnd(11)} | ${seconds.toFixed(1).padStart(13)} | ${calls.padStart(9)} | ${families} | ${stats.throttled}`);
    }
    await fetch(`${moto.url}/_emulator/rolesanywhere`, { method: 'POST', body: JSON.stringify({ ratePerSecond: 0 }) });
  }
  if (wanted('start')) {
    const cold: number[] = [];
    for (let run = 0; run < 9; run++) {
      const start = process.hrtime.bigint();
      await runStep({ inputs: {}, env: {} });
      cold.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    console.log(
      `cold start of dist/index.js to its first input check (no inputs): median ${median(cold).toFixed(0)} ms of 9 (npm run bench:start compares it with configure-aws-credentials)`,
    );
  }
} finally {
  await standIns.stop();
}
