/**
 * Teleport's versions as its releases define them (shared/reference/roles-anywhere.md's table): each
 * gate applies only when the settings declare what needs it, and a cluster older than it is refused
 * before any write, on the row of what needs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionGates } from '../src/engine/engine.js';
import { runAction } from '../src/engine/run.js';
import { settingsFor, useHarness } from './support/harness.js';
import { privateIssuer } from './support/worker.js';

const h = useHarness();
const minimums = (inputs: Record<string, string>) => versionGates(settingsFor(inputs), true).map((g) => g.minimum);
const ec2 = (regions: string) => `group: g\nmatchers:\n  - types: [ec2]\n    regions: ${regions}\n`;
const events = 'access-graph:\n  sqs-queue-url: https://sqs.us-east-1.amazonaws.com/123456789012/cloudtrail\n  cloudtrail-bucket-arn: arn:aws:s3:::trail';

describe('version gates', () => {
  it('apply only to what is declared', () => {
    expect(minimums({})).toEqual([]);
    expect(minimums({ features: 'access-graph' })).toEqual([]);
    expect(minimums({ features: events })).toEqual(['18.0.0']);
    expect(minimums({ discovery: ec2('[us-east-1]') })).toEqual([]);
    expect(minimums({ discovery: ec2("['*']") })).toEqual(['18.5.0']);
    expect(minimums({ features: 'session-summaries: { model: "*" }' })).toEqual(['18.7.0']);
    expect(minimums({ integration: 'aws-ra', 'role-name': '', 'roles-anywhere': 'true' })).toEqual(['18.2.1']);
    // Teleport skipped: nothing of Teleport's is written, nothing is gated.
    expect(versionGates(settingsFor({ features: events, 'skip-teleport': 'true' }), false)).toEqual([]);
  });

  describe('against a cluster', () => {
    let issuer: Awaited<ReturnType<typeof privateIssuer>>;
    beforeAll(async () => void (issuer = await privateIssuer()));
    afterAll(() => issuer?.close());

    it("a cluster older than a declared feature's minimum is refused before any write, on the feature policy's row; its minimum is enough", async () => {
      issuer.setState({ serverVersion: '18.6.3' });
      const inputs = { 'cluster-url': issuer.host, features: 'session-summaries: { model: "*" }' };
      const refused = await runAction(settingsFor(inputs), h.deps());
      expect(refused.failure).toContain(
        'The cluster runs Teleport 18.6.3, but Bedrock session summaries (feature session-summaries) needs Teleport 18.7.0 or newer',
      );
      expect(refused.report.rows.find((r) => r.resource === 'Feature session-summaries')).toMatchObject({
        status: 'refused',
        reason: expect.stringContaining('18.7.0'),
      });
      expect(h.proxy.writes()).toEqual([]);
      issuer.setState({ serverVersion: '18.7.0' });
      expect((await runAction(settingsFor(inputs), h.deps())).failure).toBeUndefined();
      // Every region (the default) on a cluster before 18.5.0: refused, saying to name the regions.
      issuer.setState({ serverVersion: '18.4.2' });
      const everywhere = await runAction(settingsFor({ 'cluster-url': issuer.host, discovery: 'group: g\nmatchers:\n  - types: [eks]\n' }), h.deps());
      expect(everywhere.failure).toContain("discovery in every region (a matcher's regions: ['*'], the default) needs Teleport 18.5.0 or newer");
      expect(everywhere.failure).toContain('Upgrade the cluster, or name the regions in each matcher (regions: [us-east-1, eu-west-1]).');
      // An aws-ra integration on a cluster before 18.2.1: refused on the integration's row, nothing written.
      issuer.setState({ serverVersion: '18.2.0' });
      h.proxy.clear();
      const ra = await runAction(settingsFor({ 'cluster-url': issuer.host, integration: 'aws-ra', 'role-name': '', 'roles-anywhere': 'true' }), h.deps());
      expect(ra.failure).toContain("Teleport's IAM Roles Anywhere integration (roles-anywhere: an aws-ra integration) needs Teleport 18.2.1 or newer");
      expect(ra.report.rows.find((r) => r.resource === 'Teleport integration (aws-ra)')).toMatchObject({ status: 'refused' });
      expect(h.proxy.writes()).toEqual([]);
      issuer.setState({ serverVersion: '18.9.0' });
    });
  });
});
