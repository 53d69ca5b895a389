/** Organization discovery through the committed dist/index.js, as the runner runs it, against moto and the tctl stand-in. */
import { describe, expect, it } from 'vitest';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { buildOrganization } from './support/organization.js';
import { runStep } from './support/runner.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();

describe('organization discovery through dist/index.js', () => {
  it('apply rolls the member role out, check reports an uncovered account by unit and fails the step, apply repairs it, destroy removes it', async () => {
    const org = await buildOrganization(motoUrl, { prod: 3, sandbox: 1 });
    const inputs = {
      'cluster-url': 'localhost',
      integration: 'aws-e2e-org',
      'role-name': 'teleport-e2e-org',
      'cluster-name': 'teleport.example.com',
      'tctl-path': TCTL_STANDIN,
      discovery: `group: cloud-discovery-group\nmatchers:\n  - types: [ec2]\n    regions: ['*']\n    organization:\n      units: { include: [${org.units.prod}] }\n`,
    };
    const step = (extra: Record<string, string> = {}) => runStep({ inputs: { ...inputs, ...extra }, env: h.stepEnv() });

    const first = await step();
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.summary).toMatch(/StackSet \| <code>stackset\/teleport-discovery-member-role-aws-e2e-org \(us-east-1\)<\/code> \| created/);
    expect(first.summary).toMatch(/Stack instances \| .* \| created/);

    const gone = org.accounts.prod[1];
    await org.removeInstance('teleport-discovery-member-role-aws-e2e-org', gone);
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await step({ mode: 'check', 'fail-on-drift': 'true' });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`::error title=Drift%3A Member role%3A missing::1 account in unit prod (${org.units.prod})`);
    expect(check.stdout).toContain(gone);
    expect(check.summary).toMatch(/\| prod \(<code>ou-[a-z0-9-]+<\/code>\) \| 3 \| 2 \| missing: \d+ \|/);
    expect(check.outputs.drift).toBe('true');

    const repair = await step();
    expect(repair.exitCode).toBe(0);
    // The missing account's instance is created again.
    expect(repair.summary).toMatch(/Stack instances \| .* \| created \| create-stack-instances: 1 account in scope without the member role/);
    const clean = await step({ mode: 'check', 'fail-on-drift': 'true' });
    expect(clean.exitCode, clean.stdout).toBe(0);

    const destroyed = await step({ mode: 'destroy', 'confirm-destroy': 'aws-e2e-org' });
    expect(destroyed.exitCode, destroyed.stdout).toBe(0);
    expect(destroyed.summary).toMatch(/\| StackSet \| <code>stackset\/teleport-discovery-member-role-aws-e2e-org \(us-east-1\)<\/code> \| deleted \|/);
    expect(destroyed.summary).toMatch(/\| Stack instances \| .* \| deleted \|/);
  });
});
