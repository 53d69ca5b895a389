/**
 * A local stand-in for the Teleport proxy's public HTTPS endpoints: a root CA → intermediate
 * → leaf chain made with the openssl CLI, the server sending leaf + intermediate (not the
 * root, as real servers do), /webapi/find and /.well-known/openid-configuration. `setState`
 * changes what it serves; only a test's own issuer is changed (the shared one serves every worker).
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Pki {
  dir: string;
  caFile: string;
  key: string;
  /** Leaf then intermediate: what the server sends. */
  chain: string;
  thumbprint: string;
  rootThumbprint: string;
}

function sha1OfPem(pem: string): string {
  return createHash('sha1').update(new X509Certificate(pem).raw).digest('hex');
}

/**
 * A new CA, intermediate and leaf in a fresh private folder (mkdtemp: owner-only), never a
 * fixed shared path: another user's run, or an earlier one, cannot collide with it. The
 * server that uses it removes it when it closes.
 */
export function makePki(extraNames: string[] = [], addresses: string[] = ['127.0.0.1']): Pki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'teleport-action-test-pki-'));
  const file = (name: string) => path.join(dir, name);
  try {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    writeFileSync(
      file('ca.ext'),
      'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    writeFileSync(
      file('leaf.ext'),
      `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${['DNS:localhost', ...extraNames.map((n) => `DNS:${n}`), ...addresses.map((a) => `IP:${a}`)].join(',')}\n`,
    );
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'root.key',
      '-out',
      'root.pem',
      '-days',
      '3650',
      '-subj',
      '/CN=Test Root CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=Test Intermediate CA');
    openssl(
      'x509',
      '-req',
      '-in',
      'int.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-out',
      'int.pem',
      '-days',
      '3650',
      '-extfile',
      'ca.ext',
    );
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
    openssl(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'int.pem',
      '-CAkey',
      'int.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '825',
      '-extfile',
      'leaf.ext',
    );
    writeFileSync(file('chain.pem'), readFileSync(file('leaf.pem'), 'utf8') + readFileSync(file('int.pem'), 'utf8'));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not make the test certificates with openssl in ${dir}: ${stderr || (error as Error).message}`, { cause: error });
  }
  return {
    dir,
    caFile: file('root.pem'),
    key: readFileSync(file('leaf.key'), 'utf8'),
    chain: readFileSync(file('chain.pem'), 'utf8'),
    thumbprint: sha1OfPem(readFileSync(file('int.pem'), 'utf8')),
    rootThumbprint: sha1OfPem(readFileSync(file('root.pem'), 'utf8')),
  };
}

export interface IssuerState {
  clusterName: string;
  issuer: string;
  servesDiscovery: boolean;
  /** /webapi/find's server_version: a cluster new enough for everything the action writes. */
  serverVersion: string;
}

export interface IssuerServer extends Pki {
  port: number;
  /** Changes what it serves from now on. */
  setState(patch: Partial<IssuerState>): void;
  close(): Promise<void>;
}

/** The certificates an issuer made with `addresses` left in `dir`, for another issuer to serve. */
export function reusePki(dir: string): Pki {
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return {
    dir,
    caFile: path.join(dir, 'root.pem'),
    key: read('leaf.key'),
    chain: read('chain.pem'),
    thumbprint: sha1OfPem(read('int.pem')),
    rootThumbprint: sha1OfPem(read('root.pem')),
  };
}

export async function startIssuerServer(
  options: {
    host?: string;
    port?: number;
    clusterName?: string;
    issuer?: string;
    names?: string[];
    addresses?: string[];
    pki?: Pki;
    serverVersion?: string;
  } = {},
): Promise<IssuerServer> {
  const host = options.host ?? '127.0.0.1';
  const pki = options.pki ?? makePki(options.names, [...new Set(['127.0.0.1', host, ...(options.addresses ?? [])])]);
  const ownsPki = !options.pki;
  let state: IssuerState = {
    clusterName: options.clusterName ?? 'teleport.example.com',
    issuer: options.issuer ?? 'https://localhost',
    servesDiscovery: true,
    serverVersion: options.serverVersion ?? '18.9.0',
  };
  const server = https.createServer({ key: pki.key, cert: pki.chain }, (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/webapi/find') {
      return json(200, {
        auth: { type: 'local', second_factor: 'on', local: { name: '' }, private_key_policy: 'none', allow_passwordless: true },
        proxy: { kube: { enabled: true }, ssh: { listen_addr: '0.0.0.0:3023', tunnel_public_addr: 'localhost:443' }, tls_routing_enabled: true },
        server_version: state.serverVersion,
        min_client_version: '16.0.0',
        cluster_name: state.clusterName,
        automatic_upgrades: false,
      });
    }
    if (req.url === '/.well-known/openid-configuration' && state.servesDiscovery) {
      return json(200, {
        issuer: state.issuer,
        jwks_uri: `${state.issuer}/.well-known/jwks-oidc`,
        claims: ['iss', 'sub', 'obo', 'aud', 'jti', 'iat', 'exp', 'nbf'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['id_token'],
        scopes_supported: ['openid'],
        subject_types_supported: ['public', 'pairwise'],
      });
    }
    json(404, { error: { message: 'not found' } });
  });
  const address = `${host}:${options.port ?? 0}`;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, resolve);
    });
  } catch (error) {
    if (ownsPki) rmSync(pki.dir, { recursive: true, force: true });
    throw new Error(`could not listen on ${address}: ${(error as Error).message}`, { cause: error });
  }
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    ...pki,
    port: (server.address() as AddressInfo).port,
    setState: (patch) => void (state = { ...state, ...patch }),
    close: async () => {
      await close();
      if (ownsPki) rmSync(pki.dir, { recursive: true, force: true });
    },
  };
}
