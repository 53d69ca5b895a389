/**
 * IAM Roles Anywhere over its REST JSON API, signed with the AWS SDK's own SigV4 signer and
 * credentials (those of the run's STS client: one credential chain for every call).
 *
 * Why not @aws-sdk/client-rolesanywhere: the registry reachable here serves it at 3.332.0 only
 * (2023), which brings its own older core packages into dist/ beside the 3.11xx ones, a second
 * credential chain and middleware stack of another age. The 17 calls used are plain REST (method,
 * path, JSON), so they are spoken here, and the same retry, call log and error advice apply.
 *
 * Roles Anywhere allows about one request per second per API family (Teleport's note for aws-ra):
 * calls of a family go one at a time, `intervalMs` (1,000 by default) apart, across the whole run,
 * so 20 integrations stay within it instead of being throttled.
 */
import http from 'node:http';
import https from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, ChecksumConstructor, HashConstructor } from '@smithy/types';
import { proxyAgents } from './proxy.js';

export type RaMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RaRequest {
  method: RaMethod;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/** An error as the SDK shapes one: the code as its name, the HTTP status in $metadata (for retry and advice). */
export class RolesAnywhereError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
  }
}

/** The API family a call belongs to, as its rate limit counts: trust anchors, profiles, tags. */
export function familyOf(action: string): string {
  if (/TrustAnchors?$/.test(action)) return 'trust-anchors';
  if (/Profiles?$/.test(action)) return 'profiles';
  return 'tags';
}

/**
 * One call of a family at a time, each starting `intervalMs` after the previous one ended: AWS
 * counts a request when it arrives, and the previous one has surely arrived once its answer is back,
 * so however late a request travels, two of a family never reach AWS closer than the interval.
 */
export class FamilyPacer {
  private readonly tail = new Map<string, Promise<unknown>>();
  private readonly lastEnd = new Map<string, number>();
  constructor(private readonly intervalMs: number) {}

  run<T>(family: string, call: () => Promise<T>): Promise<T> {
    if (this.intervalMs <= 0) return call();
    const previous = this.tail.get(family) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const wait = (this.lastEnd.get(family) ?? 0) + this.intervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        try {
          return await call();
        } finally {
          this.lastEnd.set(family, Date.now());
        }
      });
    this.tail.set(family, next);
    return next;
  }
}

function endpoint(region: string): URL {
  const configured = process.env.AWS_ENDPOINT_URL_ROLESANYWHERE ?? process.env.AWS_ENDPOINT_URL;
  if (configured) return new URL(configured);
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://rolesanywhere.${region}.${suffix}`);
}

export class RolesAnywhereClient {
  private readonly signer: SignatureV4;
  private readonly base: URL;

  constructor(
    readonly region: string,
    credentials: AwsCredentialIdentityProvider,
    sha256: ChecksumConstructor | HashConstructor,
    /** Else AWS_ENDPOINT_URL_ROLESANYWHERE, AWS_ENDPOINT_URL, or the region's. */
    endpointUrl?: string,
  ) {
    this.signer = new SignatureV4({ credentials, region, service: 'rolesanywhere', sha256 });
    this.base = endpointUrl ? new URL(endpointUrl) : endpoint(region);
  }

  async send<T>(request: RaRequest): Promise<T> {
    const query = Object.fromEntries(Object.entries(request.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const basePath = this.base.pathname.replace(/\/$/, '');
    const signed = await this.signer.sign({
      method: request.method,
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      port: this.base.port ? Number(this.base.port) : undefined,
      path: `${basePath}${request.path}`,
      query,
      headers: {
        host: this.base.host,
        ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
      },
      body,
    });
    const search = new URLSearchParams(query).toString();
    const transport = this.base.protocol === 'http:' ? http : https;
    const agents = proxyAgents();
    return new Promise<T>((resolve, reject) => {
      const outgoing = transport.request(
        {
          method: request.method,
          hostname: this.base.hostname,
          port: this.base.port || undefined,
          path: `${basePath}${request.path}${search ? `?${search}` : ''}`,
          headers: signed.headers,
          timeout: 30_000,
          ...(agents ? { agent: this.base.protocol === 'http:' ? agents.httpAgent : agents.httpsAgent } : {}),
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            let parsed: { message?: string; Message?: string } & Record<string, unknown> = {};
            try {
              parsed = text ? (JSON.parse(text) as typeof parsed) : {};
            } catch {
              // an error page: said with its status below
            }
            if (status >= 200 && status < 300) return resolve(parsed as T);
            const header = response.headers['x-amzn-errortype'];
            const code = (typeof header === 'string' ? header.split(':')[0] : undefined) ?? (status === 429 ? 'ThrottlingException' : `HTTP${status}`);
            reject(new RolesAnywhereError(code, parsed.message ?? parsed.Message ?? text.slice(0, 200), status));
          });
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('Roles Anywhere did not answer within 30 s'), { code: 'ETIMEDOUT' })));
      outgoing.on('error', reject);
      if (body !== undefined) outgoing.write(body);
      outgoing.end();
    });
  }
}
