/**
 * Self-hosted runners behind an HTTP proxy, through dist/index.js: the Teleport proxy and the
 * AWS endpoint here exist only behind a local CONNECT proxy (names in .invalid, which never
 * resolve), so a run can only succeed if every connection goes through it: the AWS SDK, the
 * proxy's /webapi/find and OIDC discovery, and the TLS chain read behind the thumbprint.
 */
import { GetOpenIDConnectProviderCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuerServer, type IssuerServer } from './support/issuer-server.js';
import { ConnectProxy } from './support/connect-proxy.js';
import { ACCOUNT, TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';

const h = useHarness();
const TELEPORT = 'teleport.proxied.invalid';
const AWS = 'aws.proxied.invalid:4566';
let issuer: IssuerServer;
let proxy: ConnectProxy;

beforeAll(async () => {
  issuer = await startIssuerServer({ port: 0, issuer: `https://${TELEPORT}`, clusterName: 'proxied.example.com', names: [TELEPORT] });
  const aws = new URL(h.proxy.url);
  proxy = new ConnectProxy({
    [`${TELEPORT}:443`]: { host: '127.0.0.1', port: issuer.port },
    [AWS]: { host: aws.hostname, port: Number(aws.port) },
  });
  await proxy.start();
});
afterAll(async () => {
  await proxy.stop();
  await issuer.close();
});

const inputs = { 'cluster-url': TELEPORT, integration: 'aws-proxied', 'role-name': 'teleport-proxied-role', 'cluster-name': '', 'tctl-path': TCTL_STANDIN };
const env = (extra: Record<string, string> = {}) => ({
  ...h.stepEnv(),
  AWS_ENDPOINT_URL: `http://${AWS}`,
  NODE_EXTRA_CA_CERTS: issuer.caFile,
  HTTPS_PROXY: proxy.url,
  http_proxy: proxy.url,
  ...extra,
});

describe('behind an HTTP proxy', () => {
  it('sends every connection through it, and takes the same thumbprint as a direct read', async () => {
    proxy.clear();
    const applied = await runStep({ inputs, env: env() });
    expect(applied.exitCode, applied.stdout).toBe(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${TELEPORT}:443`, AWS]));
    // The TLS chain is read twice (verified, then as sent) and /webapi/find once, all tunnelled.
    expect(proxy.tunnels.filter((t) => t === `${TELEPORT}:443`).length).toBeGreaterThanOrEqual(3);
    expect(proxy.plainRequests).toEqual([]);
    expect(h.proxy.calls.length).toBeGreaterThan(0);

    const iam = h.direct();
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${TELEPORT}` }));
    expect(provider.ThumbprintList).toEqual([issuer.thumbprint]); // the intermediate's, as on a direct connection
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'teleport-proxied-role' }));
    expect(Role?.Tags).toContainEqual({ Key: 'teleport.dev/cluster', Value: 'proxied.example.com' }); // read from /webapi/find

    proxy.clear();
    const checked = await runStep({ inputs: { ...inputs, mode: 'check' }, env: env() });
    expect(checked.exitCode, checked.stdout).toBe(0);
    expect(checked.outputs.drift).toBe('false'); // OIDC discovery answered through the tunnel too
    expect(proxy.tunnels).toContain(`${TELEPORT}:443`);
  });

  it('with NO_PROXY matching, nothing goes through it', async () => {
    proxy.clear();
    const result = await runStep({ inputs, env: env({ NO_PROXY: '.proxied.invalid' }) });
    expect(result.exitCode).toBe(1);
    expect(proxy.tunnels).toEqual([]);
    // It went direct, and a name that exists only behind the proxy does not resolve.
    expect(result.stdout).toMatch(/ENOTFOUND|getaddrinfo/);
  });
});
