/**
 * An HTTP proxy between the AWS SDK and moto. It records every AWS action the action calls
 * (service, action, region: read from the request itself) and can inject faults: AWS error
 * answers, delays, dropped connections, or a hook that runs before a request is forwarded.
 */
import http from 'node:http';

export interface RecordedCall {
  service: string;
  action: string;
  region: string;
}

export interface FaultContext extends RecordedCall {
  /** How many times this action was seen so far, this one included. */
  count: number;
  /** The raw request body (form-encoded for IAM/STS, JSON for the Tagging API). */
  body: string;
}

export type FaultAnswer =
  | { kind: 'aws-error'; status: number; code: string; message?: string }
  | { kind: 'drop' }
  | { kind: 'before'; run: () => Promise<void>; thenDrop?: boolean }
  /** Answer with this JSON (the Tagging API's protocol) instead of forwarding. */
  | { kind: 'json'; body: Promise<unknown> };

export interface Fault {
  name: string;
  /** Returns an answer to inject, or undefined to forward the request untouched. */
  on(context: FaultContext): FaultAnswer | undefined;
  /** Not counted as an injected fault (a stand-in answering, not a failure). */
  standIn?: boolean;
}

const READ = /^(Get|List|Describe)/;

export class AwsProxy {
  readonly calls: RecordedCall[] = [];
  /** For each call as it arrived: how many calls of its service were in flight here, itself included. */
  readonly arrivals: { service: string; inFlight: number }[] = [];
  private readonly inFlight = new Map<string, number>();
  readonly injected: { fault: string; action: string }[] = [];
  private faults: Fault[] = [];
  private server: http.Server | undefined;
  url = '';

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as import('node:net').AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addFault(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.calls.length = 0;
    this.arrivals.length = 0;
    this.injected.length = 0;
    this.faults = [];
  }

  writes(): RecordedCall[] {
    return this.calls.filter((call) => !READ.test(call.action));
  }

  actions(): string[] {
    return this.calls.map((call) => `${call.service}:${call.action}`);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const call = describe(request, body.toString('utf8'));
    if (!call) return this.forward(request, response, body);
    this.calls.push(call);
    const inFlight = (this.inFlight.get(call.service) ?? 0) + 1;
    this.inFlight.set(call.service, inFlight);
    this.arrivals.push({ service: call.service, inFlight });
    response.once('close', () => this.inFlight.set(call.service, (this.inFlight.get(call.service) ?? 1) - 1));
    const count = this.calls.filter((c) => c.service === call.service && c.action === call.action).length;
    for (const fault of this.faults) {
      const answer = fault.on({ ...call, count, body: body.toString('utf8') });
      if (!answer) continue;
      if (!fault.standIn) this.injected.push({ fault: fault.name, action: call.action });
      if (answer.kind === 'json') {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stand-in' });
        response.end(JSON.stringify(await answer.body));
        return;
      }
      if (answer.kind === 'drop') {
        request.socket.destroy();
        return;
      }
      if (answer.kind === 'before') {
        await answer.run();
        if (answer.thenDrop) {
          request.socket.destroy();
          return;
        }
        continue;
      }
      return awsError(response, call, answer.status, answer.code, answer.message ?? answer.code);
    }
    return this.forward(request, response, body);
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse, body: Buffer): void {
    const target = new URL(request.url ?? '/', this.upstream);
    const upstream = http.request(target, { method: request.method, headers: { ...request.headers, host: target.host } }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    upstream.end(body);
  }
}

/** Service and region from the SigV4 credential scope; action from the query body or X-Amz-Target. */
const ROLES_ANYWHERE: [method: string, path: RegExp, action: string][] = [
  ['POST', /^\/trustanchors$/, 'CreateTrustAnchor'],
  ['GET', /^\/trustanchors$/, 'ListTrustAnchors'],
  ['GET', /^\/trustanchor\/[^/]+$/, 'GetTrustAnchor'],
  ['PATCH', /^\/trustanchor\/[^/]+$/, 'UpdateTrustAnchor'],
  ['DELETE', /^\/trustanchor\/[^/]+$/, 'DeleteTrustAnchor'],
  ['POST', /^\/trustanchor\/[^/]+\/enable$/, 'EnableTrustAnchor'],
  ['POST', /^\/trustanchor\/[^/]+\/disable$/, 'DisableTrustAnchor'],
  ['POST', /^\/profiles$/, 'CreateProfile'],
  ['GET', /^\/profiles$/, 'ListProfiles'],
  ['GET', /^\/profile\/[^/]+$/, 'GetProfile'],
  ['PATCH', /^\/profile\/[^/]+$/, 'UpdateProfile'],
  ['DELETE', /^\/profile\/[^/]+$/, 'DeleteProfile'],
  ['POST', /^\/profile\/[^/]+\/enable$/, 'EnableProfile'],
  ['POST', /^\/profile\/[^/]+\/disable$/, 'DisableProfile'],
  ['POST', /^\/TagResource$/, 'TagResource'],
  ['POST', /^\/UntagResource$/, 'UntagResource'],
  ['GET', /^\/ListTagsForResource$/, 'ListTagsForResource'],
];

function rolesAnywhereAction(method: string, path: string): string {
  return ROLES_ANYWHERE.find(([m, p]) => m === method && p.test(path))?.[2] ?? `${method} ${path}`;
}

function describe(request: http.IncomingMessage, body: string): RecordedCall | undefined {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(request.headers.authorization ?? ''));
  if (!scope) return undefined;
  const [, region, service] = scope;
  // Roles Anywhere speaks REST JSON: the operation is its method and path (AWS's model).
  if (service === 'rolesanywhere') return { service, action: rolesAnywhereAction(request.method ?? 'GET', (request.url ?? '').split('?')[0]), region };
  const target = request.headers['x-amz-target'];
  const action = typeof target === 'string' ? target.split('.').pop()! : new URLSearchParams(body).get('Action');
  if (!action) return undefined;
  return { service, action, region };
}

function awsError(response: http.ServerResponse, call: RecordedCall, status: number, code: string, message: string): void {
  // The Tagging API, SSM and Organizations speak AWS's JSON protocol; IAM, STS and CloudFormation the query protocol (XML errors).
  if (call.service === 'rolesanywhere') {
    response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': 'injected' });
    response.end(JSON.stringify({ message }));
    return;
  }
  if (call.service === 'tagging' || call.service === 'ssm' || call.service === 'organizations') {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'injected' });
    response.end(JSON.stringify({ __type: code, Message: message }));
    return;
  }
  const type = status >= 500 ? 'Receiver' : 'Sender';
  response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'injected' });
  response.end(
    `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`,
  );
}
