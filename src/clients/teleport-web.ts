/** The proxy's public, unauthenticated endpoints: cluster name and OIDC discovery. */
import https from 'node:https';
import { proxyAgents } from './proxy.js';
import { connectionProblem } from './network-errors.js';

export interface HttpJson {
  status: number;
  body: unknown;
}

export function getJson(url: string, timeoutMs = 10_000): Promise<HttpJson> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { headers: { accept: 'application/json' }, timeout: timeoutMs, agent: proxyAgents()?.httpsAgent }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > 1_000_000) request.destroy(new Error(`${url} answered with more than 1 MB`));
      });
      response.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text: the caller says what it expected
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`${url} did not answer within ${timeoutMs} ms`)));
    request.on('error', (error) => {
      const { hostname, port } = new URL(url);
      const problem = connectionProblem(error, hostname, Number(port || 443));
      reject(problem ? new Error(problem, { cause: error }) : error);
    });
  });
}

export interface ClusterInfo {
  clusterName: string;
  /** The proxy's Teleport version (`server_version`); undefined when it does not say. */
  serverVersion: string | undefined;
}

/** The cluster's name and version, from /webapi/find (Teleport's own Terraform module reads the name there too). */
export async function readClusterInfo(issuerUrl: string): Promise<ClusterInfo> {
  const url = `${issuerUrl}/webapi/find`;
  let answer: HttpJson;
  try {
    answer = await getJson(url);
  } catch (error) {
    throw new Error(`could not read the cluster name from ${url} (${(error as Error).message}); set the cluster-name input`, { cause: error });
  }
  const body = answer.body as { cluster_name?: unknown; server_version?: unknown } | null;
  const name = body?.cluster_name;
  if (answer.status !== 200 || typeof name !== 'string' || name === '') {
    throw new Error(`${url} answered ${answer.status} without a cluster_name; set the cluster-name input`);
  }
  return { clusterName: name, serverVersion: typeof body?.server_version === 'string' && body.server_version !== '' ? body.server_version : undefined };
}

export async function discoverClusterName(issuerUrl: string): Promise<string> {
  return (await readClusterInfo(issuerUrl)).clusterName;
}

export interface OpenIdConfiguration {
  issuer?: string;
  jwks_uri?: string;
}

export async function fetchOpenIdConfiguration(issuerUrl: string): Promise<OpenIdConfiguration> {
  const url = `${issuerUrl}/.well-known/openid-configuration`;
  const answer = await getJson(url);
  if (answer.status !== 200 || answer.body === null || typeof answer.body !== 'object') {
    throw new Error(`${url} answered ${answer.status}${typeof answer.body === 'string' ? `: ${answer.body.slice(0, 120)}` : ''}`);
  }
  return answer.body;
}
