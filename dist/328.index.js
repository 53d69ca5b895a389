export const id = 328;
export const ids = [328];
export const modules = {

/***/ 9328:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run),
  runConfigFile: () => (/* binding */ runConfigFile),
  runImport: () => (/* binding */ runImport)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 5 modules
var exec = __webpack_require__(2876);
// EXTERNAL MODULE: ./src/report/comment.ts
var comment = __webpack_require__(4231);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var dist_cjs = __webpack_require__(6764);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
;// CONCATENATED MODULE: ./src/clients/retry.ts
// Ours, not the SDK's standard retry: every wait goes through an injectable sleep (the tests wait for nothing and check each wait), a run has a time budget, and the wait for a just-created resource to be readable (IAM is eventually consistent) uses the same loop.
/** Retries with jittered exponential backoff; the sleep is injectable so tests run fast. */
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const DEFAULT_RETRY = {
    attempts: 8,
    baseDelayMs: 250,
    maxDelayMs: 8_000,
    budgetMs: 60_000,
};
class RetriesExhaustedError extends Error {
    what;
    attempts;
    sleptMs;
    lastError;
    constructor(what, attempts, sleptMs, lastError) {
        const last = lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : String(lastError);
        super(`${what} still failed after ${attempts} attempts over ${(sleptMs / 1000).toFixed(1)}s: ${last}`);
        this.what = what;
        this.attempts = attempts;
        this.sleptMs = sleptMs;
        this.lastError = lastError;
        this.name = 'RetriesExhaustedError';
    }
}
/**
 * Runs `operation` until it succeeds or fails with an error `shouldRetry` rejects, or the
 * attempts or time budget run out. Full jitter: each wait is random in [0, min(cap, base*2^n)].
 */
async function withRetry(what, operation, shouldRetry, policy, onRetry) {
    const random = policy.random ?? Math.random;
    let slept = 0;
    for (let attempt = 1;; attempt++) {
        try {
            return await operation();
        }
        catch (error) {
            if (!shouldRetry(error))
                throw error;
            const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
            const delay = Math.round(random() * ceiling);
            if (attempt >= policy.attempts || slept + delay > policy.budgetMs) {
                throw new RetriesExhaustedError(what, attempt, slept, error);
            }
            onRetry?.(error, attempt, delay);
            await policy.sleep(delay);
            slept += delay;
        }
    }
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
;// CONCATENATED MODULE: ./src/clients/proxy.ts
// Ours, not Node 24's built-in proxy agent (http.Agent proxyEnv): Node proxies loopback and reads `example.com` in NO_PROXY as that host only, where the runner's toolkit bypasses both; and the thumbprint needs the raw TLS socket, which no agent hands out.
/**
 * Outbound connections through an HTTP proxy, decided the way the runner's toolkit
 * (@actions/http-client) decides: `https_proxy`/`HTTPS_PROXY` for https targets,
 * `http_proxy`/`HTTP_PROXY` for http ones, `no_proxy`/`NO_PROXY` (comma-separated: `*`, a host,
 * a domain suffix with or without a leading dot, optionally `:port`) and loopback bypass it.
 * Every connection goes through an HTTP CONNECT tunnel, and TLS runs inside it, so the server
 * is verified end to end exactly as on a direct connection.
 */



function isLoopback(host) {
    const lower = host.toLowerCase();
    return lower === 'localhost' || lower.startsWith('127.') || lower === '[::1]' || lower === '::1';
}
function bypassesProxy(target, env = process.env) {
    if (!target.hostname || isLoopback(target.hostname))
        return true;
    const noProxy = env.no_proxy || env.NO_PROXY || '';
    if (!noProxy)
        return false;
    const port = target.port || (target.protocol === 'https:' ? '443' : '80');
    const host = target.hostname.toUpperCase();
    const hosts = [host, `${host}:${port}`];
    return noProxy
        .split(',')
        .map((item) => item.trim().toUpperCase())
        .filter(Boolean)
        .some((item) => item === '*' || hosts.some((h) => h === item || h.endsWith(`.${item}`) || (item.startsWith('.') && h.endsWith(item))));
}
/** The proxy for a target URL, or undefined to connect directly. */
function proxyFor(target, env = process.env) {
    if (bypassesProxy(target, env))
        return undefined;
    const value = target.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
    if (!value)
        return undefined;
    try {
        return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    }
    catch {
        throw new Error(`the proxy variable for ${target.protocol.slice(0, -1)} is not a URL: ${value}`);
    }
}
function anyProxyConfigured(env = process.env) {
    return Boolean(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY);
}
/** Opens `host:port` through the proxy with HTTP CONNECT; resolves with the tunnelled socket. */
function openTunnel(proxy, host, port, timeoutMs = 10_000) {
    const authority = `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
    const headers = { host: authority };
    if (proxy.username) {
        const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
        headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const request = (proxy.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default())).request({
        host: proxy.hostname,
        port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
        method: 'CONNECT',
        path: authority,
        headers,
        timeout: timeoutMs,
    });
    return new Promise((resolve, reject) => {
        request.once('connect', (response, socket) => {
            if (response.statusCode === 200)
                return resolve(socket);
            socket.destroy();
            reject(new Error(`the proxy ${proxy.host} refused to open a tunnel to ${authority} (${response.statusCode} ${response.statusMessage ?? ''})`.trim()));
        });
        request.once('timeout', () => request.destroy(new Error(`the proxy ${proxy.host} did not open a tunnel to ${authority} within ${timeoutMs} ms`)));
        request.once('error', (error) => reject(new Error(`could not reach the proxy ${proxy.host}: ${error.message}`, { cause: error })));
        request.end();
    });
}
/**
 * An agent for http or https requests that tunnels each connection through the proxy the
 * environment names for its target (or connects directly when it names none, or bypasses it).
 */
function tunnellingAgent(secure, env) {
    const Base = secure ? (external_node_https_default()).Agent : (external_node_http_default()).Agent;
    const agent = new Base({ keepAlive: true });
    const direct = agent.createConnection.bind(agent);
    agent.createConnection = (options, callback) => {
        const host = options.host ?? 'localhost';
        const port = Number(options.port ?? (secure ? 443 : 80));
        const proxy = proxyFor(new URL(`${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`), env);
        if (!proxy)
            return direct(options, callback);
        openTunnel(proxy, host, port).then((socket) => callback(null, secure ? external_node_tls_default().connect({ ...options, socket, servername: options.servername || host }) : socket), (error) => callback(error));
        return undefined;
    };
    return agent;
}
let agents;
/** The agents every HTTP client of the action uses when a proxy is configured; undefined otherwise. */
function proxyAgents() {
    if (!anyProxyConfigured(process.env))
        return undefined;
    agents ??= { httpAgent: tunnellingAgent(false, process.env), httpsAgent: tunnellingAgent(true, process.env) };
    return agents;
}

;// CONCATENATED MODULE: ./src/clients/aws-errors.ts
/**
 * The AWS errors a first run meets, said with the fix: no credentials, expired or invalid
 * ones, and a denied action. Our sentence first, then what AWS (or the SDK) said, as it said it.
 */
const NO_CREDENTIALS = ['CredentialsProviderError', 'CredentialsError'];
const EXPIRED = ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'];
const INVALID = ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'IncompleteSignature'];
const CONFIGURE = 'aws-actions/configure-aws-credentials must run in this job before this step (with `permissions: id-token: write` on the job ' +
    "to assume a role through GitHub's OIDC provider)";
function codeOf(error) {
    const meta = error;
    return meta.Code ?? (typeof meta.code === 'string' && !/^E[A-Z]/.test(meta.code) ? meta.code : undefined) ?? error.name;
}
/** AWS's `*AccessDenied*` codes and EC2's UnauthorizedOperation. */
function isDenied(error) {
    if (!(error instanceof Error))
        return false;
    const code = codeOf(error);
    return /AccessDenied/i.test(code) || code === 'UnauthorizedOperation' || code === 'UnauthorizedAccess';
}
/** "… is not authorized to perform: iam:CreateRole on resource: arn:…" as AWS words it. */
function deniedParts(message) {
    const action = /not authorized to perform:?\s+([\w-]+:[\w*]+)/i.exec(message)?.[1];
    const resource = /on resource:?\s+(\S+?)(?:\s+because|\s+with|[.;,]?\s*$)/i.exec(message)?.[1];
    const principal = /User:?\s+(arn:\S+)/i.exec(message)?.[1];
    return { action, resource, principal };
}
/** A first-run error with the fix, keeping the AWS error's name and code so callers still recognise it. */
/** The organization's calls are in a policy of their own, added to the mode's. */
function policyOf(call, mode) {
    return /^(organizations|cloudformation):/.test(call)
        ? `policies/organization-${mode}.json, added to policies/${mode}.json (docs/organizations.md#permissions)`
        : `policies/${mode}.json (docs/permissions.md)`;
}
class AwsExplainedError extends Error {
    Code;
    $metadata;
    constructor(original, message) {
        super(message, { cause: original });
        this.name = original.name;
        this.Code = codeOf(original);
        this.$metadata = original.$metadata;
        // No SDK stack in the step's log: the sentence is the whole story.
        this.stack = `${this.name}: ${message}`;
    }
}
/**
 * The error to throw instead, with the fix; undefined for errors that explain themselves
 * (or that callers handle: NoSuchEntity and the like).
 */
function explainAwsError(error, call, hint) {
    if (!(error instanceof Error) || error instanceof AwsExplainedError)
        return undefined;
    const code = codeOf(error);
    const said = `(${code === error.message ? code : `${code}: ${error.message}`})`;
    if (NO_CREDENTIALS.includes(error.name) || /Could not load credentials/i.test(error.message)) {
        return new AwsExplainedError(error, `No AWS credentials reached this step: ${CONFIGURE}. The AWS SDK said ${said}`);
    }
    if (EXPIRED.includes(code)) {
        return new AwsExplainedError(error, `The AWS credentials expired before ${call}: the session is shorter than the job. Give configure-aws-credentials ` +
            "role-duration-seconds long enough for every step up to this one (the role's MaxSessionDuration must allow it), " +
            `or run it right before this step. AWS said ${said}`);
    }
    if (INVALID.includes(code)) {
        return new AwsExplainedError(error, `AWS does not accept these credentials (${code}) on ${call}: ${CONFIGURE}, and no stale AWS_ACCESS_KEY_ID, ` +
            `AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN from elsewhere may override it. AWS said ${said}`);
    }
    if (isDenied(error)) {
        const { action, resource, principal } = deniedParts(error.message);
        const what = `${action ?? call}${resource ? ` on ${resource}` : ''}`;
        return new AwsExplainedError(error, `AWS denied ${what}${principal ? ` to ${principal}` : ''}: the role this job assumed lacks it. ` +
            `Mode ${hint.mode} needs the policy in ${policyOf(call, hint.mode)}; add ${action ?? call} to the role's policy. AWS said ${said}`);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/clients/limit.ts
// Ours, beside the SDK's `adaptive` retry mode: that mode slows one client's send rate once it is throttled, but bounds no concurrency and shares nothing between clients; this bound is shared by every IAM call of a run, from the first call on.
/**
 * An adaptive bound on concurrent calls: at most `limit` at once; throttling halves the
 * limit, and successes win it back one at a time (additive increase, multiplicative decrease),
 * so a large account's IAM rate limit slows the run down instead of failing it.
 */
class AdaptiveLimit {
    max;
    running = 0;
    current;
    successes = 0;
    waiting = [];
    constructor(max) {
        this.max = max;
        this.current = max;
        this.lowest = max;
    }
    /** The lowest bound throttling brought it to: for the log and the tests. */
    lowest;
    get limit() {
        return this.current;
    }
    async run(work, isThrottling) {
        while (this.running >= this.current)
            await new Promise((resolve) => this.waiting.push(resolve));
        this.running++;
        try {
            const result = await work();
            if (++this.successes >= this.current && this.current < this.max) {
                this.current++;
                this.successes = 0;
            }
            return result;
        }
        catch (error) {
            if (isThrottling(error)) {
                this.current = Math.max(1, Math.floor(this.current / 2));
                this.lowest = Math.min(this.lowest, this.current);
                this.successes = 0;
            }
            throw error;
        }
        finally {
            this.running--;
            this.waiting.shift()?.();
        }
    }
}

// EXTERNAL MODULE: ./node_modules/@smithy/signature-v4/dist-cjs/index.js
var signature_v4_dist_cjs = __webpack_require__(5118);
;// CONCATENATED MODULE: ./src/clients/rolesanywhere.ts
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




/** An error as the SDK shapes one: the code as its name, the HTTP status in $metadata (for retry and advice). */
class RolesAnywhereError extends Error {
    $metadata;
    constructor(code, message, status) {
        super(message);
        this.name = code;
        this.$metadata = { httpStatusCode: status };
    }
}
/** The API family a call belongs to, as its rate limit counts: trust anchors, profiles, tags. */
function familyOf(action) {
    if (/TrustAnchors?$/.test(action))
        return 'trust-anchors';
    if (/Profiles?$/.test(action))
        return 'profiles';
    return 'tags';
}
/**
 * One call of a family at a time, each starting `intervalMs` after the previous one ended: AWS
 * counts a request when it arrives, and the previous one has surely arrived once its answer is back,
 * so however late a request travels, two of a family never reach AWS closer than the interval.
 */
class FamilyPacer {
    intervalMs;
    tail = new Map();
    lastEnd = new Map();
    constructor(intervalMs) {
        this.intervalMs = intervalMs;
    }
    run(family, call) {
        if (this.intervalMs <= 0)
            return call();
        const previous = this.tail.get(family) ?? Promise.resolve();
        const next = previous
            .catch(() => undefined)
            .then(async () => {
            const wait = (this.lastEnd.get(family) ?? 0) + this.intervalMs - Date.now();
            if (wait > 0)
                await new Promise((resolve) => setTimeout(resolve, wait));
            try {
                return await call();
            }
            finally {
                this.lastEnd.set(family, Date.now());
            }
        });
        this.tail.set(family, next);
        return next;
    }
}
function endpoint(region) {
    const configured = process.env.AWS_ENDPOINT_URL_ROLESANYWHERE ?? process.env.AWS_ENDPOINT_URL;
    if (configured)
        return new URL(configured);
    const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return new URL(`https://rolesanywhere.${region}.${suffix}`);
}
class RolesAnywhereClient {
    region;
    signer;
    base;
    constructor(region, credentials, sha256, 
    /** Else AWS_ENDPOINT_URL_ROLESANYWHERE, AWS_ENDPOINT_URL, or the region's. */
    endpointUrl) {
        this.region = region;
        this.signer = new signature_v4_dist_cjs.SignatureV4({ credentials, region, service: 'rolesanywhere', sha256 });
        this.base = endpointUrl ? new URL(endpointUrl) : endpoint(region);
    }
    async send(request) {
        const query = Object.fromEntries(Object.entries(request.query ?? {}).filter((entry) => entry[1] !== undefined));
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
        const transport = this.base.protocol === 'http:' ? (external_node_http_default()) : (external_node_https_default());
        const agents = proxyAgents();
        return new Promise((resolve, reject) => {
            const outgoing = transport.request({
                method: request.method,
                hostname: this.base.hostname,
                port: this.base.port || undefined,
                path: `${basePath}${request.path}${search ? `?${search}` : ''}`,
                headers: signed.headers,
                timeout: 30_000,
                ...(agents ? { agent: this.base.protocol === 'http:' ? agents.httpAgent : agents.httpsAgent } : {}),
            }, (response) => {
                let text = '';
                response.setEncoding('utf8');
                response.on('data', (chunk) => (text += chunk));
                response.on('end', () => {
                    const status = response.statusCode ?? 0;
                    let parsed = {};
                    try {
                        parsed = text ? JSON.parse(text) : {};
                    }
                    catch {
                        // an error page: said with its status below
                    }
                    if (status >= 200 && status < 300)
                        return resolve(parsed);
                    const header = response.headers['x-amzn-errortype'];
                    const code = (typeof header === 'string' ? header.split(':')[0] : undefined) ?? (status === 429 ? 'ThrottlingException' : `HTTP${status}`);
                    reject(new RolesAnywhereError(code, parsed.message ?? parsed.Message ?? text.slice(0, 200), status));
                });
            });
            outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('Roles Anywhere did not answer within 30 s'), { code: 'ETIMEDOUT' })));
            outgoing.on('error', reject);
            if (body !== undefined)
                outgoing.write(body);
            outgoing.end();
        });
    }
}

;// CONCATENATED MODULE: ./src/clients/aws.ts







/** Roles Anywhere's pace: about one request per second per API family. */
const ROLES_ANYWHERE_INTERVAL_MS = 1_000;
/** Through the configured HTTP proxy, if any (the SDK itself honours no proxy variable). */
function clientOptions(region) {
    const agents = proxyAgents();
    return { region, maxAttempts: 1, ...(agents ? { requestHandler: agents } : {}) };
}
/** Home region of each partition: where global IAM resources show in the Tagging API. */
const PARTITION_HOME_REGION = {
    aws: 'us-east-1',
    'aws-us-gov': 'us-gov-west-1',
    'aws-cn': 'cn-north-1',
};
/** True for an AWS error of that code; the SDK names some classes with an `Exception` suffix. */
function isAwsError(error, code) {
    if (!(error instanceof Error))
        return false;
    const named = error.name === code || error.name === `${code}Exception`;
    const meta = error;
    return named || meta.Code === code || meta.code === code;
}
const THROTTLING_CODES = ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'];
const RETRYABLE_CODES = [...THROTTLING_CODES, 'ServiceFailure', 'ServiceUnavailable', 'InternalFailure', 'InternalError', 'ConcurrentModification'];
const RETRYABLE_NETWORK = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'TimeoutError'];
function isThrottling(error) {
    if (THROTTLING_CODES.some((code) => isAwsError(error, code)))
        return true;
    return error?.$metadata?.httpStatusCode === 429;
}
/**
 * IAM calls in flight at once, at most: IAM is global and low-rate, shared by every entry of a
 * run. Room for one integration's whole round of reads (every feature declared: 12 IAM reads).
 */
const IAM_CONCURRENCY = 16;
/** ListRoles, ListRolePolicies and the role attachment lists: AWS's largest page. */
const IAM_PAGE_SIZE = 1000;
/** AWS's pace for a StackSet operation: minutes for a large organization, asked about every 10 s. */
const OPERATION_POLL_MS = 10_000;
/** Throttling, 5xx, concurrent modification and dropped connections are worth another try. */
function isTransient(error) {
    if (!(error instanceof Error))
        return false;
    if (RETRYABLE_CODES.some((code) => isAwsError(error, code)))
        return true;
    const status = error.$metadata?.httpStatusCode;
    if (status === 429 || (status !== undefined && status >= 500))
        return true;
    const code = error.code;
    return RETRYABLE_NETWORK.includes(code ?? '') || RETRYABLE_NETWORK.includes(error.name);
}
/**
 * The AWS clients behind one `send` that retries transient failures with our own
 * jittered backoff (the SDK's own retry is off, so the sleep can be injected) and records
 * every call made, for the log and the least-privilege check.
 */
class Aws {
    options;
    region;
    calls = [];
    iam;
    sts;
    tagging = new Map();
    ssm = new Map();
    organizations = new Map();
    cloudformation = new Map();
    services = new WeakMap();
    policy;
    /** Bounds IAM calls in flight and halves the bound when IAM throttles. */
    iamLimit = new AdaptiveLimit(IAM_CONCURRENCY);
    iamPageSize;
    operationPollMs;
    rolesAnywhereClients = new Map();
    rolesAnywherePacer;
    constructor(options) {
        this.options = options;
        this.region = options.region;
        this.policy = { ...DEFAULT_RETRY, sleep: realSleep, ...options.retry };
        this.iamPageSize = options.iamPageSize ?? IAM_PAGE_SIZE;
        this.operationPollMs = options.operationPollMs ?? OPERATION_POLL_MS;
        this.rolesAnywherePacer = new FamilyPacer(options.rolesAnywhereIntervalMs ?? ROLES_ANYWHERE_INTERVAL_MS);
        this.iam = new dist_cjs/* IAMClient */.h8v(clientOptions(options.region));
        this.sts = new client_sts_dist_cjs/* STSClient */.iM(clientOptions(options.region));
        this.services.set(this.iam, 'iam');
        this.services.set(this.sts, 'sts');
    }
    regional(clients, region, service, make) {
        let client = clients.get(region);
        if (!client) {
            client = make();
            clients.set(region, client);
            this.services.set(client, service);
        }
        return client;
    }
    // The Tagging API (check mode) and SSM (ec2-ssm) clients are loaded only by runs that use them.
    async taggingClient(region) {
        const { ResourceGroupsTaggingAPIClient } = await __webpack_require__.e(/* import() */ 59).then(__webpack_require__.t.bind(__webpack_require__, 5059, 19));
        return this.regional(this.tagging, region, 'tagging', () => new ResourceGroupsTaggingAPIClient(clientOptions(region)));
    }
    async ssmClient(region) {
        const { SSMClient } = await __webpack_require__.e(/* import() */ 736).then(__webpack_require__.t.bind(__webpack_require__, 4736, 19));
        return this.regional(this.ssm, region, 'ssm', () => new SSMClient(clientOptions(region)));
    }
    // Organizations and StackSets: only runs that discover across an organization load them.
    async organizationsClient() {
        const { OrganizationsClient } = await __webpack_require__.e(/* import() */ 503).then(__webpack_require__.t.bind(__webpack_require__, 2503, 19));
        // A global service: the SDK signs for its one endpoint whatever the job's region.
        return this.regional(this.organizations, this.region, 'organizations', () => new OrganizationsClient(clientOptions(this.region)));
    }
    async cloudFormationClient(region) {
        const { CloudFormationClient } = await __webpack_require__.e(/* import() */ 805).then(__webpack_require__.t.bind(__webpack_require__, 3805, 19));
        return this.regional(this.cloudformation, region, 'cloudformation', () => new CloudFormationClient(clientOptions(region)));
    }
    /**
     * One Roles Anywhere call (clients/rolesanywhere.ts), paced per API family, retried and logged
     * as the SDK's calls are, its errors explained the same way.
     */
    async rolesAnywhere(action, request, region = this.region) {
        let client = this.rolesAnywhereClients.get(region);
        if (!client) {
            client = new RolesAnywhereClient(region, this.sts.config.credentials, this.sts.config.sha256);
            this.rolesAnywhereClients.set(region, client);
        }
        const raClient = client;
        const input = `${request.method} ${request.path} ${JSON.stringify(request.body ?? request.query ?? {})}`;
        return this.tracked('rolesanywhere', action, region, input, (call) => this.rolesAnywherePacer.run(familyOf(action), call), () => raClient.send(request));
    }
    /** Waits as the retry policy does (tests inject a sleep that only records). */
    sleep(ms) {
        return this.policy.sleep(ms);
    }
    async send(client, command) {
        const action = command.constructor.name.replace(/Command$/, '');
        const service = this.services.get(client);
        if (!service)
            throw new Error(`${action} was sent through a client this wrapper did not make`);
        const region = service === 'iam' || service === 'sts' ? this.region : await client.config.region();
        // A slot per attempt: a call waiting out its backoff holds none.
        const bound = (call) => (service === 'iam' ? this.iamLimit.run(call, isThrottling) : call());
        return this.tracked(service, action, region, JSON.stringify(command.input), bound, async () => (await client.send(command)));
    }
    /**
     * Every call, whatever speaks it: retried on transient failures with our backoff, each attempt
     * logged and counted (within `bound`: IAM's limit, Roles Anywhere's pace), and a final failure
     * explained with the fix (no credentials, expired or invalid ones, a denied action).
     */
    async tracked(service, action, region, input, bound, attempt) {
        try {
            return await withRetry(`${service}:${action}`, () => bound(() => {
                this.calls.push({ service, action, region });
                this.options.logger.debug(`aws ${service}:${action} ${region} ${input}`);
                return attempt();
            }), isTransient, this.policy, (error, n, delay) => this.options.logger.info(`${service}:${action} failed (${error.name}); retry ${n} in ${delay} ms`));
        }
        catch (error) {
            throw explainAwsError(error, `${service === 'tagging' ? 'tag' : service}:${action}`, { mode: this.options.mode ?? 'apply' }) ?? error;
        }
    }
    /**
     * Retries reads that answer NoSuchEntity right after our own create: IAM is eventually
     * consistent, so "not found" then means "not visible yet", never "gone".
     */
    async afterCreate(what, read, alsoRetry = () => false) {
        const notVisibleYet = (error) => isAwsError(error, 'NoSuchEntity') || alsoRetry(error);
        return withRetry(what, read, notVisibleYet, {
            ...this.policy,
            attempts: Math.max(this.policy.attempts, 10),
        });
    }
    identityOnce;
    /** The caller identity, asked once per run however many integrations the run reconciles. */
    identity() {
        this.identityOnce ??= this.readIdentity();
        return this.identityOnce;
    }
    async readIdentity() {
        const output = await this.send(this.sts, new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({}));
        const arn = output.Arn ?? '';
        const partition = arn.split(':')[1];
        if (!output.Account || !partition)
            throw new Error(`sts:GetCallerIdentity returned no account or ARN (${arn})`);
        return { account: output.Account, partition, arn };
    }
    writes() {
        return this.calls.filter((call) => !/^(Get|List|Describe)/.test(call.action));
    }
}
/** Every item of a paginated IAM list (IsTruncated and Marker), page after page. */
async function allIamPages(fetch, items) {
    const all = [];
    let marker;
    do {
        const page = await fetch(marker);
        all.push(...items(page));
        marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return all;
}
/** Every item of a list paginated by NextToken (Organizations, CloudFormation), page after page. */
async function allTokenPages(fetch, items) {
    const all = [];
    let token;
    do {
        const page = await fetch(token);
        all.push(...items(page));
        token = page.NextToken;
    } while (token);
    return all;
}

;// CONCATENATED MODULE: ./src/report/annotations.ts
/** Job annotations, capped the way GitHub shows them. */
/** GitHub shows at most 10 annotations of each kind per step and drops the rest silently. */
const ANNOTATIONS_PER_KIND = 10;
const MAX_MESSAGE = 4096;
/**
 * Keeps at most 10 per kind; when there are more, the 10th says how many more there are and
 * points to the job summary, so nothing disappears without a word.
 */
function capAnnotations(annotations) {
    const out = [];
    for (const level of ['error', 'warning', 'notice']) {
        const ofKind = annotations.filter((a) => a.level === level);
        if (ofKind.length <= ANNOTATIONS_PER_KIND) {
            out.push(...ofKind);
            continue;
        }
        const hidden = ofKind.length - (ANNOTATIONS_PER_KIND - 1);
        out.push(...ofKind.slice(0, ANNOTATIONS_PER_KIND - 1), {
            level,
            title: `${hidden} more ${level === 'notice' ? 'notices' : `${level}s`}`,
            message: `${hidden} more ${level} annotations are not shown (GitHub shows 10 per kind): see the job summary for all of them.`,
        });
    }
    return out.map((a) => ({ ...a, message: a.message.length > MAX_MESSAGE ? `${a.message.slice(0, MAX_MESSAGE - 1)}…` : a.message }));
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/clients/tctl.ts
/** Teleport's `tctl`, run as a child process: reads and writes Teleport resources (integration, discovery_config, token, user_task). */


const spawnRunner = (command, args, stdin) => new Promise((resolve, reject) => {
    const child = (0,external_node_child_process_.spawn)(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => { }); // a program that exits before reading stdin
    child.stdin.end(stdin ?? '');
});
class TctlError extends Error {
    constructor(message) {
        super(message);
        this.name = 'TctlError';
    }
}
const FIX = 'Check that a step before this one installs tctl (teleport-actions/setup) and signs in (teleport-actions/auth, which sets ' +
    'TELEPORT_AUTH_SERVER and TELEPORT_IDENTITY_FILE), that the identity may create, update, read and list "integration" ' +
    'resources (and, with discovery, "discovery_config" and "token", and read and list "user_task"), or set skip-teleport: true ' +
    'to reconcile only the AWS side.';
/** When tctl says which rule is missing, name the rule to add to the workflow's Teleport role. */
function missingRule(stderr) {
    const denied = /access denied to perform action "?(\w+)"? on "?([\w_]+)"?/i.exec(stderr);
    if (!denied)
        return '';
    return ` The workflow's Teleport role lacks the rule { resources: [${denied[2]}], verbs: [${denied[1]}] }: add it (see docs/permissions.md, Teleport).`;
}
/** How tctl says a resource does not exist (Teleport's NotFound: "not found" or "doesn't exist"). */
const MISSING = /not found|doesn't exist|does not exist/i;
/** A `tctl get` that failed for another reason than a missing resource, with the rule to add when Teleport denied it. */
function getFailed(ref, result) {
    return new TctlError(`tctl get ${ref} failed (exit ${result.exitCode}): ${result.stderr.trim()}.${missingRule(result.stderr)} ${FIX}`);
}
/** Teleport's name of a kind, as `tctl create` prints it. */
function kindOf(resource) {
    return typeof resource.kind === 'string' ? resource.kind : 'resource';
}
class Tctl {
    path;
    run;
    /** Every tctl invocation, with whether it writes: for the log and the tests. */
    calls = [];
    constructor(path, run = spawnRunner) {
        this.path = path;
        this.run = run;
    }
    async invoke(args, write, stdin) {
        this.calls.push({ args, write });
        try {
            return await this.run(this.path, args, stdin);
        }
        catch (error) {
            const code = error.code;
            const why = code === 'ENOENT' || /Unable to locate executable/i.test(String(error)) ? 'was not found' : `could not be started (${String(error)})`;
            throw new TctlError(`tctl at "${this.path}" ${why}. ${FIX}`);
        }
    }
    /** `tctl get <ref> --format=json`: a JSON array; undefined when tctl says the resource does not exist. */
    async getJson(ref) {
        const result = await this.invoke(['get', ref, '--format=json'], false);
        if (result.exitCode !== 0) {
            if (MISSING.test(result.stderr))
                return undefined;
            throw getFailed(ref, result);
        }
        const text = result.stdout.trim();
        let items;
        try {
            items = text === '' ? [] : JSON.parse(text.slice(Math.max(0, text.indexOf('['))));
        }
        catch {
            throw new TctlError(`tctl get ${ref} printed something that is not JSON: ${text.slice(0, 200)}`);
        }
        return Array.isArray(items) ? items : [items];
    }
    /** One resource (`tctl get <kind>/<name>`); undefined when it does not exist. */
    async getOne(kind, name) {
        const items = await this.getJson(`${kind}/${name}`);
        return items?.[0];
    }
    /**
     * Several resources of one kind by name, in one call (`tctl get <kind>/<a>,<kind>/<b>`), each
     * read by its name as `getOne` reads it; undefined when one of them does not exist, since tctl
     * then fails the whole call. tctl prints several refs only as YAML documents.
     */
    async getMany(kind, names) {
        const refs = names.map((name) => `${kind}/${name}`).join(',');
        const result = await this.invoke(['get', refs], false);
        if (result.exitCode !== 0) {
            if (MISSING.test(result.stderr))
                return undefined;
            throw getFailed(refs, result);
        }
        const documents = (0,dist/* parseAllDocuments */.hR)(result.stdout);
        const broken = documents.find((document) => document.errors.length > 0);
        if (broken)
            throw new TctlError(`tctl get ${refs} printed something that is not YAML: ${broken.errors[0].message}`);
        return documents.map((document) => document.toJS()).filter((item) => item !== null && item !== undefined);
    }
    /** Every resource of a kind (`tctl get <kind>`): one call for a run over many. */
    async listAll(kind) {
        return ((await this.getJson(kind)) ?? []);
    }
    async get(name) {
        return this.getOne('integration', name);
    }
    /** Every integration (`tctl get integrations`). */
    async list() {
        return this.listAll('integrations');
    }
    /** `tctl rm <kind>/<name>`; a missing one counts as removed (a re-run after a kill). */
    async remove(name, kind = 'integration') {
        const ref = `${kind}/${name}`;
        const result = await this.invoke(['rm', ref], true);
        if (result.exitCode !== 0) {
            if (MISSING.test(result.stderr))
                return `${kind === 'integration' ? 'Integration' : kind} "${name}" was already gone`;
            throw new TctlError(`tctl rm ${ref} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}.${missingRule(result.stderr)} ${FIX}`);
        }
        return result.stdout.trim();
    }
    /**
     * The cluster's `awsra` CA certificates, PEM (`tctl auth export --type=awsra`): one, or two during
     * a rotation. What the trust anchor must hold (shared/reference/roles-anywhere.md).
     */
    async exportAwsRaCertificates() {
        const result = await this.invoke(['auth', 'export', '--type=awsra'], false);
        if (result.exitCode !== 0) {
            throw new TctlError(`tctl auth export --type=awsra failed (exit ${result.exitCode}): ${result.stderr.trim()}.${missingRule(result.stderr)} ${FIX}`);
        }
        const pems = result.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
        if (pems.length === 0)
            throw new TctlError(`tctl auth export --type=awsra printed no certificate: the cluster has no awsra CA (Teleport 18.2.1 or newer makes one). ${FIX}`);
        return pems;
    }
    /** `tctl create --force` with the resource on standard input: creates it or replaces it whole. */
    async create(resource) {
        const result = await this.invoke(['create', '--force'], true, JSON.stringify(resource));
        if (result.exitCode !== 0) {
            throw new TctlError(`tctl create --force (${kindOf(resource)}) failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}.${missingRule(result.stderr)} ${FIX}`);
        }
        return result.stdout.trim();
    }
}

;// CONCATENATED MODULE: ./src/model/changes.ts
/** The resources the action reconciles, in the order they are applied. */
const RESOURCES = [
    'oidc-provider',
    'iam-role',
    'trust-policy',
    'tags',
    'role-policy',
    'task-role',
    // Console roles trust the integration role: after it exists.
    'console-role',
    // The member role trusts the integration role: IAM refuses a trust policy naming a role not made yet.
    'stack-set',
    'stack-instances',
    'member-role',
    'ssm-document',
    'teleport-integration',
    // The token before the discovery_config that names it: instances found must be able to join.
    'teleport-join-token',
    'teleport-discovery-config',
    // Roles Anywhere (an aws-ra integration): the trust anchor before the sync role that trusts it,
    // the role before the profile that names it, the integration last.
    'trust-anchor',
    'sync-role',
    'sync-profile',
    // A profile's roles trust Roles Anywhere before the profile is made.
    'profile-role',
    'access-profile',
    'teleport-ra-integration',
];
const RESOURCE_TITLES = {
    'oidc-provider': 'OIDC provider',
    'iam-role': 'IAM role',
    'trust-policy': 'Trust policy',
    tags: 'Tags',
    'role-policy': 'Feature policy',
    'task-role': 'Task role (deploy-service)',
    'console-role': 'Console roles (aws-app-access)',
    'stack-set': 'StackSet',
    'stack-instances': 'Stack instances',
    'member-role': 'Member role (management account)',
    'ssm-document': 'SSM document',
    'teleport-integration': 'Teleport integration',
    'teleport-join-token': 'Teleport join token',
    'teleport-discovery-config': 'Teleport discovery_config',
    'trust-anchor': 'Roles Anywhere trust anchor',
    'sync-role': 'Profile sync role',
    'sync-profile': 'Profile sync profile',
    'profile-role': "Access profiles' roles",
    'access-profile': 'Access profiles',
    'teleport-ra-integration': 'Teleport integration (aws-ra)',
};
function sortChanges(changes) {
    return [...changes].sort((a, b) => RESOURCES.indexOf(a.resource) - RESOURCES.indexOf(b.resource));
}

;// CONCATENATED MODULE: ./src/resources/aws/tags.ts
const CLUSTER_TAG = 'teleport.dev/cluster';
const ORIGIN_TAG = 'teleport.dev/origin';
const INTEGRATION_TAG = 'teleport.dev/integration';
const ORIGIN_VALUE = 'integration_awsoidc';
/** The three tags Teleport puts on everything an AWS OIDC integration creates. */
function ownershipTags(clusterName, integration) {
    return { [CLUSTER_TAG]: clusterName, [ORIGIN_TAG]: ORIGIN_VALUE, [INTEGRATION_TAG]: integration };
}
function tagsFromList(list) {
    const tags = {};
    for (const tag of list ?? [])
        if (tag.Key !== undefined)
            tags[tag.Key] = tag.Value ?? '';
    return tags;
}
function tagsToList(tags) {
    return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
/** The desired tags that are absent or hold another value on a resource. */
function missingTags(actual, desired) {
    return Object.fromEntries(Object.entries(desired).filter(([key, value]) => actual[key] !== value));
}
/** Every desired tag present with the same value (other tags are ignored, as Teleport does). */
function carriesTags(actual, desired) {
    return Object.keys(missingTags(actual, desired)).length === 0;
}
function tagList(tags) {
    const entries = Object.entries(tags);
    return entries.length === 0 ? 'no tags' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}
/**
 * Destroy's ownership rule: a resource is this integration's only when its
 * teleport.dev/integration tag names it (and its cluster tag, when both are known, the
 * cluster). Returns why not, or undefined when it is ours.
 */
function notOwnedBecause(tags, integration, cluster) {
    const own = tags[INTEGRATION_TAG];
    if (own === undefined)
        return `it has no ${INTEGRATION_TAG} tag (its tags: ${tagList(tags)})`;
    if (own !== integration)
        return `it is tagged ${INTEGRATION_TAG}=${own}`;
    const taggedCluster = tags[CLUSTER_TAG];
    if (cluster !== undefined && taggedCluster !== undefined && taggedCluster !== cluster)
        return `it is tagged ${CLUSTER_TAG}=${taggedCluster}, not ${cluster}`;
    return undefined;
}

// EXTERNAL MODULE: ./src/config/discovery.ts
var config_discovery = __webpack_require__(9000);
;// CONCATENATED MODULE: ./src/model/teleport-versions.ts
/**
 * The oldest Teleport that understands what this action writes, per capability: in one place,
 * each with where its number comes from. A cluster older than a declared capability's minimum
 * would silently ignore or reject what is written, so plan and apply refuse it before any write.
 */

const ORGANIZATION_DISCOVERY = {
    capability: "discovery across an AWS Organization (a matcher's organization and assume_role.role_name)",
    declaredIn: (settings) => (0,config_discovery/* organizationOf */.d1)(settings.discovery) !== undefined,
    minimum: '18.7.0',
    source: 'Teleport CHANGELOG 18.7.0 (02/13/26), PR #62302 (shared/reference/roles-anywhere.md, version table)',
    resource: 'teleport-discovery-config',
};
/** The scope names units: the join token's rule carries aws_organizational_units (the whole organization needs none). */
function tokenNamesUnits(include, exclude) {
    return !(include.length === 1 && include[0] === '*' && exclude.length === 0);
}
const TOKEN_UNIT_RULES = {
    capability: "the join token's organizational-unit rules (aws_organizational_units: discovery's organization units name units)",
    declaredIn: (settings) => {
        const scope = (0,config_discovery/* organizationOf */.d1)(settings.discovery);
        const ec2 = settings.discovery?.matchers.some((m) => m.organization && m.types.includes('ec2')) ?? false;
        return scope !== undefined && ec2 && tokenNamesUnits(scope.include, scope.exclude);
    },
    minimum: '18.8.3',
    source: 'Teleport PR #66276 (shared/reference/roles-anywhere.md, version table)',
    resource: 'teleport-discovery-config',
};
const ACCESS_GRAPH_EVENT_SOURCES = {
    capability: "Access Graph's CloudTrail event sources (access-graph's sqs-queue-url and cloudtrail-bucket-arn)",
    declaredIn: (settings) => settings.features.some((f) => f.key === 'access-graph' && f.params.eventSources !== undefined),
    minimum: '18.0.0',
    source: 'Teleport CHANGELOG 18.0.0, docs aws-sync.mdx "v18.0.0+", PR #55300 (shared/reference/roles-anywhere.md, version table)',
    resource: 'role-policy',
};
const EVERY_REGION = {
    capability: "discovery in every region (a matcher's regions: ['*'], the default)",
    declaredIn: (settings) => settings.discovery?.matchers.some((m) => m.regions.includes(config_discovery/* ALL_REGIONS */.mn)) ?? false,
    minimum: '18.5.0',
    source: 'Teleport PR #61924 (shared/reference/roles-anywhere.md, version table)',
    resource: 'teleport-discovery-config',
    instead: 'name the regions in each matcher (regions: [us-east-1, eu-west-1])',
};
/**
 * The sources say "18.7" (backport #63138 "for 18.7") without the patch. 18.7.0, the line's first
 * release, is taken: what is written is an IAM policy a cluster without the feature leaves unused,
 * while a refusal of a cluster that has it could not be worked around.
 */
const SESSION_SUMMARIES = {
    capability: 'Bedrock session summaries (feature session-summaries)',
    declaredIn: (settings) => settings.features.some((f) => f.key === 'session-summaries'),
    minimum: '18.7.0',
    source: 'Teleport PR #62883, backport #63138 "for 18.7", docs PR #64039 (shared/reference/roles-anywhere.md, version table)',
    resource: 'role-policy',
};
const ROLES_ANYWHERE = {
    capability: "Teleport's IAM Roles Anywhere integration (roles-anywhere: an aws-ra integration)",
    declaredIn: (settings) => settings.rolesAnywhere !== undefined,
    minimum: '18.2.1',
    source: 'RFD 0204 header; v18 profile-sync backport PR #58100 (shared/reference/roles-anywhere.md, version table)',
    resource: 'teleport-ra-integration',
};
/*
 * Cross-account discovery with a matcher's assume_role.role_arn (18.0.1, PR #56535) has no gate: no
 * declaration here writes a role_arn (an organization's matchers write assume_role.role_name,
 * gated at 18.7.0 above), and a discovery_config that has one is refused as made elsewhere.
 */
const VERSION_GATES = [
    ROLES_ANYWHERE,
    ACCESS_GRAPH_EVENT_SOURCES,
    EVERY_REGION,
    SESSION_SUMMARIES,
    ORGANIZATION_DISCOVERY,
    TOKEN_UNIT_RULES,
];
/**
 * From this release, deleting an aws-oidc integration also deletes the discovery_configs' matchers
 * and the AWS app servers that reference it (a config left with no matcher goes whole). Followed
 * as merged (PR #59607's awsoidc.go: every app server whose app names the integration, through the
 * backend). Not a gate: destroy says what goes with the integration, and refuses what it did not make.
 */
const INTEGRATION_DELETE_CASCADE = {
    minimum: '18.2.10',
    source: 'Teleport CHANGELOG 18.2.10 (10/23/25), PR #59607, v18 backport #60018 (shared/reference/roles-anywhere.md)',
};
/** major.minor.patch as numbers; a pre-release or build suffix is ignored (18.8.3-dev counts as 18.8.3). */
function parts(version) {
    const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
    return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}
/** True when `version` is older than `minimum`; undefined when `version` is not a version. */
function olderThan(version, minimum) {
    const have = parts(version);
    const need = parts(minimum);
    if (!have)
        return undefined;
    for (let i = 0; i < 3; i++)
        if (have[i] !== need[i])
            return have[i] < need[i];
    return false;
}

;// CONCATENATED MODULE: ./src/resources/teleport/app-servers.ts


/** Whether deleting the integration takes its app servers: yes from 18.2.10, and, unknown, assumed so (the safe side). */
function deleteCascades(serverVersion) {
    return serverVersion === undefined || olderThan(serverVersion, INTEGRATION_DELETE_CASCADE.minimum) !== true;
}
async function readAppServersOf(tctl, integration) {
    const all = await tctl.listAll('app_server');
    return all.filter((server) => server.spec?.app?.spec?.integration === integration);
}
/** The names a reviewer reads; an app server is named after its app. */
const appServerName = (server) => server.metadata?.name ?? server.spec?.app?.metadata?.name ?? '?';
/**
 * Each app server that would go unconfirmed is a refusal; what goes confirmed, and confirmations
 * that match nothing, are said in the plan's notes.
 */
function planCascade(appServers, confirmed, integration, serverVersion, notes) {
    const cluster = serverVersion === undefined ? 'The cluster (its version could not be read: assumed 18.2.10 or newer)' : `Teleport ${serverVersion}`;
    const names = appServers.map(appServerName);
    const refusals = names
        .filter((name) => !confirmed.includes(name))
        .map((name) => new errors/* RefusalError */.XQ('teleport-integration', `app server ${name} gives AWS access through integration ${integration} and is not this action's (the web UI makes them): ` +
        `${cluster} deletes it with the integration. Confirm it may go with confirm-app-servers: ${name}, or move it to another integration, then run destroy again. Nothing was deleted.`, `app_server/${name}`));
    const going = names.filter((name) => confirmed.includes(name));
    if (going.length > 0)
        notes.push(`${cluster} deletes with integration ${integration} its app servers ${going.join(', ')} (confirmed by confirm-app-servers).`);
    const unmatched = confirmed.filter((name) => !names.includes(name));
    if (unmatched.length > 0)
        notes.push(`confirm-app-servers names ${unmatched.join(', ')}, which no app server of integration ${integration} is: nothing to confirm there.`);
    return refusals;
}

;// CONCATENATED MODULE: ./src/report/destroy.ts
/** A destroy (or its plan) in the report: one row per resource, in the order they go. Pure. */



function count(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
}
/**
 * `done` is what was deleted (destroy) or undefined (plan): a row says `would delete` in a
 * plan, `deleted` once done, and keeps `would delete` for what a failure left undone.
 */
function destroyRows(plan, done) {
    const rows = [];
    const refusalOf = (resource, target) => plan.refusals.find((r) => r.resource === resource && (target === undefined || r.target === target))?.message;
    const row = (resource, target, mine, refusal, goneReason) => {
        if (refusal)
            return { resource, target, status: 'refused', reason: refusal };
        if (mine.length === 0)
            return { resource, target, status: 'gone', reason: goneReason };
        const applied = done !== undefined && mine.every((c) => done.includes(c));
        const status = applied ? 'deleted' : 'would delete';
        return { resource, target, status, reason: mine.map((c) => c.reason).join('; ') };
    };
    const { desired, changes, observed } = plan;
    if (desired.rolesAnywhere)
        return rolesAnywhereRows(plan, row, done);
    // The organization's side goes first: one row per resource the plan deletes or refuses.
    for (const resource of ['stack-instances', 'stack-set', 'member-role']) {
        const mine = changes.filter((c) => c.resource === resource);
        const refusal = refusalOf(resource);
        if (mine.length > 0 || refusal)
            rows.push(row(RESOURCE_TITLES[resource], mine[0]?.target ?? '-', mine, refusal, ''));
    }
    if (plan.teleportSkipped)
        rows.push({ resource: 'Teleport integration', target: desired.integration?.metadata.name ?? '-', status: 'skipped', reason: 'skip-teleport is set' });
    else {
        for (const change of changes.filter((c) => c.action === 'delete-discovery-config')) {
            rows.push(row('Teleport discovery_config', change.target, [change], undefined, ''));
        }
        for (const refusal of plan.refusals.filter((r) => r.resource === 'teleport-discovery-config')) {
            rows.push({ resource: 'Teleport discovery_config', target: refusal.target ?? '-', status: 'refused', reason: refusal.message });
        }
        const tokenDeletions = changes.filter((c) => c.action === 'delete-join-token');
        const token = observed.joinToken;
        if (tokenDeletions.length > 0)
            rows.push(row('Teleport join token', tokenDeletions[0].target, tokenDeletions, undefined, ''));
        else if (token) {
            rows.push({
                resource: 'Teleport join token',
                target: `token/${token.metadata.name}`,
                status: 'kept',
                reason: 'not labelled for this integration by this action: never deleted',
            });
        }
        const name = changes.find((c) => c.action === 'delete-integration')?.target ?? desired.integration?.metadata.name ?? '-';
        rows.push(row('Teleport integration', name, changes.filter((c) => c.action === 'delete-integration'), refusalOf('teleport-integration'), 'Teleport has no such integration'));
        // What Teleport deletes with the integration (18.2.10+): never this action's own deletions.
        const integrationDeletion = changes.filter((c) => c.action === 'delete-integration');
        for (const server of observed.appServers ?? []) {
            const name = appServerName(server);
            const refusal = refusalOf('teleport-integration', `app_server/${name}`);
            const gone = done !== undefined && integrationDeletion.length > 0 && integrationDeletion.every((c) => done.includes(c));
            rows.push({
                resource: 'Teleport app server (deleted by Teleport with the integration)',
                target: `app_server/${name}`,
                status: refusal ? 'refused' : gone ? 'deleted' : 'would delete',
                reason: refusal ??
                    `AWS access through this integration${server.spec?.app?.spec?.public_addr ? ` at ${server.spec.app.spec.public_addr}` : ''}; confirmed by confirm-app-servers`,
            });
        }
    }
    for (const document of desired.documents) {
        rows.push(row(`SSM document (${document.region})`, document.arn, changes.filter((c) => c.action === 'delete-document' && c.target === document.arn), refusalOf('ssm-document', document.arn), 'no such document in that region'));
    }
    // Console roles are the user's: destroy only takes back what apply added, and the role stays.
    for (const role of desired.consoleRoles) {
        const mine = changes.filter((c) => c.action === 'release-console-role' && c.target.endsWith(`/${role.name}`));
        const live = observed.consoleRoles.get(role.name);
        if (mine.length === 0) {
            rows.push({
                resource: RESOURCE_TITLES['console-role'],
                target: live?.arn ?? role.arn,
                status: live ? 'kept' : 'gone',
                reason: live ? 'nothing this integration added is on it: left as it is' : 'no such role',
            });
            continue;
        }
        const applied = done !== undefined && mine.every((c) => done.includes(c));
        rows.push({ resource: RESOURCE_TITLES['console-role'], target: mine[0].target, status: applied ? 'updated' : 'would change', reason: mine[0].reason });
    }
    if (desired.taskRole) {
        const taskRow = row(RESOURCE_TITLES['task-role'], observed.taskRole?.role.arn ?? desired.taskRole.name, changes.filter((c) => c.action === 'delete-task-role'), undefined, 'no such role');
        rows.push(taskRow.status === 'gone' && observed.taskRole
            ? { ...taskRow, status: 'kept', reason: `not tagged for this integration (${tagList(observed.taskRole.role.tags)}): never deleted` }
            : taskRow);
    }
    const roleChanges = changes.filter((c) => ['delete-role-policy', 'detach-role-policy', 'remove-role-from-instance-profile', 'delete-role'].includes(c.action));
    const roleRow = row('IAM role', desired.roleArn, roleChanges, refusalOf('iam-role'), 'no such role');
    if (roleRow.status === 'deleted' || roleRow.status === 'would delete') {
        const { inlinePolicies, managedPolicyArns, instanceProfiles } = observed.attachments;
        const declared = new Set(desired.rolePolicies.map((p) => p.name));
        const named = inlinePolicies.map((p) => (declared.has(p) ? p : `${p} (not declared: added out of band)`));
        roleRow.reason =
            `tagged for this integration; with it: ${count(inlinePolicies.length, 'inline policy', 'inline policies')}` +
                `${named.length > 0 ? ` (${named.join(', ')})` : ''}, ${count(managedPolicyArns.length, 'managed policy', 'managed policies')} detached` +
                `${managedPolicyArns.length > 0 ? ` (${managedPolicyArns.join(', ')})` : ''}, removed from ${count(instanceProfiles.length, 'instance profile', 'instance profiles')}` +
                `${instanceProfiles.length > 0 ? ` (${instanceProfiles.join(', ')})` : ''}`;
    }
    rows.push(roleRow);
    const providerRow = row('OIDC provider', desired.providerArn, changes.filter((c) => c.action === 'delete-provider'), refusalOf('oidc-provider'), 'no such provider');
    rows.push(plan.providerKept && providerRow.status === 'gone' ? { ...providerRow, status: 'kept', reason: plan.providerKept } : providerRow);
    return rows;
}
/** An aws-ra integration's destroy: its four resources, in the order they go. */
function rolesAnywhereRows(plan, row, rowsDone) {
    const ra = plan.desired.rolesAnywhere;
    const refusalOf = (resource) => plan.refusals.find((r) => r.resource === resource)?.message;
    const live = plan.observed;
    // Each row: what it is, what it points at, why it is gone, and what is there (undefined: nothing).
    const entries = [
        ['teleport-ra-integration', ra.integration, 'Teleport has no such integration', live.raIntegration],
        ...ra.accessProfiles.map((p) => {
            const there = live.accessProfiles?.get(p.name)?.[0];
            return ['access-profile', there?.arn ?? p.name, 'no such profile', there];
        }),
        ['sync-profile', live.syncProfiles?.[0]?.arn ?? ra.syncProfile.name, 'no such profile', live.syncProfiles?.[0]],
        ...ra.profileRoles.map((r) => {
            const there = live.profileRoles?.get(r.name);
            return ['profile-role', there?.arn ?? r.arn, 'no such role', there];
        }),
        ['trust-anchor', live.trustAnchors?.[0]?.arn ?? ra.trustAnchor.name, 'no such trust anchor', live.trustAnchors?.[0]],
        ['sync-role', ra.syncRoleArn, 'no such role', live.syncRole],
    ];
    return entries.map(([resource, target, gone, there]) => {
        const several = resource === 'access-profile' || resource === 'profile-role';
        const mine = plan.changes.filter((c) => c.resource === resource && (!several || c.target === target));
        // A profile's role stays: destroy only takes back its statement.
        if (resource === 'profile-role' && there) {
            const applied = mine.length > 0 && rowsDone !== undefined && mine.every((c) => rowsDone.includes(c));
            const status = mine.length === 0 ? 'kept' : applied ? 'updated' : 'would change';
            return { resource: RESOURCE_TITLES[resource], target, status, reason: mine[0]?.reason ?? 'nothing this integration added is on it: left as it is' };
        }
        const shown = row(RESOURCE_TITLES[resource], target, mine, refusalOf(resource), gone);
        // There, but not tagged for the integration: kept, never deleted.
        return shown.status === 'gone' && there ? { ...shown, status: 'kept', reason: 'not tagged for this integration: never deleted' } : shown;
    });
}

;// CONCATENATED MODULE: ./src/clients/network-errors.ts
/** Which of DNS, TCP or TLS failed on the way to a host, in words, with what Node said. */
const DNS = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'];
const TCP = {
    ECONNREFUSED: 'refused the connection (nothing listens there)',
    ETIMEDOUT: 'did not answer (a firewall, or the wrong address)',
    EHOSTUNREACH: 'is unreachable from here',
    ENETUNREACH: 'is on a network unreachable from here',
    ECONNRESET: 'closed the connection',
};
/** Undefined when the error is not a connection failure (an HTTP answer, a parse error). */
function connectionProblem(error, host, port) {
    if (!(error instanceof Error))
        return undefined;
    const code = error.code ?? '';
    if (DNS.includes(code))
        return `DNS: ${host} does not resolve (${code}); check cluster-url`;
    if (code in TCP)
        return `TCP: ${host}:${port} ${TCP[code]} (${code})`;
    if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL|EPROTO/.test(code) || /TLS handshake|certificate/i.test(error.message)) {
        return (`TLS: ${host}:${port} answered but its certificate was not accepted (${code || 'TLS'}: ${error.message}); ` +
            'a certificate from a private CA needs NODE_EXTRA_CA_CERTS on the runner');
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/clients/teleport-web.ts
/** The proxy's public, unauthenticated endpoints: cluster name and OIDC discovery. */



function getJson(url, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        const request = external_node_https_default().get(url, { headers: { accept: 'application/json' }, timeout: timeoutMs, agent: proxyAgents()?.httpsAgent }, (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => {
                text += chunk;
                if (text.length > 1_000_000)
                    request.destroy(new Error(`${url} answered with more than 1 MB`));
            });
            response.on('end', () => {
                let body = text;
                try {
                    body = JSON.parse(text);
                }
                catch {
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
/** The cluster's name and version, from /webapi/find (Teleport's own Terraform module reads the name there too). */
async function readClusterInfo(issuerUrl) {
    const url = `${issuerUrl}/webapi/find`;
    let answer;
    try {
        answer = await getJson(url);
    }
    catch (error) {
        throw new Error(`could not read the cluster name from ${url} (${error.message}); set the cluster-name input`, { cause: error });
    }
    const body = answer.body;
    const name = body?.cluster_name;
    if (answer.status !== 200 || typeof name !== 'string' || name === '') {
        throw new Error(`${url} answered ${answer.status} without a cluster_name; set the cluster-name input`);
    }
    return { clusterName: name, serverVersion: typeof body?.server_version === 'string' && body.server_version !== '' ? body.server_version : undefined };
}
async function discoverClusterName(issuerUrl) {
    return (await readClusterInfo(issuerUrl)).clusterName;
}
async function fetchOpenIdConfiguration(issuerUrl) {
    const url = `${issuerUrl}/.well-known/openid-configuration`;
    const answer = await getJson(url);
    if (answer.status !== 200 || answer.body === null || typeof answer.body !== 'object') {
        throw new Error(`${url} answered ${answer.status}${typeof answer.body === 'string' ? `: ${answer.body.slice(0, 120)}` : ''}`);
    }
    return answer.body;
}

// EXTERNAL MODULE: ./src/config/features.ts
var config_features = __webpack_require__(2831);
// EXTERNAL MODULE: ./src/config/regions.ts
var regions = __webpack_require__(815);
;// CONCATENATED MODULE: ./src/resources/aws/feature-policies.ts
/**
 * Teleport's per-feature inline policies on the integration role, under Teleport's names and
 * with Teleport's documents (shared/reference/features.md; the newer ones from Teleport's source,
 * named beside each), every ARN in the caller's partition. Reading them back: recognise-policy.ts.
 */


const EC2_SSM = ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:SendCommand'];
const EC2_INSTANCE_CONNECT_ENDPOINT = [
    'ec2:DescribeInstances',
    'ec2:DescribeInstanceConnectEndpoints',
    'ec2:DescribeSecurityGroups',
    'ec2:CreateInstanceConnectEndpoint',
    'ec2:CreateTags',
    'ec2:CreateNetworkInterface',
    'iam:CreateServiceLinkedRole',
    'ec2-instance-connect:SendSSHPublicKey',
    'ec2-instance-connect:OpenTunnel',
];
const EKS = [
    'eks:ListClusters',
    'eks:DescribeCluster',
    'eks:ListAccessEntries',
    'eks:CreateAccessEntry',
    'eks:DeleteAccessEntry',
    'eks:AssociateAccessPolicy',
    'eks:TagResource',
];
const RDS = ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'];
const ACCESS_GRAPH = [
    'ec2:DescribeInstances',
    'ec2:DescribeImages',
    'ec2:DescribeTags',
    'ec2:DescribeSnapshots',
    'ec2:DescribeKeyPairs',
    'eks:ListClusters',
    'eks:DescribeCluster',
    'eks:ListAccessEntries',
    'eks:ListAccessPolicies',
    'eks:ListAssociatedAccessPolicies',
    'eks:DescribeAccessEntry',
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    'rds:ListTagsForResource',
    'rds:DescribeDBProxies',
    'dynamodb:ListTables',
    'dynamodb:DescribeTable',
    'redshift:DescribeClusters',
    'redshift:Describe*',
    's3:ListAllMyBuckets',
    's3:GetBucketPolicy',
    's3:ListBucket',
    's3:GetBucketLocation',
    's3:GetBucketTagging',
    's3:GetBucketPolicyStatus',
    's3:GetBucketAcl',
    'iam:ListUsers',
    'iam:GetUser',
    'iam:ListRoles',
    'iam:ListGroups',
    'iam:ListPolicies',
    'iam:ListGroupsForUser',
    'iam:ListInstanceProfiles',
    'iam:ListUserPolicies',
    'iam:GetUserPolicy',
    'iam:ListAttachedUserPolicies',
    'iam:ListGroupPolicies',
    'iam:GetGroupPolicy',
    'iam:ListAttachedGroupPolicies',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:ListRolePolicies',
    'iam:ListAttachedRolePolicies',
    'iam:GetRolePolicy',
    'iam:ListSAMLProviders',
    'iam:GetSAMLProvider',
    'iam:ListOpenIDConnectProviders',
    'iam:GetOpenIDConnectProvider',
];
const IDENTITY_CENTER = [
    'organizations:ListAccounts',
    'organizations:ListAccountsForParent',
    'identitystore:ListUsers',
    'identitystore:ListGroups',
    'identitystore:ListGroupMemberships',
    'sso:DescribeInstance',
    'sso:DescribePermissionSet',
    'sso:ListPermissionSets',
    'sso:ListAccountAssignmentsForPrincipal',
    'sso:ListPermissionSetsProvisionedToAccount',
    'sso:CreateAccountAssignment',
    'sso:DescribeAccountAssignmentCreationStatus',
    'sso:DeleteAccountAssignment',
    'sso:DescribeAccountAssignmentDeletionStatus',
    'iam:AttachRolePolicy',
    'iam:CreateRole',
    'iam:GetRole',
    'iam:ListAttachedRolePolicies',
    'iam:ListRolePolicies',
    'iam:GetSAMLProvider',
    'iam:ListRoles',
];
const AUDIT_STORAGE_S3 = [
    's3:PutObject',
    's3:GetObject',
    's3:GetObjectVersion',
    's3:ListMultipartUploadParts',
    's3:AbortMultipartUpload',
    's3:ListBucket',
    's3:ListBucketVersions',
    's3:ListBucketMultipartUploads',
    's3:GetBucketOwnershipControls',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketObjectLockConfiguration',
    's3:GetBucketVersioning',
    's3:GetBucketLocation',
];
// Access Graph's event sources (StatementAccessGraphAWSSyncSQS, ...S3BucketDownload, StatementKMSDecrypt).
const ACCESS_GRAPH_SQS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage'];
const ACCESS_GRAPH_S3_DOWNLOAD = ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'];
const KMS_DECRYPT = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];
// deploy-service's policy on the integration role (StatementForIAMPassRole, StatementForECSManageService).
const ECS_MANAGE_SERVICE = [
    'ecs:DescribeClusters',
    'ecs:CreateCluster',
    'ecs:PutClusterCapacityProviders',
    'ecs:DescribeServices',
    'ecs:CreateService',
    'ecs:UpdateService',
    'ecs:ListServices',
    'ecs:RegisterTaskDefinition',
    'ecs:DescribeTaskDefinition',
    'ecs:DeregisterTaskDefinition',
    'ecs:TagResource',
    'ec2:DescribeSecurityGroups',
    'iam:CreateServiceLinkedRole',
];
const BEDROCK_INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
const SESSION_SUMMARIES_POLICY = 'TeleportBedrockSessionSummariesAccess';
const AUDIT_STORAGE_ATHENA = ['athena:StartQueryExecution', 'athena:GetQueryResults', 'athena:GetQueryExecution'];
const AUDIT_STORAGE_GLUE = ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions', 'glue:UpdateTable'];
/** Teleport's fixed policy names, and older names Teleport used, by feature (for undeclared ones found on a role). */
const TELEPORT_POLICY_NAMES = {
    EC2DiscoverWithSSM: 'ec2-ssm',
    EC2InstanceConnectEndpoint: 'ec2-instance-connect-endpoint',
    EKSAccess: 'eks',
    ListDatabases: 'rds',
    AWSAppAccess: 'aws-app-access',
    AccessGraphSyncAccess: 'access-graph',
    TeleportAWSIdentityCenterIntegration: 'identity-center',
    TeleportAWSIdentityCenter: 'identity-center',
    ExternalAuditStorage: 'external-audit-storage',
    [SESSION_SUMMARIES_POLICY]: 'session-summaries',
    DeployService: 'deploy-service',
};
const allow = (actions, resource = '*', extra = {}) => ({
    ...extra,
    Effect: 'Allow',
    Action: actions,
    Resource: resource,
});
const policy = (...statements) => ({ Version: '2012-10-17', Statement: statements });
function s3Resources(partition, uris) {
    const arns = uris.flatMap(({ bucket, prefix }) => [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/${prefix ? `${prefix}/` : ''}*`]);
    return [...new Set(arns)];
}
function externalAuditStorage(params, { partition, account, region }) {
    const glue = `arn:${partition}:glue:${region}:${account}`;
    return policy(allow(AUDIT_STORAGE_S3, s3Resources(partition, [params.sessionRecordingsUri, params.auditEventsUri, params.athenaResultsUri]), {
        Sid: 'ReadWriteSessionsAndEvents',
    }), allow(AUDIT_STORAGE_ATHENA, `arn:${partition}:athena:${region}:${account}:workgroup/${params.athenaWorkgroup}`, { Sid: 'AllowAthenaQuery' }), allow(AUDIT_STORAGE_GLUE, [`${glue}:catalog`, `${glue}:database/${params.glueDatabase}`, `${glue}:table/${params.glueDatabase}/${params.glueTable}`], {
        Sid: 'FullAccessOnGlueTable',
    }));
}
/** The queue's ARN, from its URL: the URL's region, partition and account (Teleport takes the integration's account instead, the same queue unless it is another account's). */
function sqsQueueArn(url) {
    const [, region, account, queue] = config_features/* SQS_QUEUE_URL */.gF.exec(url);
    return `arn:${(0,regions/* partitionOfRegion */.c)(region)}:sqs:${region}:${account}:${queue}`;
}
/**
 * Access Graph's statements (lib/integrations/awsoidc/accessgraph_sync.go): the sync, then
 * the queue, the CloudTrail bucket and the KMS keys. Teleport's bucket statement names only the
 * bucket ARN, where s3:GetObject never matches: the objects' ARN is added beside it.
 */
function accessGraph(sources) {
    if (!sources)
        return policy(allow(ACCESS_GRAPH));
    const { sqsQueueUrl, cloudTrailBucketArn, kmsKeyArns } = sources;
    return policy(allow(ACCESS_GRAPH), allow(ACCESS_GRAPH_SQS, [sqsQueueArn(sqsQueueUrl)]), allow(ACCESS_GRAPH_S3_DOWNLOAD, [cloudTrailBucketArn, `${cloudTrailBucketArn}/*`]), ...(kmsKeyArns.length > 0 ? [allow(KMS_DECRYPT, kmsKeyArns)] : []));
}
/**
 * The Bedrock resource for a model (StatementForBedrockSessionSummaries): an ARN or * as given; a
 * model ID as a foundation model of any region. Teleport puts the account in that ARN, where
 * AWS's foundation-model ARNs have none (arn:aws:bedrock:us-east-1::foundation-model/...), so
 * its statement never matches a foundation model: this one leaves the account out.
 */
function bedrockResource(model, partition) {
    if (model === '*' || model.startsWith('arn:'))
        return model;
    return `arn:${partition}:bedrock:*::foundation-model/${model}`;
}
/**
 * deploy-service's policy on the integration role (lib/integrations/awsoidc/deployservice_iam_config.go,
 * addPolicyToIntegrationRoleAction): pass the task role, and only it, to ECS; manage the service.
 */
function deployService({ taskRole }, { partition, account }) {
    return policy(allow(['iam:PassRole'], [`arn:${partition}:iam::${account}:role/${taskRole}`]), allow(ECS_MANAGE_SERVICE));
}
/** The inline policy a declared feature puts on the role. */
function featurePolicy(declaration, scope) {
    const { key } = declaration;
    switch (declaration.key) {
        case 'ec2-ssm':
            return { feature: key, name: 'EC2DiscoverWithSSM', document: policy(allow(EC2_SSM)) };
        case 'ec2-instance-connect-endpoint':
            return { feature: key, name: 'EC2InstanceConnectEndpoint', document: policy(allow(EC2_INSTANCE_CONNECT_ENDPOINT)) };
        case 'eks':
            return { feature: key, name: 'EKSAccess', document: policy(allow(EKS)) };
        case 'rds':
            return { feature: key, name: 'ListDatabases', document: policy(allow(RDS)) };
        case 'aws-app-access':
            return {
                feature: key,
                name: 'AWSAppAccess',
                document: policy(allow(['sts:AssumeRole'], '*', { Condition: { StringEquals: { 'iam:ResourceTag/teleport.dev/integration': 'true' } } })),
            };
        case 'access-graph':
            return { feature: key, name: 'AccessGraphSyncAccess', document: accessGraph(declaration.params.eventSources) };
        case 'identity-center':
            return {
                feature: key,
                name: 'TeleportAWSIdentityCenterIntegration',
                document: policy(allow(IDENTITY_CENTER, '*', { Sid: 'TeleportIdentityCenterClient' })),
            };
        case 'external-audit-storage':
            return { feature: key, name: declaration.params.policyName, document: externalAuditStorage(declaration.params, scope) };
        case 'deploy-service':
            return { feature: key, name: declaration.params.policyName, document: deployService(declaration.params, scope) };
        case 'session-summaries':
            return {
                feature: key,
                name: SESSION_SUMMARIES_POLICY,
                document: policy(allow(BEDROCK_INVOKE, [bedrockResource(declaration.params.model, scope.partition)])),
            };
    }
}

;// CONCATENATED MODULE: ./src/resources/aws/policy-document.ts
/**
 * GetRole and ListRoles return the document URL-encoded (RFC 3986) from AWS, while some
 * emulators return it decoded: accept both.
 */
function parsePolicyDocument(text) {
    const trimmed = text.trim();
    const json = trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed);
    const parsed = JSON.parse(json);
    if (parsed === null || typeof parsed !== 'object' || parsed.Statement === undefined) {
        throw new Error('the policy document has no Statement');
    }
    return parsed;
}
function statementsOf(document) {
    return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}
/** Canonical form: one value or an array of one are the same, order of values and keys does not matter. */
function canonical(value) {
    if (Array.isArray(value)) {
        const items = value.map(canonical);
        const unique = [...new Map(items.map((item) => [JSON.stringify(item), item])).values()];
        unique.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        return unique.length === 1 ? unique[0] : unique;
    }
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value)
            .sort()
            .map((key) => [key, canonical(value[key])]));
    }
    return value === undefined ? null : value;
}
function sameJson(a, b) {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
/** Two policy documents grant the same: statement order, key order, "x" vs ["x"] and duplicates do not matter. */
function samePolicy(a, b) {
    return sameJson(a, b);
}

;// CONCATENATED MODULE: ./src/resources/aws/discovery-policy.ts
/**
 * The permissions the discovery matchers need on the integration role: at least the list of
 * Teleport's Terraform module per type, plus `account:ListRegions` where a matcher's regions
 * are "*". What a declared feature policy already grants is not written again: the rest goes
 * into one inline policy, TeleportDiscovery, and the plan says which policy covers what.
 */


const DISCOVERY_POLICY_NAME = 'TeleportDiscovery';
/** Per type: the Terraform module's single-account list (ec2, eks, rds), and Teleport's database discovery docs for the others. */
const DISCOVERY_ACTIONS = {
    ec2: ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:SendCommand'],
    eks: [
        'eks:ListClusters',
        'eks:DescribeCluster',
        'eks:ListAccessEntries',
        'eks:DescribeAccessEntry',
        'eks:CreateAccessEntry',
        'eks:DeleteAccessEntry',
        'eks:AssociateAccessPolicy',
        'eks:TagResource',
        'eks:UpdateAccessEntry',
    ],
    rds: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
    rdsproxy: ['rds:DescribeDBProxies', 'rds:DescribeDBProxyEndpoints', 'rds:ListTagsForResource'],
    redshift: ['redshift:DescribeClusters'],
    'redshift-serverless': ['redshift-serverless:ListWorkgroups', 'redshift-serverless:ListEndpointAccess', 'redshift-serverless:ListTagsForResource'],
    elasticache: [
        'elasticache:DescribeReplicationGroups',
        'elasticache:DescribeCacheClusters',
        'elasticache:DescribeCacheSubnetGroups',
        'elasticache:ListTagsForResource',
    ],
    memorydb: ['memorydb:DescribeClusters', 'memorydb:DescribeSubnetGroups', 'memorydb:ListTags'],
    opensearch: ['es:ListDomainNames', 'es:DescribeDomains', 'es:ListTags'],
    docdb: ['rds:DescribeDBClusters'],
};
const LIST_REGIONS = 'account:ListRegions';
/** Every action the matchers need, in a stable order. */
function discoveryActions(discovery) {
    const actions = new Set();
    // Organization matchers discover through each account's member role, not the integration role.
    const own = discovery.matchers.filter((m) => !m.organization);
    if (own.some((m) => m.regions.includes(config_discovery/* ALL_REGIONS */.mn)))
        actions.add(LIST_REGIONS);
    for (const matcher of own)
        for (const type of matcher.types)
            for (const action of DISCOVERY_ACTIONS[type])
                actions.add(action);
    return [...actions].sort();
}
/** Actions a policy grants on every resource, unconditionally: only those can stand in for discovery's. */
function grantedEverywhere(policy) {
    return statementsOf(policy.document)
        .filter((s) => s.Effect === 'Allow' && s.Condition === undefined && (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))))
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).map(String));
}
function discoveryPermissions(discovery, featurePolicies) {
    const needed = discoveryActions(discovery);
    const covered = new Set();
    const coveredBy = [];
    for (const policy of featurePolicies) {
        const granted = new Set(grantedEverywhere(policy));
        const actions = needed.filter((action) => granted.has(action) && !covered.has(action));
        if (actions.length === 0)
            continue;
        actions.forEach((action) => covered.add(action));
        coveredBy.push({ policy: policy.name, actions });
    }
    const rest = needed.filter((action) => !covered.has(action));
    const note = coveredBy.length > 0
        ? `; already granted by ${coveredBy.map((c) => `${c.policy} (${c.actions.length} action${c.actions.length === 1 ? '' : 's'})`).join(', ')}`
        : '';
    const policy = rest.length === 0
        ? undefined
        : {
            feature: 'discovery',
            name: DISCOVERY_POLICY_NAME,
            document: { Version: '2012-10-17', Statement: [{ Sid: 'TeleportDiscovery', Effect: 'Allow', Action: rest, Resource: '*' }] },
            note: `discovery matchers need ${rest.join(', ')}${note}`,
        };
    return { policy, coveredBy, needed };
}

;// CONCATENATED MODULE: ./src/resources/teleport/ownership.ts
/**
 * Which Teleport resources are this integration's: the ones labelled with its name and this
 * tool, as Teleport's own Terraform module labels what it makes (`teleport.dev/iac-tool`).
 */

const INTEGRATION_LABEL = 'teleport.dev/integration';
const IAC_TOOL_LABEL = 'teleport.dev/iac-tool';
const IAC_TOOL = 'teleport-aws-oidc-integration-action';
function ownershipLabels(integration) {
    return { [INTEGRATION_LABEL]: integration, [IAC_TOOL_LABEL]: IAC_TOOL };
}
function ownershipOf(labels, integration) {
    const named = labels?.[INTEGRATION_LABEL];
    const tool = labels?.[IAC_TOOL_LABEL];
    if (named === integration && tool === IAC_TOOL)
        return 'ours';
    if ((named === undefined || named === integration) && (tool === undefined || tool === IAC_TOOL))
        return 'unlabelled';
    return 'theirs';
}
/** Why an update is planned: each field, and whether it takes the resource over. */
function updateReason(labels, integration, fields) {
    const adopted = ownershipOf(labels, integration) !== 'ours' ? 'taken over (adopt-existing-discovery); ' : '';
    return adopted + fields.map((f) => `${f.field} is ${f.live}, declared ${f.declared}`).join('; ');
}
/**
 * Throws a refusal unless the resource is ours, or unlabelled and being adopted. Something
 * labelled for another integration or another tool is never taken: two owners would fight.
 */
function checkOwnership(resource, what, labels, integration, adopt) {
    const ownership = ownershipOf(labels, integration);
    if (ownership === 'ours' || (ownership === 'unlabelled' && adopt))
        return;
    const shown = `${INTEGRATION_LABEL}=${labels?.[INTEGRATION_LABEL] ?? '(none)'}, ${IAC_TOOL_LABEL}=${labels?.[IAC_TOOL_LABEL] ?? '(none)'}`;
    if (ownership === 'unlabelled') {
        throw new errors/* RefusalError */.XQ(resource, `${what} exists but is not labelled for integration ${integration} by this action (${shown}): it was made by hand or in the web UI. ` +
            `Nothing was changed. Set adopt-existing-discovery: true to take it over, or choose another name.`, what);
    }
    throw new errors/* RefusalError */.XQ(resource, `${what} belongs to someone else (${shown}): it is never taken over. Nothing was changed. Choose another name.`, what);
}
/**
 * Why a labelled resource that exists is updated, or undefined when no field differs; throws a
 * refusal first unless it is ours (or unlabelled and adopted).
 */
function updateOf(resource, target, labels, policy, fields) {
    checkOwnership(resource, target, labels, policy.integration, policy.adoptExisting);
    return fields.length === 0 ? undefined : updateReason(labels, policy.integration, fields);
}

;// CONCATENATED MODULE: ./src/resources/teleport/discovery-config.ts


/** Teleport's install enroll modes: the number the module writes, or the enum's name protojson prints. */
const ENROLL_MODES = {
    '0': 'UNSPECIFIED',
    '1': 'SCRIPT',
    '2': 'EICE',
    INSTALL_PARAM_ENROLL_MODE_UNSPECIFIED: 'UNSPECIFIED',
    INSTALL_PARAM_ENROLL_MODE_SCRIPT: 'SCRIPT',
    INSTALL_PARAM_ENROLL_MODE_EICE: 'EICE',
};
const ENROLL_MODE_SCRIPT = 1;
function defaultDiscoveryConfigName(integration) {
    return integration;
}
function defaultJoinTokenName(integration) {
    return `${integration}-ec2`;
}
function matcherResource(matcher, integration, install, document, organizationId) {
    const tags = Object.fromEntries(Object.entries(matcher.tags).map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
    return {
        types: matcher.types,
        regions: matcher.regions,
        tags,
        integration,
        ...(matcher.types.includes('ec2') ? { install, ssm: { document_name: document } } : {}),
        ...(matcher.setupAccessForArn ? { setup_access_for_arn: matcher.setupAccessForArn } : {}),
        ...(matcher.kubeAppDiscovery ? { kube_app_discovery: true } : {}),
        // Every account in scope: the Discovery Service assumes the member role of this name in each.
        ...(matcher.organization
            ? {
                assume_role: { role_name: matcher.organization.memberRole },
                organization: {
                    organization_id: organizationId,
                    organizational_units: { include: matcher.organization.include, exclude: matcher.organization.exclude },
                },
            }
            : {}),
    };
}
function discoveryConfigResource(declaration, integration, joinToken, ssmDocument, 
/** Read from AWS: the credentials' organization, for organization matchers. */
organizationId = '') {
    const install = {
        enroll_mode: ENROLL_MODE_SCRIPT,
        install_teleport: true,
        join_method: 'iam',
        join_token: joinToken,
        script_name: declaration.scriptName,
        ...(declaration.installSuffix ? { suffix: declaration.installSuffix } : {}),
    };
    return {
        kind: 'discovery_config',
        version: 'v1',
        metadata: {
            name: declaration.name ?? defaultDiscoveryConfigName(integration),
            description: `AWS discovery through integration ${integration}, managed in Git`,
            labels: { ...declaration.labels, ...ownershipLabels(integration) },
        },
        spec: {
            discovery_group: declaration.group,
            aws: declaration.matchers.map((matcher) => matcherResource(matcher, integration, install, ssmDocument, organizationId)),
        },
    };
}
// ---- Semantic comparison -------------------------------------------------------------
/** A live value as text: what a person typed may be any JSON. */
const discovery_config_text = (value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
const show = (value) => {
    if (value === undefined || value === null || value === '')
        return '(none)';
    if (Array.isArray(value))
        return value.map(show).join(', ');
    return discovery_config_text(value);
};
const asList = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value.map(discovery_config_text) : [discovery_config_text(value)]);
const sameSet = (a, b) => {
    const x = [...new Set(asList(a))].sort();
    const y = [...new Set(asList(b))].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
};
/** Tags compare as key → set of values: "x" and ["x"] are the same. */
function normalTags(tags) {
    const entries = Object.entries(tags ?? {}).map(([k, v]) => [k, [...new Set(asList(v))].sort()]);
    return JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)));
}
const enrollMode = (value) => ENROLL_MODES[discovery_config_text(value ?? 0)] ?? discovery_config_text(value);
const emptyAsUndefined = (value) => (value === '' || value === null || value === false ? undefined : value);
/** The fields of one matcher that differ, live against declared. */
function matcherDiffs(live, wanted, at) {
    if (!live)
        return [{ field: at, live: '(none)', declared: `a matcher for ${wanted.types.join(', ')}` }];
    const diffs = [];
    const compare = (field, a, b, same) => {
        if (!same(a, b))
            diffs.push({ field: `${at}.${field}`, live: show(a), declared: show(b) });
    };
    const equal = (a, b) => emptyAsUndefined(a) === emptyAsUndefined(b);
    compare('types', live.types, wanted.types, sameSet);
    compare('regions', live.regions, wanted.regions, sameSet);
    if (normalTags(live.tags) !== normalTags(wanted.tags))
        diffs.push({ field: `${at}.tags`, live: show(live.tags), declared: show(wanted.tags) });
    compare('integration', live.integration, wanted.integration, equal);
    if (wanted.install) {
        const install = live.install ?? {};
        compare('install.enroll_mode', install.enroll_mode, wanted.install.enroll_mode, (a, b) => enrollMode(a) === enrollMode(b));
        for (const field of ['install_teleport', 'join_method', 'join_token', 'script_name', 'suffix']) {
            compare(`install.${field}`, install[field], wanted.install[field], equal);
        }
        compare('ssm.document_name', live.ssm?.document_name, wanted.ssm?.document_name, equal);
    }
    compare('setup_access_for_arn', live.setup_access_for_arn, wanted.setup_access_for_arn, equal);
    compare('kube_app_discovery', live.kube_app_discovery, wanted.kube_app_discovery, equal);
    // A role the Discovery Service would assume first would be dropped by the next write.
    compare('assume_role.role_arn', live.assume_role?.role_arn, undefined, equal);
    compare('assume_role.role_name', live.assume_role?.role_name, wanted.assume_role?.role_name, equal);
    const units = (m) => m.organization?.organizational_units;
    compare('organization.organization_id', live.organization?.organization_id, wanted.organization?.organization_id, equal);
    compare('organization.organizational_units.include', units(live)?.include ?? [], units(wanted)?.include ?? [], sameSet);
    compare('organization.organizational_units.exclude', units(live)?.exclude ?? [], units(wanted)?.exclude ?? [], sameSet);
    return diffs;
}
/** Every field that differs; empty when the live resource matches what is declared. */
function discoveryConfigDiffs(live, wanted) {
    const diffs = [];
    if (live.spec?.discovery_group !== wanted.spec.discovery_group) {
        diffs.push({ field: 'spec.discovery_group', live: show(live.spec?.discovery_group), declared: wanted.spec.discovery_group });
    }
    const liveMatchers = live.spec?.aws ?? [];
    const wantedMatchers = wanted.spec.aws ?? [];
    wantedMatchers.forEach((matcher, index) => diffs.push(...matcherDiffs(liveMatchers[index], matcher, `spec.aws[${index}]`)));
    liveMatchers.slice(wantedMatchers.length).forEach((matcher, offset) => {
        diffs.push({ field: `spec.aws[${wantedMatchers.length + offset}]`, live: `a matcher for ${show(matcher.types)}`, declared: '(none)' });
    });
    // Matchers of other clouds in our resource: the next write drops them.
    for (const [key, value] of Object.entries(live.spec ?? {})) {
        if (key === 'discovery_group' || key === 'aws')
            continue;
        const empty = value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value).length === 0);
        if (!empty)
            diffs.push({ field: `spec.${key}`, live: show(value), declared: '(none)' });
    }
    for (const [key, value] of Object.entries(wanted.metadata.labels ?? {})) {
        if (live.metadata.labels?.[key] !== value)
            diffs.push({ field: `metadata.labels.${key}`, live: show(live.metadata.labels?.[key]), declared: value });
    }
    return diffs;
}
function planDiscoveryConfig(live, wanted, policy) {
    const name = wanted.metadata.name;
    const target = `discovery_config/${name}`;
    if (!live) {
        return [
            {
                action: 'create-discovery-config',
                resource: 'teleport-discovery-config',
                target,
                reason: `Teleport has no discovery_config "${name}": nothing is discovered through ${policy.integration} without it`,
                after: wanted,
            },
        ];
    }
    const fields = discoveryConfigDiffs(live, wanted);
    const reason = updateOf('teleport-discovery-config', target, live.metadata.labels, policy, fields);
    if (!reason)
        return [];
    return [{ action: 'update-discovery-config', resource: 'teleport-discovery-config', target, reason, fields, before: live, after: wanted }];
}
function isDiscoveryConfigChange(change) {
    return change.action === 'create-discovery-config' || change.action === 'update-discovery-config';
}
/** `--force` replaces the resource (status stays Teleport's); the whole declared resource is written. */
async function applyDiscoveryConfigChange(tctl, change) {
    return tctl.create(change.after);
}
/** What references an integration: its AWS matchers and Access Graph's AWS matchers. */
/**
 * A Discovery Service's read-only copy of its static configuration (sub_kind synthetic, named
 * synthetic-…; api/types/discoveryconfig): written by that service alone, never made in the web UI
 * or by hand, so never a discovery_config "made outside the workflow" to warn about, import or
 * stop a destroy for.
 */
const SYNTHETIC_SUB_KIND = 'synthetic';
const isSynthetic = (config) => config.sub_kind === SYNTHETIC_SUB_KIND;
function referencesIntegration(config, integration) {
    if (isSynthetic(config))
        return false;
    return ((config.spec?.aws ?? []).some((m) => m?.integration === integration) || (config.spec?.access_graph?.aws ?? []).some((m) => m?.integration === integration));
}
/** discovery_configs that reference the integration and are not this action's (made in the web UI, by hand, by Terraform). */
function foreignReferences(all, integration) {
    return all.filter((config) => referencesIntegration(config, integration) && ownershipOf(config.metadata?.labels, integration) !== 'ours');
}
/** Ours but not the declared one: left behind by a renamed or dropped `discovery`. */
function strayConfigs(all, integration, declaredName) {
    return all.filter((config) => ownershipOf(config.metadata?.labels, integration) === 'ours' && config.metadata.name !== declaredName);
}
/**
 * Destroy: every discovery_config labelled for this integration by this action, declared or
 * not (a dropped `discovery` input leaves one behind). Others are never deleted; those that
 * reference the integration stop the destroy (see foreignReferences).
 */
function planDiscoveryConfigRemoval(all, integration) {
    return all
        .filter((config) => ownershipOf(config.metadata.labels, integration) === 'ours')
        .map((config) => ({
        action: 'delete-discovery-config',
        resource: 'teleport-discovery-config',
        target: `discovery_config/${config.metadata.name}`,
        name: config.metadata.name,
        reason: `labelled for ${integration} by this action`,
    }));
}
// ---- Import: the `discovery` declaration that writes a live discovery_config -------------
/** A matcher's organization as the `organization` key declares it (the live id pinned). */
function organizationDeclarationOf(m) {
    const units = m.organization?.organizational_units ?? {};
    const include = asList(units.include);
    const exclude = asList(units.exclude);
    const role = m.assume_role?.role_name;
    return {
        ...(m.organization?.organization_id ? { id: m.organization.organization_id } : {}),
        ...(include.length > 0 && !(include.length === 1 && include[0] === '*')
            ? { units: { include, ...(exclude.length > 0 ? { exclude } : {}) } }
            : exclude.length > 0
                ? { units: { exclude } }
                : {}),
        ...(role && role !== config_discovery/* DEFAULT_MEMBER_ROLE */.Wn ? { 'member-role': role } : {}),
    };
}
const isEmptyValue = (value) => value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value).length === 0);
/**
 * mode import: the `discovery` declaration (config-file keys) that writes this discovery_config
 * for the integration, or why none can: other clouds' matchers, other integrations' matchers,
 * an assumed role, EC2 matchers that install differently. Whether a plan then shows no change
 * is checked by planning it.
 */
function discoveryDeclarationOf(config, integration) {
    const spec = config.spec ?? { discovery_group: '' };
    const others = Object.entries(spec)
        .filter(([key, value]) => key !== 'discovery_group' && key !== 'aws' && !isEmptyValue(value))
        .map(([key]) => key);
    if (others.length > 0)
        return { reason: `it also has ${others.join(', ')} matchers, which discovery does not declare` };
    const matchers = spec.aws ?? [];
    if (matchers.length === 0)
        return { reason: 'it has no AWS matchers' };
    if (matchers.some((m) => m?.integration !== integration))
        return { reason: 'it also has AWS matchers of other integrations, or without one' };
    if (matchers.some((m) => m.assume_role?.role_arn))
        return { reason: 'a matcher assumes another role (assume_role), which discovery does not declare' };
    if (matchers.some((m) => Boolean(m.assume_role?.role_name) !== Boolean(m.organization)))
        return { reason: 'a matcher assumes a role by name outside an organization, or walks an organization without one, which discovery does not declare' };
    const scopes = new Set(matchers.filter((m) => m.organization).map((m) => JSON.stringify(organizationDeclarationOf(m))));
    if (scopes.size > 1)
        return { reason: 'its matchers walk the organization with different units or member roles, where discovery declares one scope' };
    const ec2 = matchers.filter((m) => asList(m.types).includes('ec2'));
    const installOf = (m) => [m.install?.join_token, m.install?.script_name, m.install?.suffix, m.ssm?.document_name];
    if (new Set(ec2.map((m) => JSON.stringify(installOf(m)))).size > 1) {
        return { reason: 'its EC2 matchers install differently (join token, script, suffix or SSM document), where discovery declares one way' };
    }
    const install = ec2[0]?.install;
    if (install && (enrollMode(install.enroll_mode) === 'EICE' || install.install_teleport === false || (install.join_method ?? 'iam') !== 'iam')) {
        return { reason: 'its EC2 matchers enroll without installing Teleport through the IAM join method, which discovery does not declare' };
    }
    const declaration = { group: spec.discovery_group };
    if (config.metadata.name !== defaultDiscoveryConfigName(integration))
        declaration.name = config.metadata.name;
    if (install?.join_token && install.join_token !== defaultJoinTokenName(integration))
        declaration['join-token'] = install.join_token;
    const labels = Object.entries(config.metadata.labels ?? {}).filter(([key]) => !key.startsWith('teleport.dev/') && !key.startsWith('teleport.internal/'));
    if (labels.length > 0)
        declaration.labels = Object.fromEntries(labels);
    if (install?.script_name && install.script_name !== config_discovery/* DEFAULT_SCRIPT_NAME */.Ao)
        declaration['script-name'] = install.script_name;
    if (install?.suffix)
        declaration['install-suffix'] = install.suffix;
    if (ec2[0]?.ssm?.document_name)
        declaration['ssm-document'] = ec2[0].ssm.document_name;
    declaration.matchers = matchers.map((m) => {
        const regions = asList(m.regions);
        const tags = Object.entries(m.tags ?? {});
        const everything = tags.length === 0 || (tags.length === 1 && tags[0][0] === '*' && asList(tags[0][1]).every((v) => v === '*'));
        return {
            types: asList(m.types),
            ...(regions.length > 0 && !(regions.length === 1 && regions[0] === '*') ? { regions } : {}),
            ...(everything ? {} : { tags: Object.fromEntries(tags.map(([key, value]) => [key, Array.isArray(value) ? value.map(discovery_config_text) : discovery_config_text(value)])) }),
            ...(m.setup_access_for_arn ? { 'setup-access-for-arn': m.setup_access_for_arn } : {}),
            ...(m.kube_app_discovery ? { 'kube-app-discovery': true } : {}),
            ...(m.organization ? { organization: organizationDeclarationOf(m) } : {}),
        };
    });
    return { declaration };
}

;// CONCATENATED MODULE: ./src/resources/teleport/join-token.ts


function joinTokenResource(name, integration, account, labels, organization) {
    // The whole organization needs no unit rule, so a cluster older than 18.8.3 (which has none) takes it.
    const units = organization && tokenNamesUnits(organization.include, organization.exclude) ? organization : undefined;
    const allow = organization
        ? [
            { aws_organization_id: organization.id, ...(units ? { aws_organizational_units: { include: units.include, exclude: units.exclude } } : {}) },
            ...(organization.alsoAccount ? [{ aws_account: account }] : []),
        ]
        : [{ aws_account: account }];
    return {
        kind: 'token',
        version: 'v2',
        metadata: {
            name,
            description: `EC2 instances discovered through integration ${integration} join with this token`,
            labels: { ...labels, ...ownershipLabels(integration) },
        },
        spec: { roles: ['Node'], join_method: 'iam', allow, ...(organization ? { integration } : {}) },
    };
}
/** Older guides set a far-future expiry instead of none: both mean "never". */
const NEVER = Date.parse('2999-01-01T00:00:00Z');
const isEmpty = (v) => v === undefined ||
    v === null ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => isEmpty(v[k])));
/** A value as comparable text: keys sorted at every depth, empty fields left out. */
function join_token_canonical(value) {
    if (Array.isArray(value))
        return value.map(join_token_canonical);
    if (value !== null && typeof value === 'object') {
        return Object.entries(value)
            .filter(([, v]) => !isEmpty(v))
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, join_token_canonical(v)]);
    }
    return value;
}
/** An allow rule as comparable text, without empty fields; a unit rule of the whole organization is the same as none. */
function ruleKey(rule) {
    const units = rule.aws_organizational_units;
    const whole = units && !tokenNamesUnits(units.include ?? [], units.exclude ?? []);
    return JSON.stringify(join_token_canonical(whole ? { ...rule, aws_organizational_units: undefined } : rule));
}
const sortedKeys = (rules) => [...new Set((rules ?? []).map(ruleKey))].sort();
const showRules = (rules) => (rules ?? []).length === 0
    ? '(none)'
    : (rules ?? []).map((r) => (r.aws_account && Object.keys(r).length === 1 ? `account ${r.aws_account}` : JSON.stringify(r))).join(', ');
function joinTokenDiffs(live, wanted) {
    const diffs = [];
    const roles = (r) => [...new Set((Array.isArray(r) ? r : []).map((x) => String(x).toLowerCase()))].sort().join(',');
    if (roles(live.spec?.roles) !== roles(wanted.spec.roles)) {
        diffs.push({ field: 'spec.roles', live: (live.spec?.roles ?? []).join(', ') || '(none)', declared: wanted.spec.roles.join(', ') });
    }
    if (live.spec?.join_method !== wanted.spec.join_method)
        diffs.push({ field: 'spec.join_method', live: live.spec?.join_method ?? '(none)', declared: wanted.spec.join_method });
    // Another account allowed to join is a hole, not a detail.
    if (JSON.stringify(sortedKeys(live.spec?.allow)) !== JSON.stringify(sortedKeys(wanted.spec.allow))) {
        diffs.push({ field: 'spec.allow', live: showRules(live.spec?.allow), declared: showRules(wanted.spec.allow) });
    }
    // The integration Auth asks Organizations through, for organization rules.
    const integrationOf = (token) => (typeof token.spec?.integration === 'string' ? token.spec.integration : '');
    if (integrationOf(live) !== integrationOf(wanted)) {
        diffs.push({ field: 'spec.integration', live: integrationOf(live) || '(none)', declared: integrationOf(wanted) || '(none)' });
    }
    const expires = live.metadata.expires;
    if (expires && !(Date.parse(expires) >= NEVER)) {
        diffs.push({ field: 'metadata.expires', live: expires, declared: '(never): instances could no longer join after that' });
    }
    for (const [key, value] of Object.entries(wanted.metadata.labels ?? {})) {
        if (live.metadata.labels?.[key] !== value)
            diffs.push({ field: `metadata.labels.${key}`, live: live.metadata.labels?.[key] ?? '(none)', declared: value });
    }
    return diffs;
}
function planJoinToken(live, wanted, policy) {
    const target = `token/${wanted.metadata.name}`;
    if (!live) {
        return [
            {
                action: 'create-join-token',
                resource: 'teleport-join-token',
                target,
                reason: `Teleport has no join token "${wanted.metadata.name}": discovered EC2 instances could not join`,
                after: wanted,
            },
        ];
    }
    const fields = joinTokenDiffs(live, wanted);
    const reason = updateOf('teleport-join-token', target, live.metadata.labels, policy, fields);
    if (!reason)
        return [];
    return [{ action: 'update-join-token', resource: 'teleport-join-token', target, reason, fields, before: live, after: wanted }];
}
function isJoinTokenChange(change) {
    return change.action === 'create-join-token' || change.action === 'update-join-token';
}
async function applyJoinTokenChange(tctl, change) {
    return tctl.create(change.after);
}
/** Destroy: only a token labelled for this integration by this action. */
function planJoinTokenRemoval(live, integration) {
    if (!live || ownershipOf(live.metadata.labels, integration) !== 'ours')
        return [];
    const name = live.metadata.name;
    return [
        { action: 'delete-join-token', resource: 'teleport-join-token', target: `token/${name}`, name, reason: `labelled for ${integration} by this action` },
    ];
}

;// CONCATENATED MODULE: ./src/resources/teleport/integration.ts

/** The marker value the identity-center feature sets on the integration (not a token audience). */
const IDENTITY_CENTER_AUDIENCE = 'aws-identity-center';
function integrationResource(name, roleArn, audience) {
    const awsOidc = audience ? { role_arn: roleArn, audience } : { role_arn: roleArn };
    return { kind: 'integration', sub_kind: 'aws-oidc', version: 'v1', metadata: { name }, spec: { aws_oidc: awsOidc } };
}
function roleArnOf(resource) {
    const spec = resource?.spec;
    return typeof spec?.aws_oidc?.role_arn === 'string' ? spec.aws_oidc.role_arn : undefined;
}
/**
 * The resource to write when updating: the existing one with only role_arn (and the audience
 * a declared feature needs) changed, so a description, labels or an `audience` someone set
 * are kept (`--force` replaces the spec).
 */
function updatedResource(existing, wanted) {
    const { name, description, labels } = existing.metadata;
    return {
        kind: 'integration',
        sub_kind: existing.sub_kind,
        version: existing.version || 'v1',
        metadata: { name, ...(description ? { description } : {}), ...(labels && Object.keys(labels).length ? { labels } : {}) },
        spec: { aws_oidc: { ...existing.spec.aws_oidc, ...wanted.spec.aws_oidc } },
    };
}
function planIntegration(existing, wanted) {
    const name = wanted.metadata.name;
    if (!existing) {
        return [{ action: 'create-integration', resource: 'teleport-integration', target: name, reason: `Teleport has no integration "${name}"`, after: wanted }];
    }
    if (existing.sub_kind !== 'aws-oidc') {
        throw new errors/* RefusalError */.XQ('teleport-integration', `Teleport integration "${name}" exists with sub_kind "${existing.sub_kind}", not aws-oidc: it is not this integration. Choose another integration name.`);
    }
    const current = roleArnOf(existing);
    const reasons = [];
    if (current !== wanted.spec.aws_oidc.role_arn)
        reasons.push(`its role_arn is ${current ?? 'empty'}, not ${wanted.spec.aws_oidc.role_arn}`);
    // Only a declared feature sets the audience; an audience nobody declared is kept.
    const audience = wanted.spec.aws_oidc.audience;
    const currentAudience = existing.spec.aws_oidc?.audience;
    if (typeof audience === 'string' && currentAudience !== audience) {
        const shown = typeof currentAudience === 'string' && currentAudience !== '' ? currentAudience : 'empty';
        reasons.push(`its audience is ${shown}, not ${audience} (feature identity-center)`);
    }
    if (reasons.length === 0)
        return [];
    return [
        {
            action: 'update-integration',
            resource: 'teleport-integration',
            target: name,
            reason: reasons.join('; '),
            before: existing,
            after: updatedResource(existing, wanted),
        },
    ];
}
function isIntegrationChange(change) {
    return change.action === 'create-integration' || change.action === 'update-integration';
}
async function applyIntegrationChange(tctl, change) {
    return tctl.create(change.after);
}
/**
 * Destroy: the integration is removed only while it points at this integration's role;
 * pointing anywhere else, it is someone else's configuration and is refused.
 */
function planIntegrationRemoval(existing, name, roleArns) {
    if (!existing)
        return [];
    if (existing.sub_kind !== 'aws-oidc') {
        throw new errors/* RefusalError */.XQ('teleport-integration', `Teleport integration "${name}" has sub_kind "${existing.sub_kind}", not aws-oidc: it is not this integration. Nothing was deleted.`);
    }
    const current = roleArnOf(existing);
    if (current === undefined || !roleArns.includes(current)) {
        throw new errors/* RefusalError */.XQ('teleport-integration', `Teleport integration "${name}" points at ${current ?? 'no role'}, not at ${roleArns[0]}: it is not this integration's to remove. Nothing was deleted.`);
    }
    return [{ action: 'delete-integration', resource: 'teleport-integration', target: name, name, reason: `it points at ${current}` }];
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/resources/aws/ssm-document.ts
/**
 * EC2 auto-discovery's SSM document (feature ec2-ssm), kept in every listed region: created
 * with Teleport's content, repaired (a new version made default) only when it carries this
 * integration's tags, compared with the random install path masked so a re-run writes nothing.
 */


/** The SSM SDK, loaded only by runs that declare ec2-ssm. */
const ssmSdk = () => __webpack_require__.e(/* import() */ 736).then(__webpack_require__.t.bind(__webpack_require__, 4736, 19));



/**
 * Teleport's EC2 discovery installer (lib/cloud/aws/ssm_documents.go), byte for byte: the
 * install path is random so an attacker on the instance cannot guess and pre-create it.
 */
function discoveryDocumentContent(proxyUrl, installId = (0,external_node_crypto_.randomUUID)()) {
    const installPath = `/tmp/installTeleport-${installId}.sh`;
    return `
schemaVersion: '2.2'
description: aws:runShellScript
parameters:
  token:
    type: String
    description: "(Required) The Teleport invite token to use when joining the cluster."
  scriptName:
    type: String
    description: "(Required) The Teleport installer script to use when joining the cluster."
mainSteps:
- action: aws:downloadContent
  name: downloadContent
  inputs:
    sourceType: "HTTP"
    destinationPath: "${installPath}"
    sourceInfo:
      url: "${proxyUrl}/webapi/scripts/installer/{{ scriptName }}"
- action: aws:runShellScript
  name: runShellScript
  inputs:
    timeoutSeconds: '300'
    runCommand:
      - /bin/sh ${installPath} "{{ token }}"
`;
}
const INSTALL_PATH = /\/tmp\/installTeleport-[A-Za-z0-9-]+\.sh/g;
function ssm_document_sortedKeys(value) {
    if (Array.isArray(value))
        return value.map(ssm_document_sortedKeys);
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value)
            .sort()
            .map((key) => [key, ssm_document_sortedKeys(value[key])]));
    }
    return value;
}
/**
 * The document as data (YAML or JSON, key order ignored, step order kept) with its install
 * path masked, but only where every step uses the same path: a document that downloads to
 * one path and runs another is broken, and must compare as different.
 */
function maskedContent(content) {
    let text;
    try {
        text = JSON.stringify(ssm_document_sortedKeys((0,dist/* parse */.qg)(content)));
    }
    catch {
        return content;
    }
    const paths = new Set(text.match(INSTALL_PATH) ?? []);
    return paths.size === 1 ? text.replace(INSTALL_PATH, '/tmp/installTeleport-<random>.sh') : text;
}
function sameDocumentContent(a, b) {
    return maskedContent(a) === maskedContent(b);
}
/** DescribeDocument (type, tags) and GetDocument (content of the default version), concurrently. */
async function observeDocument(aws, region, name, arn) {
    const [ssm, sdk] = await Promise.all([aws.ssmClient(region), ssmSdk()]);
    try {
        const [described, got] = await Promise.all([
            aws.send(ssm, new sdk.DescribeDocumentCommand({ Name: name })),
            aws.send(ssm, new sdk.GetDocumentCommand({ Name: name })),
        ]);
        return {
            region,
            name,
            arn,
            type: described.Document?.DocumentType ?? got.DocumentType ?? '',
            content: got.Content ?? '',
            tags: tagsFromList(described.Document?.Tags),
        };
    }
    catch (error) {
        // SSM answers InvalidDocument for a name it does not know.
        if (isAwsError(error, 'InvalidDocument'))
            return undefined;
        throw error;
    }
}
/** Refuses a document another cluster or integration owns, one of another type, or an untagged one unless adopting. */
function checkDocumentOwnership(document, policy) {
    const where = `SSM document ${document.name} in ${document.region}`;
    for (const key of [CLUSTER_TAG, INTEGRATION_TAG]) {
        const value = document.tags[key];
        if (value !== undefined && value !== policy.ownershipTags[key]) {
            throw new errors/* RefusalError */.XQ('ssm-document', `${where} is tagged ${key}=${value}: it belongs to another Teleport ${key === CLUSTER_TAG ? 'cluster' : 'integration'}. ` +
                'Give this integration its own document (ec2-ssm: { document: <another name> }); this action never modifies a document another integration owns.', document.arn);
        }
    }
    if (document.tags[INTEGRATION_TAG] === undefined && !policy.adoptExisting) {
        throw new errors/* RefusalError */.XQ('ssm-document', `${where} already exists but is not managed by this integration. Add the tags ${tagList(missingTags(document.tags, policy.ownershipTags))} ` +
            'to it, or set adopt-existing-document: true to let this action repair and tag it.', document.arn);
    }
    if (document.type !== 'Command') {
        throw new errors/* RefusalError */.XQ('ssm-document', `${where} is of type ${document.type || 'unknown'}, not Command: EC2 discovery cannot run it and SSM cannot change a document's type. ` +
            'Choose another name with ec2-ssm: { document: <name> }.', document.arn);
    }
}
function planDocument(observed, desired, policy) {
    const base = { resource: 'ssm-document', target: desired.arn, region: desired.region, name: desired.name };
    if (!observed) {
        return [
            {
                ...base,
                action: 'create-document',
                reason: `document ${desired.name} is missing in ${desired.region}`,
                after: { content: desired.content, tags: desired.tags },
            },
        ];
    }
    checkDocumentOwnership(observed, policy);
    const changes = [];
    if (!sameDocumentContent(observed.content, desired.content)) {
        changes.push({
            ...base,
            action: 'update-document',
            reason: `the default version's content in ${desired.region} differs from Teleport's installer for this cluster`,
            before: observed.content,
            after: desired.content,
        });
    }
    const missing = missingTags(observed.tags, desired.tags);
    if (Object.keys(missing).length > 0) {
        changes.push({
            ...base,
            action: 'tag-document',
            reason: `tags missing or different in ${desired.region}: ${Object.keys(missing).join(', ')}`,
            before: observed.tags,
            after: missing,
        });
    }
    return changes;
}
function isDocumentChange(change) {
    return change.action === 'create-document' || change.action === 'update-document' || change.action === 'tag-document';
}
/**
 * Applies one document change. A create that finds the document made meanwhile re-observes
 * it and returns the repairs it still needs (after the ownership check).
 */
async function applyDocumentChange(aws, change, desired, policy) {
    const [ssm, sdk] = await Promise.all([aws.ssmClient(change.region), ssmSdk()]);
    switch (change.action) {
        case 'create-document':
            try {
                await aws.send(ssm, new sdk.CreateDocumentCommand({
                    Name: change.name,
                    Content: change.after.content,
                    DocumentType: 'Command',
                    DocumentFormat: 'YAML',
                    Tags: tagsToList(change.after.tags),
                }));
            }
            catch (error) {
                if (!isAwsError(error, 'DocumentAlreadyExists'))
                    throw error;
                const existing = await observeDocument(aws, change.region, change.name, change.target);
                return { superseded: planDocument(existing, desired, policy) };
            }
            return undefined;
        case 'update-document': {
            // A new version with Teleport's content, then made the default: EC2 discovery runs the default.
            const updated = await aws.send(ssm, new sdk.UpdateDocumentCommand({ Name: change.name, Content: change.after, DocumentVersion: '$LATEST', DocumentFormat: 'YAML' }));
            const version = updated.DocumentDescription?.DocumentVersion;
            if (!version)
                throw new Error(`ssm:UpdateDocument returned no version for ${change.name} in ${change.region}`);
            await aws.send(ssm, new sdk.UpdateDocumentDefaultVersionCommand({ Name: change.name, DocumentVersion: version }));
            return undefined;
        }
        case 'tag-document':
            await aws.send(ssm, new sdk.AddTagsToResourceCommand({ ResourceType: 'Document', ResourceId: change.name, Tags: tagsToList(change.after) }));
            return undefined;
    }
}
/** Destroy reads only the document's tags (DescribeDocument); undefined when it is gone. */
async function describeDocumentTags(aws, region, name) {
    try {
        const described = await aws.send(await aws.ssmClient(region), new (await ssmSdk()).DescribeDocumentCommand({ Name: name }));
        return tagsFromList(described.Document?.Tags);
    }
    catch (error) {
        if (isAwsError(error, 'InvalidDocument'))
            return undefined;
        throw error;
    }
}
/** Destroy: a document is deleted only when it carries this integration's tags. */
function planDocumentDeletion(document, tags, integration, cluster) {
    if (!tags)
        return [];
    const notOurs = notOwnedBecause(tags, integration, cluster);
    if (notOurs) {
        throw new errors/* RefusalError */.XQ('ssm-document', `SSM document ${document.name} in ${document.region} is not this integration's: ${notOurs}. Nothing was deleted.`, document.arn);
    }
    return [
        {
            action: 'delete-document',
            resource: 'ssm-document',
            target: document.arn,
            region: document.region,
            name: document.name,
            reason: `tagged for ${integration}`,
        },
    ];
}
async function deleteDocument(aws, change) {
    try {
        await aws.send(await aws.ssmClient(change.region), new (await ssmSdk()).DeleteDocumentCommand({ Name: change.name }));
    }
    catch (error) {
        if (!isAwsError(error, 'InvalidDocument'))
            throw error; // already gone: done
    }
}

;// CONCATENATED MODULE: ./src/resources/aws/role-policies.ts
/**
 * The role's inline policies for declared features: written with iam:PutRolePolicy only when
 * missing or semantically different. Inline policies that are not declared are never deleted
 * or rewritten, and managed policies are never touched.
 */




async function readRolePolicy(aws, roleName, policyName) {
    try {
        const output = await aws.send(aws.iam, new dist_cjs/* GetRolePolicyCommand */.WHQ({ RoleName: roleName, PolicyName: policyName }));
        return parsePolicyDocument(output.PolicyDocument ?? '{"Statement":[]}');
    }
    catch (error) {
        if (isAwsError(error, 'NoSuchEntity'))
            return undefined;
        throw error;
    }
}
async function listPolicyNames(aws, roleName) {
    try {
        return await allIamPages((Marker) => aws.send(aws.iam, new dist_cjs/* ListRolePoliciesCommand */.Y7N({ RoleName: roleName, MaxItems: aws.iamPageSize, Marker })), (page) => page.PolicyNames ?? []);
    }
    catch (error) {
        if (isAwsError(error, 'NoSuchEntity'))
            return [];
        throw error;
    }
}
/** Reads the declared policies concurrently (and, to find undeclared ones, every name). */
async function observeRolePolicies(aws, roleName, policyNames, listAll) {
    const [documents, allNames] = await Promise.all([
        Promise.all(policyNames.map(async (name) => [name, await readRolePolicy(aws, roleName, name)])),
        listAll ? listPolicyNames(aws, roleName) : undefined,
    ]);
    return { documents: new Map(documents), allNames };
}
function planRolePolicies(state, wanted, roleArn) {
    const changes = [];
    for (const { feature, name, document, note } of wanted) {
        const before = state?.documents.get(name);
        const owner = feature === 'discovery' ? 'discovery' : `feature ${feature}`;
        const why = note ? ` (${note})` : '';
        const target = `${roleArn} (inline policy ${name})`;
        if (!before) {
            changes.push({
                action: 'create-role-policy',
                resource: 'role-policy',
                target,
                feature,
                policyName: name,
                reason: `${owner}: inline policy ${name} is missing${why}`,
                after: document,
            });
        }
        else if (!samePolicy(before, document)) {
            changes.push({
                action: 'update-role-policy',
                resource: 'role-policy',
                target,
                feature,
                policyName: name,
                reason: `${owner}: inline policy ${name} differs from ${feature === 'discovery' ? 'what the matchers need' : "Teleport's"}${why}`,
                before,
                after: document,
            });
        }
    }
    return changes;
}
function isRolePolicyChange(change) {
    return change.action === 'create-role-policy' || change.action === 'update-role-policy';
}
/** PutRolePolicy is an upsert; a role created moments ago may still answer NoSuchEntity. */
async function applyRolePolicyChange(aws, change, roleName) {
    const command = new dist_cjs/* PutRolePolicyCommand */.pMt({ RoleName: roleName, PolicyName: change.policyName, PolicyDocument: JSON.stringify(change.after) });
    await aws.afterCreate(`writing inline policy ${change.policyName}`, () => aws.send(aws.iam, command));
}
/** Inline policies under one of Teleport's feature policy names that no declared feature writes. */
function undeclaredTeleportPolicies(allNames, declared) {
    const declaredNames = new Set(declared.map((p) => p.name));
    const declaredFeatures = new Set(declared.map((p) => p.feature));
    return allNames
        .filter((name) => Object.hasOwn(TELEPORT_POLICY_NAMES, name) && !declaredNames.has(name))
        .map((name) => ({ name, feature: TELEPORT_POLICY_NAMES[name], olderName: declaredFeatures.has(TELEPORT_POLICY_NAMES[name]) }));
}

// EXTERNAL MODULE: ./src/config/inputs.ts + 1 modules
var inputs = __webpack_require__(615);
;// CONCATENATED MODULE: ./src/resources/aws/trust-policy.ts
/** The role's trust policy: Teleport's statement, merged into what is there without losing anything. */



const AUDIENCE = 'discover.teleport';
const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';
/** The statement Teleport puts in the role's trust policy (teleport.md, "Trust policy statement"). */
function teleportTrustStatement(providerArn, issuerHost) {
    return {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: WEB_IDENTITY_ACTION,
        Condition: { StringEquals: { [`${issuerHost}:aud`]: AUDIENCE } },
    };
}
function trustPolicyDocument(statements) {
    return { Version: '2012-10-17', Statement: statements };
}
function valuesOf(value) {
    if (value === undefined || value === null)
        return [];
    return Array.isArray(value) ? value : [value];
}
/**
 * True when `statement` already grants what `wanted` grants, to the same principal and
 * under the same conditions: it allows at least the wanted actions for at least the wanted
 * federated principal, with equal conditions. `Sid` does not matter.
 */
function statementCovers(statement, wanted) {
    if (statement.Effect !== wanted.Effect)
        return false;
    if ('NotAction' in statement || 'NotPrincipal' in statement)
        return false;
    const action = (a) => (typeof a === 'string' ? a : JSON.stringify(a)).toLowerCase();
    const actions = valuesOf(statement.Action).map(action);
    if (!valuesOf(wanted.Action).every((a) => actions.includes(action(a))))
        return false;
    const principal = statement.Principal;
    const wantedPrincipal = wanted.Principal;
    if (principal === null || typeof principal !== 'object' || Array.isArray(principal))
        return false;
    for (const [kind, wantedValues] of Object.entries(wantedPrincipal)) {
        const have = valuesOf(principal[kind]);
        if (!valuesOf(wantedValues).every((v) => have.some((h) => h === v)))
            return false;
    }
    return sameJson(statement.Condition, wanted.Condition);
}
/**
 * Adds `wanted` to `existing` unless an equivalent statement is there. Everything else in
 * the document (`Id`, `Version`, every statement and every field) is kept as it was.
 */
function mergeTrustStatement(existing, wanted) {
    const statements = statementsOf(existing);
    if (statements.some((statement) => statementCovers(statement, wanted))) {
        return { merged: undefined, before: existing };
    }
    return { merged: { ...existing, Statement: [...statements, wanted] }, before: existing };
}
/** A trust policy's length as IAM counts it against "Role trust policy length": characters, whitespace not counted. */
function trustPolicyLength(document) {
    return JSON.stringify(document).replace(/\s/g, '').length;
}
/**
 * A merged trust policy must fit the account's quota: IAM would reject the write. Refused before it,
 * in plan and again in apply, on the policy as it is then.
 */
function checkTrustPolicyFits(merged, quota, roleName, roleArn, 
/** The row it stands on, and the other way out: the integration role's by default. */
where = { resource: 'trust-policy', otherwise: 'give each cluster or integration a role of its own (role-name)' }) {
    const length = trustPolicyLength(merged);
    if (length <= quota)
        return;
    throw new errors/* RefusalError */.XQ(where.resource, `The trust policy of ${roleName} with Teleport's statement added would be ${length.toLocaleString('en-US')} characters (whitespace not ` +
        `counted), over this account's "Role trust policy length" quota of ${quota.toLocaleString('en-US')}: IAM would reject it, so nothing ` +
        `was written. Raise the quota in Service Quotas (IAM, "Role trust policy length", up to ${inputs/* TRUST_POLICY_MAX_QUOTA */.MG.toLocaleString('en-US')}) ` +
        `and set trust-policy-quota to it, or ${where.otherwise}.`, roleArn, 'too long');
}
/** Check mode: a trust policy above 90 % of the quota is one merge away from a write IAM rejects. */
function trustPolicyNearQuota(trustPolicy, quota, roleName) {
    const length = trustPolicyLength(trustPolicy);
    if (length <= 0.9 * quota)
        return undefined;
    return (`The trust policy of ${roleName} is ${length.toLocaleString('en-US')} characters (whitespace not counted), ` +
        `${Math.round((100 * length) / quota)} % of the "Role trust policy length" quota (trust-policy-quota: ${quota.toLocaleString('en-US')}): ` +
        `one more cluster's or integration's statement may not fit. Raise the quota (up to ${inputs/* TRUST_POLICY_MAX_QUOTA */.MG.toLocaleString('en-US')}) ` +
        'and set trust-policy-quota, or give each cluster a role of its own.');
}

;// CONCATENATED MODULE: ./src/resources/aws/role.ts
/** The IAM role Teleport assumes, its trust policy, description and tags. */







async function observeRole(aws, name) {
    try {
        return await readRole(aws, name);
    }
    catch (error) {
        if (isAwsError(error, 'NoSuchEntity'))
            return undefined;
        throw error;
    }
}
async function readRole(aws, name) {
    const { Role: role } = await aws.send(aws.iam, new dist_cjs/* GetRoleCommand */.kbp({ RoleName: name }));
    if (!role)
        throw new Error(`iam:GetRole returned no role for ${name}`);
    return {
        arn: role.Arn ?? '',
        name: role.RoleName ?? name,
        description: role.Description ?? '',
        trustPolicy: parsePolicyDocument(role.AssumeRolePolicyDocument ?? '{"Statement":[]}'),
        tags: tagsFromList(role.Tags),
    };
}
/**
 * A role tagged for another cluster or integration is never touched. A role without this
 * integration's teleport.dev/integration tag is touched only when adopting it was asked for.
 */
function checkRoleOwnership(role, desired, policy) {
    for (const key of [CLUSTER_TAG, INTEGRATION_TAG]) {
        const value = role.tags[key];
        if (value !== undefined && value !== desired.ownershipTags[key]) {
            throw new errors/* RefusalError */.XQ('iam-role', `IAM role "${role.name}" is tagged ${key}=${value}: it belongs to another Teleport ${key === CLUSTER_TAG ? 'cluster' : 'integration'}. ` +
                'Choose another role-name; this action never modifies a role another integration owns.');
        }
    }
    // The integration tag is what marks the role as ours: origin is the same for every
    // integration, and a removed cluster or origin tag is drift to repair, not a stranger's role.
    const missing = missingTags(role.tags, desired.ownershipTags);
    if (role.tags[INTEGRATION_TAG] === undefined && !policy.adoptExisting) {
        throw new errors/* RefusalError */.XQ('iam-role', `IAM role "${role.name}" already exists but is not managed by this integration. ` +
            `Add the following tags to allow it to be managed: ${tagList(missing)}; or set adopt-existing-role: true ` +
            '(its trust policy is then merged, never replaced, and the tags are added).');
    }
}
function planRole(role, desired, policy) {
    if (!role) {
        return [
            {
                action: 'create-role',
                resource: 'iam-role',
                target: desired.roleArn,
                reason: `role ${desired.roleName} does not exist`,
                after: { trustPolicy: trustPolicyDocument([desired.trustStatement]), description: desired.roleDescription, tags: desired.tags },
            },
        ];
    }
    checkRoleOwnership(role, desired, policy);
    const changes = [];
    const { merged } = mergeTrustStatement(role.trustPolicy, desired.trustStatement);
    if (merged)
        checkTrustPolicyFits(merged, policy.trustPolicyQuota, role.name, role.arn);
    if (merged) {
        changes.push({
            action: 'update-trust-policy',
            resource: 'trust-policy',
            target: role.arn,
            reason: `no statement lets ${desired.providerArn} assume the role with audience ${desired.clientId}; it is added and every other statement kept`,
            before: role.trustPolicy,
            after: merged,
        });
    }
    if (role.description !== desired.roleDescription) {
        changes.push({
            action: 'update-role-description',
            resource: 'iam-role',
            target: role.arn,
            reason: 'the description differs from role-description',
            before: role.description,
            after: desired.roleDescription,
        });
    }
    const missing = missingTags(role.tags, desired.tags);
    if (Object.keys(missing).length > 0) {
        changes.push({
            action: 'tag-role',
            resource: 'tags',
            target: role.arn,
            reason: `tags missing or different on the role: ${Object.keys(missing).join(', ')}`,
            before: role.tags,
            after: missing,
        });
    }
    return changes;
}
function isRoleChange(change) {
    return ['create-role', 'update-role-description', 'update-trust-policy', 'tag-role'].includes(change.action);
}
// Right after the provider is created IAM may not know it yet as a principal.
const isPrincipalNotVisibleYet = (error) => isAwsError(error, 'MalformedPolicyDocument') && /principal/i.test(error.message);
/**
 * Applies one role change. A create that finds the role already there re-observes it and
 * returns what it still needs (after the ownership check).
 */
async function applyRoleChange(aws, change, desired, policy) {
    const name = desired.roleName;
    switch (change.action) {
        case 'create-role':
            try {
                await aws.afterCreate('creating the role', () => aws.send(aws.iam, new dist_cjs/* CreateRoleCommand */.IS({
                    RoleName: name,
                    AssumeRolePolicyDocument: JSON.stringify(change.after.trustPolicy),
                    Description: change.after.description,
                    Tags: tagsToList(change.after.tags),
                })), isPrincipalNotVisibleYet);
            }
            catch (error) {
                if (!isAwsError(error, 'EntityAlreadyExists'))
                    throw error;
                const existing = await aws.afterCreate('reading the role another run created', () => readRole(aws, name));
                return { superseded: planRole(existing, desired, policy) };
            }
            // Wait until IAM shows it before Teleport is pointed at it.
            await aws.afterCreate('reading the role just created', () => readRole(aws, name));
            return undefined;
        case 'update-role-description':
            await aws.send(aws.iam, new dist_cjs/* UpdateRoleCommand */.TR7({ RoleName: name, Description: change.after }));
            return undefined;
        case 'update-trust-policy': {
            // Merge again into the document as it is now, so a statement added since planning survives.
            const current = await readRole(aws, name);
            const { merged } = mergeTrustStatement(current.trustPolicy, desired.trustStatement);
            // Someone may have lengthened it since planning: still never a write IAM would reject.
            if (merged)
                checkTrustPolicyFits(merged, policy.trustPolicyQuota, name, current.arn);
            if (merged) {
                await aws.send(aws.iam, new dist_cjs/* UpdateAssumeRolePolicyCommand */.tuH({ RoleName: name, PolicyDocument: JSON.stringify(merged) }));
            }
            return undefined;
        }
        case 'tag-role':
            await aws.send(aws.iam, new dist_cjs/* TagRoleCommand */.Wcv({ RoleName: name, Tags: tagsToList(change.after) }));
            return undefined;
    }
}
/** The managed policies attached to the role (never written by this action: listed by destroy and import). */
function listManagedPolicyArns(aws, roleName) {
    return allIamPages((Marker) => aws.send(aws.iam, new dist_cjs/* ListAttachedRolePoliciesCommand */.wfM({ RoleName: roleName, MaxItems: aws.iamPageSize, Marker })), (page) => (page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean));
}
/** Destroy: the role's inline policies, managed policies and instance profiles, read concurrently; none when the role is gone. */
async function observeRoleAttachments(aws, roleName) {
    try {
        const [inlinePolicies, managedPolicyArns, instanceProfiles] = await Promise.all([
            listPolicyNames(aws, roleName),
            listManagedPolicyArns(aws, roleName),
            allIamPages((Marker) => aws.send(aws.iam, new dist_cjs/* ListInstanceProfilesForRoleCommand */.oxC({ RoleName: roleName, MaxItems: aws.iamPageSize, Marker })), (page) => (page.InstanceProfiles ?? []).map((p) => p.InstanceProfileName ?? '').filter(Boolean)),
        ]);
        return { inlinePolicies, managedPolicyArns, instanceProfiles };
    }
    catch (error) {
        if (isAwsError(error, 'NoSuchEntity'))
            return { inlinePolicies: [], managedPolicyArns: [], instanceProfiles: [] };
        throw error;
    }
}
/**
 * Destroy: only a role tagged for this integration is deleted, after its inline policies
 * (declared or not: each is listed), managed policy attachments and instance profiles.
 */
function planRoleDeletion(role, attachments, integration, cluster, declaredPolicies) {
    if (!role)
        return [];
    const notOurs = notOwnedBecause(role.tags, integration, cluster);
    if (notOurs)
        throw new errors/* RefusalError */.XQ('iam-role', `IAM role "${role.name}" is not this integration's: ${notOurs}. Nothing was deleted.`);
    const roleName = role.name;
    return [
        ...[...attachments.inlinePolicies].sort().map((policyName) => {
            const declared = declaredPolicies.includes(policyName);
            return {
                action: 'delete-role-policy',
                resource: 'role-policy',
                target: `${role.arn} (inline policy ${policyName})`,
                roleName,
                policyName,
                declared,
                reason: declared ? 'a declared feature policy, deleted with the role' : 'not declared (added out of band), deleted with the role',
            };
        }),
        ...attachments.managedPolicyArns.map((policyArn) => ({
            action: 'detach-role-policy',
            resource: 'iam-role',
            target: `${role.arn} (managed policy ${policyArn})`,
            roleName,
            policyArn,
            reason: 'IAM deletes no role with managed policies attached; the policy itself is kept',
        })),
        ...attachments.instanceProfiles.map((instanceProfileName) => ({
            action: 'remove-role-from-instance-profile',
            resource: 'iam-role',
            target: `${role.arn} (instance profile ${instanceProfileName})`,
            roleName,
            instanceProfileName,
            reason: 'IAM deletes no role still in an instance profile; the profile itself is kept',
        })),
        { action: 'delete-role', resource: 'iam-role', target: role.arn, roleName, reason: `tagged for ${integration}` },
    ];
}
/** Each deletion is done when what it removes is gone already (a re-run after a kill). */
async function applyRoleDeletion(aws, change) {
    const command = change.action === 'delete-role-policy'
        ? new dist_cjs/* DeleteRolePolicyCommand */.Tt({ RoleName: change.roleName, PolicyName: change.policyName })
        : change.action === 'detach-role-policy'
            ? new dist_cjs/* DetachRolePolicyCommand */.BA7({ RoleName: change.roleName, PolicyArn: change.policyArn })
            : change.action === 'remove-role-from-instance-profile'
                ? new dist_cjs/* RemoveRoleFromInstanceProfileCommand */.ScF({ RoleName: change.roleName, InstanceProfileName: change.instanceProfileName })
                : new dist_cjs/* DeleteRoleCommand */.$kI({ RoleName: change.roleName });
    try {
        await aws.send(aws.iam, command);
    }
    catch (error) {
        if (!isAwsError(error, 'NoSuchEntity'))
            throw error;
    }
}

;// CONCATENATED MODULE: ./src/resources/aws/owned-role.ts
/**
 * A role this action owns beside the integration role (the organization's member role in the
 * management account, deploy-service's task role): its own only when tagged for the integration,
 * anything else of that name refused, never adopted. Its trust policy is merged (a statement
 * someone added stays), its one inline policy compared as data, its tags added; destroy deletes
 * it, inline policy first, only when it is ours.
 */







async function observeOwnedRole(aws, name, policyName) {
    const role = await observeRole(aws, name);
    if (!role)
        return undefined;
    try {
        const output = await aws.send(aws.iam, new dist_cjs/* GetRolePolicyCommand */.WHQ({ RoleName: name, PolicyName: policyName }));
        return { role, policy: parsePolicyDocument(output.PolicyDocument ?? '') };
    }
    catch (error) {
        if (isAwsError(error, 'NoSuchEntity'))
            return { role, policy: undefined };
        throw error;
    }
}
function planOwnedRole(kind, live, wanted, target, integration, words) {
    if (!live)
        return [{ action: `create-${kind}`, resource: kind, target, reason: words.createReason, after: wanted }];
    if (live.role.tags[INTEGRATION_TAG] !== integration) {
        throw new errors/* RefusalError */.XQ(kind, `Role ${wanted.name} exists ${words.where} without tag ${INTEGRATION_TAG}=${integration} (${tagList(live.role.tags)}): it is someone else's, and is never changed. ` +
            `${words.otherName}, or tag that role for this integration once you have checked it may be replaced.`, target);
    }
    const trust = mergeTrustStatement(live.role.trustPolicy, wanted.trustPolicy.Statement[0]);
    const tags = missingTags(live.role.tags, wanted.tags);
    const policyDiffers = !live.policy || !samePolicy(live.policy, wanted.policy);
    const parts = [
        ...(trust.merged ? [`its trust policy lacks ${trustedBy(wanted)}`] : []),
        ...(policyDiffers ? [`inline policy ${wanted.policyName} ${live.policy ? 'differs' : 'is missing'}`] : []),
        ...(Object.keys(tags).length > 0 ? [`tags missing: ${tagList(tags)}`] : []),
    ];
    if (parts.length === 0)
        return [];
    return [
        {
            action: `update-${kind}`,
            resource: kind,
            target,
            reason: parts.join('; '),
            roleName: wanted.name,
            trustPolicy: trust.merged,
            policy: policyDiffers ? { name: wanted.policyName, document: wanted.policy } : undefined,
            tags: Object.keys(tags).length > 0 ? tags : undefined,
        },
    ];
}
/** Who the role's trust statement lets in, in words: a service (the task role), else the integration role (the member role). */
function trustedBy(role) {
    const principal = role.trustPolicy.Statement[0]?.Principal;
    return principal?.Service ?? 'the integration role';
}
const isOwnedRoleChange = (kind) => (change) => change.action === `create-${kind}` || change.action === `update-${kind}`;
const isOwnedRoleDeletion = (kind) => (change) => change.action === `delete-${kind}`;
async function applyOwnedRoleChange(aws, change) {
    if ('after' in change) {
        const role = change.after;
        await aws.send(aws.iam, new dist_cjs/* CreateRoleCommand */.IS({
            RoleName: role.name,
            Description: role.description,
            AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy),
            Tags: tagsToList(role.tags),
        }));
        const put = new dist_cjs/* PutRolePolicyCommand */.pMt({ RoleName: role.name, PolicyName: role.policyName, PolicyDocument: JSON.stringify(role.policy) });
        await aws.afterCreate(`writing ${role.policyName} on ${role.name}`, () => aws.send(aws.iam, put));
        return;
    }
    if (change.trustPolicy) {
        await aws.send(aws.iam, new dist_cjs/* UpdateAssumeRolePolicyCommand */.tuH({ RoleName: change.roleName, PolicyDocument: JSON.stringify(change.trustPolicy) }));
    }
    if (change.policy) {
        await aws.send(aws.iam, new dist_cjs/* PutRolePolicyCommand */.pMt({ RoleName: change.roleName, PolicyName: change.policy.name, PolicyDocument: JSON.stringify(change.policy.document) }));
    }
    if (change.tags)
        await aws.send(aws.iam, new dist_cjs/* TagRoleCommand */.Wcv({ RoleName: change.roleName, Tags: tagsToList(change.tags) }));
}
/** Destroy: only a role tagged for this integration; its inline policy first, as IAM requires. */
function planOwnedRoleDeletion(kind, live, policyName, target, integration) {
    if (!live || live.role.tags[INTEGRATION_TAG] !== integration)
        return [];
    return [
        {
            action: `delete-${kind}`,
            resource: kind,
            target,
            roleName: live.role.name,
            policyName: live.policy ? policyName : undefined,
            reason: `tagged for ${integration}`,
        },
    ];
}
async function deleteOwnedRole(aws, change) {
    if (change.policyName)
        await aws.send(aws.iam, new dist_cjs/* DeleteRolePolicyCommand */.Tt({ RoleName: change.roleName, PolicyName: change.policyName }));
    await aws.send(aws.iam, new dist_cjs/* DeleteRoleCommand */.$kI({ RoleName: change.roleName }));
}

;// CONCATENATED MODULE: ./src/resources/aws/task-role.ts


/** Teleport's taskRoleDescription. */
const TASK_ROLE_DESCRIPTION = 'Used by Teleport Database Service deployed in Amazon ECS.';
/** StatementForECSTaskRoleTrustRelationships, then StatementForRDSDBConnect, StatementForRDSMetadata, StatementForWritingLogs. */
function desiredTaskRole({ taskRole }, tags) {
    return {
        name: taskRole,
        description: TASK_ROLE_DESCRIPTION,
        trustPolicy: trustPolicyDocument([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } }]),
        // Teleport names the inline policy after the role.
        policyName: taskRole,
        policy: {
            Version: '2012-10-17',
            Statement: [
                { Effect: 'Allow', Action: 'rds-db:connect', Resource: '*' },
                { Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'], Resource: '*' },
                { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogGroup'], Resource: '*' },
            ],
        },
        tags,
    };
}
const taskRoleArn = (partition, account, name) => `arn:${partition}:iam::${account}:role/${name}`;
const target = (arn) => `${arn} (deploy-service's task role)`;
const observeTaskRole = (aws, name) => observeOwnedRole(aws, name, name);
function planTaskRole(live, wanted, arn, integration) {
    return planOwnedRole('task-role', live, wanted, target(arn), integration, {
        where: 'in this account',
        createReason: 'deploy-service is declared: the Database Service Teleport deploys to ECS runs as this role',
        otherName: 'Choose another task-role under deploy-service',
    });
}
function planTaskRoleDeletion(live, integration) {
    return live ? planOwnedRoleDeletion('task-role', live, live.role.name, target(live.role.arn), integration) : [];
}

;// CONCATENATED MODULE: ./src/resources/aws/trust-grant.ts
/**
 * A statement this action adds to a role that is not its own (a console role, a Roles Anywhere
 * profile's role), and what it records on the role so that destroy takes back exactly that: a
 * marker tag listing the integrations whose statement apply added, and, when apply also added a
 * tag the role needs, a second marker saying so. Every other statement and tag is the user's.
 */



const sidPart = (integration) => integration.replace(/[^A-Za-z0-9]/g, '');
const markedBy = (tags, marker) => (tags[marker] ?? '').split(' ').filter(Boolean);
/** The trust policy with the statement (one of its Sid replaced), or undefined when something already grants it. */
function grantedTrust(trustPolicy, wanted) {
    const statements = statementsOf(trustPolicy);
    if (statements.some((s) => statementCovers(s, wanted)))
        return undefined;
    return { ...trustPolicy, Statement: [...statements.filter((s) => s.Sid !== wanted.Sid), wanted] };
}
/** The tags apply adds: the needed tag and its marker, and this integration on the statement's marker when it adds the statement. */
function grantTags(live, grant, addsStatement, integration) {
    const tags = {};
    if (grant.tag && live[grant.tag.key] !== grant.tag.value) {
        tags[grant.tag.key] = grant.tag.value;
        tags[grant.tag.addedMarker] = 'true';
    }
    const marked = markedBy(live, grant.marker);
    if (addsStatement && !marked.includes(integration))
        tags[grant.marker] = [...marked, integration].join(' ');
    return Object.keys(tags).length > 0 ? tags : undefined;
}
async function writeGrant(aws, roleName, trustPolicy, tags, retry) {
    if (trustPolicy) {
        const update = new dist_cjs/* UpdateAssumeRolePolicyCommand */.tuH({ RoleName: roleName, PolicyDocument: JSON.stringify(trustPolicy) });
        await (retry ? aws.afterCreate(`updating ${roleName}'s trust policy`, () => aws.send(aws.iam, update), retry) : aws.send(aws.iam, update));
    }
    if (tags)
        await aws.send(aws.iam, new dist_cjs/* TagRoleCommand */.Wcv({ RoleName: roleName, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
}
/** Destroy: only what apply recorded adding; undefined when it added nothing here. */
function releaseOf(live, grant, integration, statementWords) {
    const marked = markedBy(live.tags, grant.marker);
    if (!marked.includes(integration))
        return undefined;
    const statements = statementsOf(live.trustPolicy);
    const remaining = statements.filter((s) => s.Sid !== grant.statement.Sid);
    const onlyOurs = remaining.length === 0;
    const others = marked.filter((name) => name !== integration);
    const tagGoes = others.length === 0 && grant.tag !== undefined && live.tags[grant.tag.addedMarker] !== undefined;
    const removesStatement = !onlyOurs && remaining.length !== statements.length;
    return {
        trustPolicy: removesStatement ? { ...live.trustPolicy, Statement: remaining } : undefined,
        untag: others.length > 0 ? [] : [grant.marker, ...(tagGoes ? [grant.tag.addedMarker, grant.tag.key] : [])],
        tags: others.length > 0 ? { [grant.marker]: others.join(' ') } : undefined,
        onlyOurs,
        others,
        removed: [...(removesStatement ? [statementWords] : []), ...(tagGoes ? [`the tag ${grant.tag.key}=${grant.tag.value}`] : [])],
    };
}
async function writeRelease(aws, roleName, release) {
    await writeGrant(aws, roleName, release.trustPolicy, release.tags);
    if (release.untag.length > 0)
        await aws.send(aws.iam, new dist_cjs/* UntagRoleCommand */.Hmm({ RoleName: roleName, TagKeys: release.untag }));
}

;// CONCATENATED MODULE: ./src/resources/aws/console-role.ts
/**
 * aws-app-access's console roles: roles of the account that users assume through the integration
 * (AWS console and CLI). Teleport's AWSAppAccess policy lets the integration role assume a role
 * tagged teleport.dev/integration=true, but the role must also trust the integration role
 * (shared/reference/roles-anywhere.md, "AWS console roles"; the web UI does not say so:
 * gravitational/teleport#60343). These roles are the user's: never created nor deleted here. Apply
 * adds the tag and one statement, every other statement and tag kept; two marker tags record
 * what it added, so destroy takes back exactly that and no more.
 */







/** A statement that does not fit stands on this kind's row, with this way out. */
const QUOTA_WAY_OUT = { resource: 'console-role', otherwise: 'take a statement out of its trust policy, or list another role' };
/** The value AWSAppAccess's condition asks for (iam:ResourceTag/teleport.dev/integration). */
const CONSOLE_TAG_VALUE = 'true';
/** The integrations whose statement apply added to this role's trust, separated by spaces. */
const CONSOLE_ACCESS_MARKER = 'teleport-aws-oidc-integration-action/console-access';
/** Present when apply added the teleport.dev/integration tag (it was not there before). */
const TAG_ADDED_MARKER = 'teleport-aws-oidc-integration-action/tagged-for-console';
/** The statement's Sid names the integration, so a role several integrations use keeps one statement each. */
function consoleStatementSid(integration) {
    return `TeleportConsoleAccess${sidPart(integration)}`;
}
/** What a console role's trust needs: the integration role may assume it. */
function consoleTrustStatement(integrationRoleArn, integration) {
    return { Sid: consoleStatementSid(integration), Effect: 'Allow', Principal: { AWS: integrationRoleArn }, Action: 'sts:AssumeRole' };
}
function desiredConsoleRoles(refs, partition, account) {
    return refs.map((ref) => ({ name: ref.name, declaredArn: ref.arn, arn: ref.arn ?? `arn:${partition}:iam::${account}:role/${ref.name}` }));
}
const observeConsoleRole = (aws, name) => observeRole(aws, name);
const isConsoleRoleChange = (change) => change.action === 'update-console-role';
/** Whether a trust policy lets the integration role assume the role (any statement that grants it, Sid aside). */
function trustsIntegrationRole(trustPolicy, integrationRoleArn, integration) {
    return statementsOf(trustPolicy).some((s) => statementCovers(s, consoleTrustStatement(integrationRoleArn, integration)));
}
/** What apply adds to a console role, and records adding. */
function consoleGrant(integrationRoleArn, integration) {
    return {
        statement: consoleTrustStatement(integrationRoleArn, integration),
        marker: CONSOLE_ACCESS_MARKER,
        tag: { key: INTEGRATION_TAG, value: CONSOLE_TAG_VALUE, addedMarker: TAG_ADDED_MARKER },
    };
}
/** Refusals first: a role that is missing, elsewhere, or another integration's own is never written. */
function checkConsoleRole(live, wanted) {
    if (!live) {
        throw new errors/* RefusalError */.XQ('console-role', `IAM role "${wanted.name}" (aws-app-access roles) does not exist: a console role is never created here, it is the role users get in the console. ` +
            'Create it with the permissions they need, or remove it from roles. Nothing was written to it.', wanted.arn);
    }
    if (wanted.declaredArn !== undefined && wanted.declaredArn !== live.arn) {
        throw new errors/* RefusalError */.XQ('console-role', `aws-app-access roles names ${wanted.declaredArn}, but the role "${live.name}" is ${live.arn} (another path): name it by that ARN, or by its name alone.`, wanted.arn);
    }
    const tagged = live.tags[INTEGRATION_TAG];
    if (tagged !== undefined && tagged !== CONSOLE_TAG_VALUE) {
        throw new errors/* RefusalError */.XQ('console-role', `IAM role "${live.name}" is tagged ${INTEGRATION_TAG}=${tagged}: it is what integration ${tagged} owns, not a console role. ` +
            `Tagging it ${INTEGRATION_TAG}=${CONSOLE_TAG_VALUE} would take it from that integration; choose another role.`, live.arn);
    }
}
function planConsoleRole(live, wanted, policy) {
    checkConsoleRole(live, wanted);
    const grant = consoleGrant(policy.integrationRoleArn, policy.integration);
    const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
    if (trustPolicy)
        checkTrustPolicyFits(trustPolicy, policy.trustPolicyQuota, live.name, live.arn, QUOTA_WAY_OUT);
    const tags = grantTags(live.tags, grant, trustPolicy !== undefined, policy.integration);
    if (!trustPolicy && !tags)
        return [];
    const missing = [
        ...(trustPolicy ? [`does not trust the integration role ${policy.integrationRoleArn} (Teleport's sts:AssumeRole would be denied)`] : []),
        ...(live.tags[INTEGRATION_TAG] !== CONSOLE_TAG_VALUE
            ? [`is not tagged ${INTEGRATION_TAG}=${CONSOLE_TAG_VALUE} (AWSAppAccess lets the integration assume only roles with that tag)`]
            : []),
    ];
    return [
        {
            action: 'update-console-role',
            resource: 'console-role',
            target: live.arn,
            reason: missing.length > 0
                ? `console role ${live.name} ${missing.join(' and ')}: ${trustPolicy ? 'a statement is added, every other kept' : 'the tag is added'}`
                : `console role ${live.name}: the record of what this action added is brought up to date`,
            roleName: live.name,
            trustPolicy,
            tags,
        },
    ];
}
/** Writes one console role's trust and tags, merged again into the role as it is now. */
async function applyConsoleRoleChange(aws, change, policy) {
    const live = await observeConsoleRole(aws, change.roleName);
    // Deleted since planning: said as the refusal plan gives.
    checkConsoleRole(live, { name: change.roleName, declaredArn: undefined, arn: change.target });
    const grant = consoleGrant(policy.integrationRoleArn, policy.integration);
    const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
    if (trustPolicy)
        checkTrustPolicyFits(trustPolicy, policy.trustPolicyQuota, live.name, live.arn, QUOTA_WAY_OUT);
    const tags = grantTags(live.tags, grant, trustPolicy !== undefined || change.trustPolicy !== undefined, policy.integration);
    // The integration role this same apply may have just made: IAM may not know it as a principal yet.
    await writeGrant(aws, live.name, trustPolicy, tags, isPrincipalNotVisibleYet);
}
/**
 * Destroy: only what apply added. The statement goes when the marker says this integration added
 * it; the tag goes when apply added it and no other integration's statement is left. A trust policy
 * of this statement alone is kept (IAM refuses an empty one), and said.
 */
function planConsoleRoleRelease(live, integration, notes) {
    if (!live)
        return [];
    // Only the statement's Sid and the markers matter here: the integration role's ARN is not needed.
    const release = releaseOf(live, consoleGrant('', integration), integration, 'its statement trusting the integration role');
    if (!release)
        return [];
    if (release.onlyOurs) {
        notes.push(`Console role ${live.name}'s trust policy holds only this integration's statement: it is kept (IAM refuses an empty trust policy), and trusts a role that no longer exists once destroy completes.`);
    }
    const { removed, others } = release;
    return [
        {
            action: 'release-console-role',
            resource: 'console-role',
            target: live.arn,
            reason: `console role ${live.name} (kept): ${removed.length > 0 ? `${removed.join(' and ')} removed, as apply added them` : 'the record of this integration removed'}${others.length > 0 ? `; integration ${others.join(', ')} still uses it` : ''}`,
            roleName: live.name,
            trustPolicy: release.trustPolicy,
            untag: release.untag,
            tags: release.tags,
        },
    ];
}
async function releaseConsoleRole(aws, change, integration) {
    const live = await observeConsoleRole(aws, change.roleName);
    if (!live)
        return;
    // Re-planned on the role as it is now: a statement added since planning survives.
    const [again] = planConsoleRoleRelease(live, integration, []);
    if (again)
        await writeRelease(aws, live.name, again);
}
/**
 * Check: every role of the account tagged teleport.dev/integration=true, with its trust policy. One
 * paginated GetAccountAuthorizationDetails (roles only) returns both; ListRoles has no tags, and
 * the Tagging API lists no IAM role.
 */
async function listTaggedConsoleRoles(aws) {
    const found = [];
    let marker;
    do {
        const page = await aws.send(aws.iam, new dist_cjs/* GetAccountAuthorizationDetailsCommand */.Qn1({ Filter: ['Role'], MaxItems: aws.iamPageSize, Marker: marker }));
        for (const role of page.RoleDetailList ?? []) {
            if (tagsFromList(role.Tags)[INTEGRATION_TAG] !== CONSOLE_TAG_VALUE || !role.RoleName)
                continue;
            found.push({ name: role.RoleName, arn: role.Arn ?? '', trustPolicy: parsePolicyDocument(role.AssumeRolePolicyDocument ?? '{"Statement":[]}') });
        }
        marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return found;
}

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/common.ts

/** types.OriginIntegrationAWSRolesAnywhere, as awsra's trustanchor_config_test.go writes the ownership tags. */
const ORIGIN_ROLES_ANYWHERE = 'integration_awsrolesanywhere';
function rolesAnywhereTags(clusterName, integration) {
    return { [CLUSTER_TAG]: clusterName, [ORIGIN_TAG]: ORIGIN_ROLES_ANYWHERE, [INTEGRATION_TAG]: integration };
}
const toRaTags = (tags) => Object.entries(tags).map(([key, value]) => ({ key, value }));
const fromRaTags = (tags) => Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
async function readRaTags(aws, arn) {
    const { tags } = await aws.rolesAnywhere('ListTagsForResource', {
        method: 'GET',
        path: '/ListTagsForResource',
        query: { resourceArn: arn },
    });
    return fromRaTags(tags);
}
/** Every item of a Roles Anywhere list (nextToken), page after page. */
async function allRaPages(aws, action, path, key) {
    const items = [];
    let nextToken;
    do {
        const page = await aws.rolesAnywhere(action, { method: 'GET', path, query: { nextToken, pageSize: '100' } });
        items.push(...(page[key] ?? []));
        nextToken = typeof page.nextToken === 'string' && page.nextToken !== '' ? page.nextToken : undefined;
    } while (nextToken);
    return items;
}
/** A name another integration or nobody has tagged: never touched (Teleport's own rule: "is not owned by this integration"). */
function notOwned(tags, integration) {
    const owner = tags[INTEGRATION_TAG];
    if (owner === undefined)
        return `it has no ${INTEGRATION_TAG} tag`;
    if (owner !== integration)
        return `it is tagged ${INTEGRATION_TAG}=${owner}`;
    return undefined;
}
/**
 * The ARNs AWS gave what this run created, by kind and name: what plan showed as pending is then
 * known without listing again (at one request per family a second, a list is a second).
 */
const created = new WeakMap();
function rememberCreated(aws, kind, name, arn) {
    if (!created.has(aws))
        created.set(aws, new Map());
    created.get(aws).set(`${kind}/${name}`, arn);
}
const createdArn = (aws, kind, name) => created.get(aws)?.get(`${kind}/${name}`);
/** A delete; what is already gone counts as deleted (a destroy run again after a kill). */
async function deleteRa(aws, action, path) {
    await aws.rolesAnywhere(action, { method: 'DELETE', path }).catch((error) => {
        if (error.name !== 'ResourceNotFoundException')
            throw error;
    });
}

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/sync-role.ts


const SYNC_POLICY_NAME = 'TeleportRolesAnywhereProfileSync';
const DESCRIPTION = 'Used by Teleport to provide access to AWS resources.';
function desiredSyncRole(name, trustAnchorArn, tags) {
    return {
        name,
        description: DESCRIPTION,
        trustPolicy: trustPolicyDocument([
            {
                Effect: 'Allow',
                Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
                Principal: { Service: 'rolesanywhere.amazonaws.com' },
                Condition: { ArnEquals: { 'aws:SourceArn': trustAnchorArn } },
            },
        ]),
        policyName: SYNC_POLICY_NAME,
        policy: {
            Version: '2012-10-17',
            Statement: [
                {
                    Sid: 'RolesAnywhereProfileSync',
                    Effect: 'Allow',
                    Action: ['rolesanywhere:ListProfiles', 'rolesanywhere:ListTagsForResource', 'rolesanywhere:ImportCrl', 'iam:GetRole'],
                    Resource: '*',
                },
            ],
        },
        tags,
    };
}
const observeSyncRole = (aws, name) => observeOwnedRole(aws, name, SYNC_POLICY_NAME);
function planSyncRole(live, wanted, arn, integration) {
    return planOwnedRole('sync-role', live, wanted, arn, integration, {
        where: 'in this account',
        createReason: "Teleport's profile sync runs as it, from the integration's trust anchor only",
        otherName: 'Choose another sync-role under roles-anywhere',
    });
}
function planSyncRoleDeletion(live, integration) {
    return live ? planOwnedRoleDeletion('sync-role', live, SYNC_POLICY_NAME, live.role.arn, integration) : [];
}

;// CONCATENATED MODULE: ./src/resources/aws/trusting-roles.ts
/** Other roles of the account whose trust policy lets the provider's tokens in. */




function federatedPrincipals(principal) {
    if (principal === null || typeof principal !== 'object' || Array.isArray(principal))
        return [];
    const federated = principal.Federated;
    return (Array.isArray(federated) ? federated : [federated]).filter((p) => typeof p === 'string');
}
/** Whether any Allow statement names the provider as a Federated principal. */
function trustsProvider(document, providerArn) {
    try {
        return statementsOf(parsePolicyDocument(document)).some((statement) => statement.Effect === 'Allow' && federatedPrincipals(statement.Principal).includes(providerArn));
    }
    catch {
        return false;
    }
}
const unshared = (_key, read) => read();
/**
 * One paginated pass over ListRoles (it returns each trust policy but not tags), then
 * GetRole only for the few roles that trust the provider, to tell sharing from drift. With
 * `share`, a run over many integrations lists the account's roles once and reads each
 * trusting role's tags once.
 */
async function findTrustingRoles(aws, providerArn, ownRoleName, ownership, share = unshared) {
    const roles = await share('iam:ListRoles', () => allIamPages((Marker) => aws.send(aws.iam, new dist_cjs/* ListRolesCommand */.J9Z({ MaxItems: aws.iamPageSize, Marker })), (page) => page.Roles ?? []));
    // Every trust policy parsed once per provider, however many integrations share it.
    const trusting = await share(`iam:trusting:${providerArn}`, () => Promise.resolve(roles
        .filter((role) => role.RoleName && trustsProvider(role.AssumeRolePolicyDocument ?? '', providerArn))
        .map((role) => ({ name: role.RoleName, arn: role.Arn ?? '' }))));
    const candidates = trusting.filter((role) => role.name.toLowerCase() !== ownRoleName.toLowerCase());
    return Promise.all(candidates.map(async ({ name, arn }) => {
        const tags = await share(`iam:role-tags:${name}`, async () => {
            const { Role: role } = await aws.send(aws.iam, new dist_cjs/* GetRoleCommand */.kbp({ RoleName: name }));
            return tagsFromList(role?.Tags);
        });
        const other = tags[INTEGRATION_TAG];
        const sibling = tags[CLUSTER_TAG] === ownership[CLUSTER_TAG] && tags[ORIGIN_TAG] === ORIGIN_VALUE && other !== undefined && other !== ownership[INTEGRATION_TAG];
        return { name, arn, tags, sharedWith: sibling ? other : undefined };
    }));
}

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/trust-anchor.ts




/** Each PEM certificate of a bundle, its base64 body on one line: two bundles compare by their certificates, not their line breaks. */
function pemCertificates(bundle) {
    return [...bundle.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => `-----BEGIN CERTIFICATE-----\n${m[1].replace(/\s+/g, '')}\n-----END CERTIFICATE-----`);
}
const bundleOf = (certificates) => certificates.map((c) => `${c}\n`).join('');
function stateOf(detail, tags) {
    return {
        id: detail.trustAnchorId,
        arn: detail.trustAnchorArn,
        name: detail.name,
        enabled: detail.enabled === true,
        sourceType: detail.source?.sourceType ?? '',
        certificates: pemCertificates(detail.source?.sourceData?.x509CertificateData ?? ''),
        tags,
    };
}
/**
 * The trust anchors of that name (names are not unique in Roles Anywhere: planning refuses more
 * than one). With `share`, a run of many entries lists the region's anchors once.
 */
async function observeTrustAnchors(aws, name, share = unshared) {
    const all = await share('rolesanywhere:trust-anchors', () => allRaPages(aws, 'ListTrustAnchors', '/trustanchors', 'trustAnchors'));
    return Promise.all(all.filter((a) => a.name === name).map(async (a) => stateOf(a, await readRaTags(aws, a.trustAnchorArn))));
}
/** The ARN of the trust anchor of that name (no tags read): what a pending ARN becomes. */
async function trustAnchorArnByName(aws, name) {
    const named = (await allRaPages(aws, 'ListTrustAnchors', '/trustanchors', 'trustAnchors')).filter((a) => a.name === name);
    return named.length === 1 ? named[0].trustAnchorArn : undefined;
}
/** The one trust anchor of that name; more than one is refused, naming them. */
function onlyTrustAnchor(named, name) {
    if (named.length > 1) {
        throw new errors/* RefusalError */.XQ('trust-anchor', `${named.length} Roles Anywhere trust anchors are named ${name} (${named.map((a) => a.arn).join(', ')}): which one is the integration's cannot be told. Rename or delete the others.`);
    }
    return named[0];
}
const trust_anchor_short = (pem) => `${pem.split('\n')[1]?.slice(0, 16) ?? '?'}…`;
function planTrustAnchor(live, wanted, integration) {
    if (!live) {
        return [
            {
                action: 'create-trust-anchor',
                resource: 'trust-anchor',
                target: wanted.name,
                reason: `trusts the cluster's awsra CA (${wanted.certificates.length} certificate${wanted.certificates.length === 1 ? '' : 's'}), enabled`,
                after: wanted,
            },
        ];
    }
    const why = notOwned(live.tags, integration);
    if (why) {
        throw new errors/* RefusalError */.XQ('trust-anchor', `Roles Anywhere trust anchor ${live.name} (${live.arn}) is not owned by this integration: ${why} (${tagList(live.tags)}). It is never changed. ` +
            'Choose another trust-anchor under roles-anywhere, or tag it for this integration once checked.', live.arn);
    }
    const fields = [];
    const missing = wanted.certificates.filter((c) => !live.certificates.includes(c));
    const stale = live.certificates.filter((c) => !wanted.certificates.includes(c));
    const sourceDiffers = live.sourceType !== 'CERTIFICATE_BUNDLE' || missing.length > 0 || stale.length > 0;
    if (sourceDiffers) {
        fields.push({
            field: 'source.x509CertificateData',
            live: live.sourceType === 'CERTIFICATE_BUNDLE' ? `${live.certificates.length} certificate(s): ${live.certificates.map(trust_anchor_short).join(', ')}` : live.sourceType,
            declared: `the cluster's awsra CA: ${wanted.certificates.map(trust_anchor_short).join(', ')}`,
        });
    }
    if (!live.enabled)
        fields.push({ field: 'enabled', live: 'false', declared: 'true' });
    const tags = missingTags(live.tags, wanted.tags);
    if (fields.length === 0 && Object.keys(tags).length === 0)
        return [];
    const reasons = [
        ...(missing.length > 0
            ? [
                `it lacks ${missing.length} of the cluster's current awsra CA certificates (the CA was rotated, or the bundle edited): every AWS session through it fails until the bundle holds them. ` +
                    'Apply writes the bundle (by hand: tctl auth export --type awsra, then UpdateTrustAnchor)',
            ]
            : []),
        ...(missing.length === 0 && stale.length > 0 ? [`it still trusts ${stale.length} certificate(s) the CA no longer has`] : []),
        ...(live.sourceType !== 'CERTIFICATE_BUNDLE' ? [`its source is ${live.sourceType}, not the CA's certificate bundle`] : []),
        ...(!live.enabled ? ['it is disabled: Roles Anywhere refuses every session through it'] : []),
        ...(Object.keys(tags).length > 0 ? [`tags missing: ${tagList(tags)}`] : []),
    ];
    return [
        {
            action: 'update-trust-anchor',
            resource: 'trust-anchor',
            target: live.arn,
            reason: reasons.join('; '),
            trustAnchorId: live.id,
            fields,
            certificates: sourceDiffers ? wanted.certificates : undefined,
            enable: !live.enabled,
            tags: Object.keys(tags).length > 0 ? tags : undefined,
        },
    ];
}
const isTrustAnchorChange = (change) => change.action === 'create-trust-anchor' || change.action === 'update-trust-anchor';
async function applyTrustAnchorChange(aws, change) {
    if (change.action === 'create-trust-anchor') {
        const { name, certificates, tags } = change.after;
        const { trustAnchor } = await aws.rolesAnywhere('CreateTrustAnchor', {
            method: 'POST',
            path: '/trustanchors',
            body: {
                name,
                source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: bundleOf(certificates) } },
                enabled: true,
                tags: toRaTags(tags),
            },
        });
        if (trustAnchor?.trustAnchorArn)
            rememberCreated(aws, 'trust-anchor', name, trustAnchor.trustAnchorArn);
        return;
    }
    const id = encodeURIComponent(change.trustAnchorId);
    if (change.certificates) {
        await aws.rolesAnywhere('UpdateTrustAnchor', {
            method: 'PATCH',
            path: `/trustanchor/${id}`,
            body: { source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: bundleOf(change.certificates) } } },
        });
    }
    if (change.enable)
        await aws.rolesAnywhere('EnableTrustAnchor', { method: 'POST', path: `/trustanchor/${id}/enable` });
    if (change.tags)
        await aws.rolesAnywhere('TagResource', { method: 'POST', path: '/TagResource', body: { resourceArn: change.target, tags: toRaTags(change.tags) } });
}
function planTrustAnchorDeletion(live, integration) {
    if (!live || notOwned(live.tags, integration))
        return [];
    return [{ action: 'delete-trust-anchor', resource: 'trust-anchor', target: live.arn, reason: `tagged for ${integration}`, trustAnchorId: live.id }];
}
const deleteTrustAnchor = (aws, trustAnchorId) => deleteRa(aws, 'DeleteTrustAnchor', `/trustanchor/${encodeURIComponent(trustAnchorId)}`);

;// CONCATENATED MODULE: ./src/resources/teleport/aws-ra-integration.ts
function awsRaIntegrationResource(name, declaration, arns) {
    return {
        kind: 'integration',
        sub_kind: 'aws-ra',
        version: 'v1',
        metadata: { name },
        spec: {
            aws_ra: {
                trust_anchor_arn: arns.trustAnchor,
                profile_sync_config: {
                    enabled: declaration.profileSync,
                    profile_arn: arns.profile,
                    role_arn: arns.syncRole,
                    profile_accepts_role_session_name: declaration.acceptRoleSessionName,
                    ...(declaration.profileFilters.length > 0 ? { profile_name_filters: declaration.profileFilters } : {}),
                },
            },
        },
    };
}
const shown = (value) => (value === undefined || (Array.isArray(value) && value.length === 0) ? '(unset)' : JSON.stringify(value));
function raIntegrationFields(live, wanted) {
    const fields = [];
    const compare = (field, a, b) => {
        if (shown(a) !== shown(b))
            fields.push({ field, live: shown(a), declared: shown(b) });
    };
    const l = live.spec?.aws_ra;
    const w = wanted.spec.aws_ra;
    compare('sub_kind', live.sub_kind, wanted.sub_kind);
    compare('spec.aws_ra.trust_anchor_arn', l?.trust_anchor_arn, w.trust_anchor_arn);
    const ls = l?.profile_sync_config ?? {};
    const ws = w.profile_sync_config ?? {};
    compare('profile_sync_config.enabled', ls.enabled ?? false, ws.enabled ?? false);
    compare('profile_sync_config.profile_arn', ls.profile_arn, ws.profile_arn);
    compare('profile_sync_config.role_arn', ls.role_arn, ws.role_arn);
    compare('profile_sync_config.profile_accepts_role_session_name', ls.profile_accepts_role_session_name ?? false, ws.profile_accepts_role_session_name ?? false);
    compare('profile_sync_config.profile_name_filters', ls.profile_name_filters ?? [], ws.profile_name_filters ?? []);
    return fields;
}
function planRaIntegration(live, wanted) {
    const name = wanted.metadata.name;
    if (!live)
        return [{ action: 'create-ra-integration', resource: 'teleport-ra-integration', target: name, reason: 'no such integration in Teleport', after: wanted }];
    const fields = raIntegrationFields(live, wanted);
    if (fields.length === 0)
        return [];
    return [
        {
            action: 'update-ra-integration',
            resource: 'teleport-ra-integration',
            target: name,
            reason: `${fields.map((f) => f.field).join(', ')} differ${fields.length === 1 ? 's' : ''} from the declared`,
            fields,
            before: live,
            after: wanted,
        },
    ];
}
const isRaIntegrationChange = (change) => change.action === 'create-ra-integration' || change.action === 'update-ra-integration';
const readRaIntegration = (tctl, name) => tctl.getOne('integration', name);
const writeRaIntegration = (tctl, resource) => tctl.create(resource);
/** Profile sync runs every 5 minutes: a last run older than 15 (three missed) or in error is unhealthy. */
const PROFILE_SYNC_STALE_MS = 15 * 60_000;
function profileSyncProblem(status, now) {
    if (!status)
        return 'Teleport reports no profile sync yet (status.aws_ra.last_profile_sync is empty): no Auth Service has synced the profiles';
    if (status.status && !/success/i.test(status.status)) {
        return `the last profile sync failed (${status.status}${status.error_message ? `: ${status.error_message}` : ''})`;
    }
    const end = Date.parse(status.end_time ?? status.start_time ?? '');
    if (Number.isNaN(end))
        return 'the last profile sync has no time';
    const age = now.getTime() - end;
    if (age > PROFILE_SYNC_STALE_MS)
        return `the last profile sync ended ${Math.round(age / 60_000)} minutes ago (it runs every 5): profile sync has stopped`;
    return undefined;
}

;// CONCATENATED MODULE: ./src/model/roles-anywhere.ts
/** Said where an ARN is not known before apply creates what it names; apply puts the real one in before writing. */
const PENDING_TRUST_ANCHOR_ARN = "(the trust anchor's ARN, once apply makes it)";
const PENDING_PROFILE_ARN = "(the sync profile's ARN, once apply makes it)";
/** The profile's tag that names its app in Teleport (lib/integrations/awsra/profile_syncer_test.go). */
const APPLICATION_NAME_TAG = 'TeleportApplicationName';

;// CONCATENATED MODULE: ./src/resources/aws/organization/member-role.ts





/** The integration role's inline policy for walking the organization and validating joins. */
const ORGANIZATION_POLICY_NAME = 'TeleportOrganizationDiscovery';
/** The member role's inline policy. */
const MEMBER_POLICY_NAME = 'TeleportEC2Discovery';
/**
 * The integration role's account enumeration (the tree, and the member role in accounts of this
 * organization only) and join validation (a joining instance's account): the Terraform module's
 * two policies, as one.
 */
function organizationPolicy(scope, partition, organizationId) {
    return {
        feature: 'discovery',
        name: ORGANIZATION_POLICY_NAME,
        note: `the Discovery Service walks organization ${organizationId} and assumes ${scope.memberRole} in its accounts; Auth checks a joining instance's account`,
        document: {
            Version: '2012-10-17',
            Statement: [
                {
                    Sid: 'AccountEnumeration',
                    Effect: 'Allow',
                    Action: ['organizations:ListAccountsForParent', 'organizations:ListChildren', 'organizations:ListRoots'],
                    Resource: '*',
                },
                {
                    Sid: 'AssumeMemberRole',
                    Effect: 'Allow',
                    Action: 'sts:AssumeRole',
                    Resource: `arn:${partition}:iam::*:role/${scope.memberRole}`,
                    Condition: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
                },
                { Sid: 'JoinValidation', Effect: 'Allow', Action: 'organizations:DescribeAccount', Resource: '*' },
            ],
        },
    };
}
/** The member role's trust statement: the integration role, from inside the organization only. */
function memberTrustStatement(integrationRoleArn, organizationId) {
    return {
        Effect: 'Allow',
        Principal: { AWS: integrationRoleArn },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
    };
}
function desiredMemberRole(discovery, scope, integration, integrationRoleArn, organizationId, tags) {
    const everyRegion = discovery.matchers.some((m) => m.organization && m.regions.includes(config_discovery/* ALL_REGIONS */.mn));
    const actions = [...DISCOVERY_ACTIONS.ec2, ...(everyRegion ? ['account:ListRegions'] : [])].sort();
    return {
        name: scope.memberRole,
        description: `Teleport discovers EC2 here through integration ${integration}, managed in Git`,
        trustPolicy: trustPolicyDocument([memberTrustStatement(integrationRoleArn, organizationId)]),
        policyName: MEMBER_POLICY_NAME,
        policy: { Version: '2012-10-17', Statement: [{ Sid: 'EC2Discovery', Effect: 'Allow', Action: actions, Resource: '*' }] },
        tags,
    };
}
/** The StackSet's template: the member role as CloudFormation declares it (checked by cfn-lint in npm run lint). */
function memberRoleTemplate(role, integration) {
    return {
        AWSTemplateFormatVersion: '2010-09-09',
        Description: `Teleport discovery member role for integration ${integration} (managed in Git; do not edit by hand)`,
        Resources: {
            MemberRole: {
                Type: 'AWS::IAM::Role',
                Properties: {
                    RoleName: role.name,
                    Description: role.description,
                    AssumeRolePolicyDocument: role.trustPolicy,
                    Policies: [{ PolicyName: role.policyName, PolicyDocument: role.policy }],
                    Tags: tagsToList(role.tags),
                },
            },
        },
    };
}
// ---- The management account's own member role (resources/aws/owned-role.ts) ---------------
const observeMemberRole = (aws, name) => observeOwnedRole(aws, name, MEMBER_POLICY_NAME);
const roleTarget = (roleArn) => `${roleArn} (member role of the management account)`;
/** Ours when it carries this integration's tag; anything else of that name is refused, never adopted. */
function planMemberRole(live, wanted, roleArn, integration) {
    return planOwnedRole('member-role', live, wanted, roleTarget(roleArn), integration, {
        where: 'in the management account',
        createReason: 'the management account is in scope and a service-managed StackSet never deploys there: its member role is written directly',
        otherName: 'Choose another member-role name in discovery',
    });
}
const isMemberRoleChange = isOwnedRoleChange('member-role');
function planMemberRoleDeletion(live, integration) {
    return live ? planOwnedRoleDeletion('member-role', live, MEMBER_POLICY_NAME, roleTarget(live.role.arn), integration) : [];
}

;// CONCATENATED MODULE: ./src/text.ts
/** Words for numbers, the same in every message and report. */
/** "a, b, c and 17 more": long lists stop at `cap` with a count of the rest. */
function capped(items, cap = 20) {
    return items.length <= cap ? items.join(', ') : `${items.slice(0, cap).join(', ')} and ${items.length - cap} more`;
}
/** "1 account", "3 accounts". */
function text_count(n, what) {
    return `${n} ${what}${n === 1 ? '' : 's'}`;
}

;// CONCATENATED MODULE: ./src/resources/aws/organization/operations.ts


const commands = () => __webpack_require__.e(/* import() */ 805).then(__webpack_require__.t.bind(__webpack_require__, 3805, 19));
/** The log says what a running operation is doing at least this often. */
const PROGRESS_EVERY_MS = 30_000;
/** ListStackSetOperationResults' largest page. */
const RESULT_PAGE = 100;
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);
function operationWait(aws, logger, budgetMinutes) {
    return { logger, budgetMs: budgetMinutes * 60_000, pollMs: aws.operationPollMs };
}
/** The budget ran out with the operation still running: left to AWS, and the next run waits for it first. */
class OperationTimeout extends Error {
    constructor(stackSet, operationId, action, budgetMs) {
        super(`StackSet ${stackSet}: operation ${operationId} (${action}) was still running after ${minutes(budgetMs)} (the stackset-timeout input). ` +
            "It is left running: it is AWS's, and stopping it would leave accounts half-done. The next run waits for it first and carries on without starting anything twice. " +
            `Follow it with: aws cloudformation describe-stack-set-operation --stack-set-name ${stackSet} --operation-id ${operationId}; ` +
            'for an organization this large, raise stackset-timeout.');
        this.name = 'OperationTimeout';
    }
}
function minutes(ms) {
    const total = Math.round(ms / 1000);
    const m = Math.floor(total / 60);
    const s = total % 60;
    return m === 0 ? `${s} s` : s === 0 ? `${m} min` : `${m} min ${s} s`;
}
/** Every result of an operation, page by page (100 a page: 10 reads at 1,000 accounts). */
async function operationResults(aws, client, base, operationId, status) {
    const { ListStackSetOperationResultsCommand } = await commands();
    return allTokenPages((NextToken) => aws.send(client, new ListStackSetOperationResultsCommand({
        ...base,
        OperationId: operationId,
        MaxResults: RESULT_PAGE,
        NextToken,
        ...(status ? { Filters: [{ Name: 'OPERATION_RESULT_STATUS', Values: status }] } : {}),
    })), (page) => page.Summaries ?? []);
}
/**
 * Waits for one operation to end, within the budget. The log gets a line at the first poll and then
 * whenever waiting one more poll would leave more than 30 s without one; each line reads the results
 * in pages, never per account.
 */
async function waitForOperation(aws, client, base, operationId, wait) {
    const { DescribeStackSetOperationCommand } = await commands();
    const started = Date.now();
    let slept = 0;
    // Real time in a run; the sleeps' sum where a test's sleep returns at once.
    const elapsed = () => Math.max(Date.now() - started, slept);
    let lastProgress;
    let grouped = false;
    try {
        for (;;) {
            const { StackSetOperation: op } = await aws.send(client, new DescribeStackSetOperationCommand({ ...base, OperationId: operationId }));
            const status = op?.Status ?? 'RUNNING';
            const action = op?.Action ?? 'operation';
            if (TERMINAL.has(status)) {
                const failed = (await operationResults(aws, client, base, operationId, 'FAILED')).map((r) => ({
                    account: r.Account ?? '',
                    reason: r.StatusReason ?? 'no reason given',
                }));
                if (grouped)
                    wait.logger.info(`StackSet ${base.StackSetName}: ${action} ${operationId} ${status} after ${minutes(elapsed())}${failed.length ? `, ${text_count(failed.length, 'account')} failed` : ''}`);
                return { id: operationId, status, failed };
            }
            if (elapsed() + wait.pollMs > wait.budgetMs)
                throw new OperationTimeout(base.StackSetName, operationId, action, wait.budgetMs);
            if (lastProgress === undefined || elapsed() - lastProgress + wait.pollMs > PROGRESS_EVERY_MS) {
                if (!grouped) {
                    wait.logger.group?.(`StackSet ${base.StackSetName}: ${action} operation ${operationId}`);
                    grouped = true;
                }
                const results = await operationResults(aws, client, base, operationId);
                const done = results.filter((r) => r.Status === 'SUCCEEDED').length;
                const failed = results.filter((r) => r.Status === 'FAILED' || r.Status === 'CANCELLED').length;
                wait.logger.info(`StackSet ${base.StackSetName}: ${action} ${operationId} ${status}: ${done} of ${text_count(results.length, 'account')} done, ${failed} failed, ${minutes(elapsed())} elapsed`);
                lastProgress = elapsed();
            }
            await aws.sleep(wait.pollMs);
            slept += wait.pollMs;
        }
    }
    finally {
        if (grouped)
            wait.logger.endGroup?.();
    }
}
/** The set's operations, newest first: one page of 100 holds the running ones and the last drift detection. */
async function listOperations(aws, client, base) {
    const { ListStackSetOperationsCommand } = await commands();
    const { Summaries = [] } = await aws.send(client, new ListStackSetOperationsCommand({ ...base, MaxResults: 100 }));
    return Summaries.map((op) => ({
        id: op.OperationId ?? '',
        action: op.Action ?? 'operation',
        status: op.Status ?? '',
        running: !TERMINAL.has(op.Status ?? ''),
        ended: op.EndTimestamp,
    }));
}
/** Waits out the operations running on the set (ours from an earlier run, or automatic deployment's): one at a time per set. */
async function waitOutRunning(aws, client, base, running, wait) {
    for (const op of running) {
        wait.logger.info(`StackSet ${base.StackSetName}: ${op.action} operation ${op.id} is running (an earlier run's, or AWS's automatic deployment): waiting for it first`);
        await waitForOperation(aws, client, base, op.id, wait);
    }
}
/**
 * Starts an operation (waiting out one already running: OperationInProgressException) and waits
 * until it ends. FAILED or STOPPED is an error naming the accounts that failed and why; SUCCEEDED
 * may still carry failed accounts (within the failure tolerance): the caller reports them.
 */
async function runOperation(aws, client, base, start, wait) {
    for (let attempt = 0;; attempt++) {
        let started;
        try {
            started = await start();
        }
        catch (error) {
            if (!isAwsError(error, 'OperationInProgress') || attempt >= 5)
                throw error;
            const running = (await listOperations(aws, client, base)).filter((op) => op.running);
            await waitOutRunning(aws, client, base, running, wait);
            if (running.length === 0)
                await aws.sleep(wait.pollMs);
            continue;
        }
        if (!started.OperationId)
            return undefined;
        const outcome = await waitForOperation(aws, client, base, started.OperationId, wait);
        if (outcome.status !== 'SUCCEEDED') {
            throw new Error(`StackSet ${base.StackSetName}: operation ${outcome.id} ${outcome.status}` +
                (outcome.failed.length > 0 ? ` (more accounts failed than the failure tolerance allows): ${failedAccountsLine(outcome.failed)}` : '') +
                '. Fix the cause and run again: only the accounts without a current member role are deployed again.');
        }
        return outcome;
    }
}
/** Accounts grouped by reason, the largest group first, each group's accounts in order. */
function accountsByReason(items) {
    const groups = new Map();
    for (const { account, reason } of items)
        groups.set(reason, [...(groups.get(reason) ?? []), account]);
    return [...groups]
        .map(([reason, accounts]) => ({ reason, accounts: [...accounts].sort() }))
        .sort((a, b) => b.accounts.length - a.accounts.length || a.reason.localeCompare(b.reason));
}
function failedAccountsLine(failed) {
    return accountsByReason(failed)
        .map((group) => `${capped(group.accounts, 10)}: ${group.reason}`)
        .join('; ');
}

;// CONCATENATED MODULE: ./src/resources/aws/organization/stack-set.ts






const stack_set_commands = () => __webpack_require__.e(/* import() */ 805).then(__webpack_require__.t.bind(__webpack_require__, 3805, 19));
/** ListStackInstances' largest page. */
const INSTANCE_PAGE = 100;
/**
 * Every account at once, and every account attempted whatever fails elsewhere: AWS rounds a
 * percentage tolerance down (10 % of 9 accounts is 0, so one SCP-denied account would cancel the
 * rest) and, with strict tolerance, runs at most tolerance + 1 accounts at a time. Accounts that
 * fail are not lost: apply reads the instances back and fails naming them, with AWS's reasons.
 */
const OPERATION_PREFERENCES = { RegionConcurrencyType: 'PARALLEL', MaxConcurrentPercentage: 100, FailureTolerancePercentage: 100 };
function stackSetName(integration) {
    // Stack set names: a letter, then letters, digits and hyphens, at most 128.
    return `teleport-discovery-member-role-${integration.replace(/[^A-Za-z0-9-]/g, '-')}`.slice(0, 128);
}
function stackSetRef(integration, identity, managementAccount) {
    return {
        name: stackSetName(integration),
        // IAM is global: one region holds the set and one instance per account, the partition's home.
        region: PARTITION_HOME_REGION[identity.partition] ?? 'us-east-1',
        callAs: identity.account === managementAccount ? 'SELF' : 'DELEGATED_ADMIN',
    };
}
function stackSetDescription(integration) {
    return `Teleport's discovery member role for integration ${integration}, rolled out by the teleport-aws-oidc-integration action from Git: do not edit by hand`;
}
async function observeStackSet(aws, wanted, options = {}) {
    const client = await aws.cloudFormationClient(wanted.region);
    const { DescribeStackSetCommand, DetectStackSetDriftCommand } = await stack_set_commands();
    const none = { stackSet: undefined, instances: [], runningOperations: [], driftDetection: undefined };
    const base = { StackSetName: wanted.name, CallAs: wanted.callAs };
    let described;
    try {
        described = await aws.send(client, new DescribeStackSetCommand(base));
    }
    catch (error) {
        if (isAwsError(error, 'StackSetNotFound'))
            return none;
        throw error;
    }
    const set = described.StackSet;
    if (!set || set.Status === 'DELETED')
        return none;
    let operations = await listOperations(aws, client, base);
    const running = operations.filter((op) => op.running);
    if (options.waitOutRunning && running.length > 0) {
        await waitOutRunning(aws, client, base, running, options.waitOutRunning);
        // Waited for to their end: apply and destroy read no more of them.
        operations = operations.map((op) => ({ ...op, running: false }));
    }
    let ranNow = false;
    // Only a set of ours is checked for drift: a set of that name that is not ours is refused by the plan.
    if (options.detectDrift && set.Tags?.some((t) => t.Key === INTEGRATION_TAG)) {
        const outcome = await runOperation(aws, client, base, () => aws.send(client, new DetectStackSetDriftCommand(base)), options.detectDrift);
        if (outcome)
            ranNow = true;
        // Read again: the detection's end, and whatever it waited out.
        operations = await listOperations(aws, client, base);
    }
    const instances = await listStackInstances(aws, client, base);
    const lastDetection = operations.find((op) => op.action === 'DETECT_DRIFT' && !op.running);
    const driftDetection = lastDetection
        ? {
            operationId: lastDetection.id,
            status: lastDetection.status,
            ended: lastDetection.ended,
            ranNow,
            details: await driftDetails(aws, client, base, lastDetection.id, instances, wanted.region, options.driftDetails ?? 0),
        }
        : undefined;
    let template;
    try {
        template = JSON.parse(set.TemplateBody ?? 'null');
    }
    catch {
        template = set.TemplateBody ?? null; // YAML, written by hand: differs from ours anyway
    }
    return {
        stackSet: {
            name: set.StackSetName ?? wanted.name,
            description: set.Description ?? '',
            template,
            tags: tagsFromList(set.Tags),
            permissionModel: set.PermissionModel ?? 'SELF_MANAGED',
            autoDeployment: {
                enabled: set.AutoDeployment?.Enabled ?? false,
                retainStacksOnAccountRemoval: set.AutoDeployment?.RetainStacksOnAccountRemoval ?? false,
            },
            status: set.Status ?? 'ACTIVE',
        },
        instances,
        runningOperations: operations.filter((op) => op.running).map((op) => ({ id: op.id, action: op.action })),
        driftDetection,
    };
}
/** Every instance of the set, in pages of 100. */
async function listStackInstances(aws, client, base) {
    const { ListStackInstancesCommand } = await stack_set_commands();
    const summaries = await allTokenPages((NextToken) => aws.send(client, new ListStackInstancesCommand({ ...base, MaxResults: INSTANCE_PAGE, NextToken })), (page) => page.Summaries ?? []);
    return summaries.map((summary) => ({
        account: summary.Account ?? '',
        region: summary.Region ?? '',
        status: summary.Status ?? 'CURRENT',
        detailedStatus: summary.StackInstanceStatus?.DetailedStatus ?? 'SUCCEEDED',
        statusReason: summary.StatusReason,
        driftStatus: summary.DriftStatus ?? 'NOT_CHECKED',
        lastDriftCheck: summary.LastDriftCheckTimestamp,
        unit: summary.OrganizationalUnitId,
    }));
}
/** After apply's writes: the instances read again (nothing else of the set changes). */
async function readStackInstances(aws, ref) {
    return listStackInstances(aws, await aws.cloudFormationClient(ref.region), { StackSetName: ref.name, CallAs: ref.callAs });
}
/** What differs in the first few drifted accounts, a line per property (one call per account read). */
async function driftDetails(aws, client, base, operationId, instances, region, limit) {
    const { ListStackInstanceResourceDriftsCommand } = await stack_set_commands();
    const details = new Map();
    const drifted = instances.filter((i) => i.driftStatus === 'DRIFTED' && i.region === region).slice(0, limit);
    for (const instance of drifted) {
        const { Summaries = [] } = await aws.send(client, new ListStackInstanceResourceDriftsCommand({
            ...base,
            StackInstanceAccount: instance.account,
            StackInstanceRegion: instance.region,
            OperationId: operationId,
            StackInstanceResourceDriftStatuses: ['MODIFIED', 'DELETED'],
        }));
        details.set(instance.account, Summaries.flatMap((drift) => drift.StackResourceDriftStatus === 'DELETED'
            ? [`${drift.PhysicalResourceId ?? drift.LogicalResourceId} deleted`]
            : (drift.PropertyDifferences ?? []).map((d) => `${drift.PhysicalResourceId ?? drift.LogicalResourceId}${d.PropertyPath} ${d.DifferenceType === 'NOT_EQUAL' ? 'changed' : d.DifferenceType === 'ADD' ? 'added' : 'removed'}`)));
    }
    return details;
}
/** Why an instance does not cover its account, in a word a reviewer reads. */
function instanceProblem(instance) {
    if (!instance)
        return 'missing';
    if (instance.status === 'INOPERABLE' || instance.detailedStatus === 'INOPERABLE')
        return 'INOPERABLE';
    // Skipped while its account was suspended (SKIPPED_SUSPENDED_ACCOUNT): an account active now (the
    // tree says) has no role there, so it is deployed again like any instance an operation did not reach.
    if (instance.detailedStatus === 'SKIPPED_SUSPENDED_ACCOUNT')
        return 'OUTDATED';
    if (instance.detailedStatus === 'FAILED' || instance.detailedStatus === 'CANCELLED')
        return 'FAILED';
    if (instance.detailedStatus === 'PENDING' || instance.detailedStatus === 'RUNNING')
        return 'PENDING';
    if (instance.status === 'OUTDATED')
        return 'OUTDATED';
    // Deployed and current, but the role was changed inside the account (the last drift detection).
    if (instance.driftStatus === 'DRIFTED')
        return 'DRIFTED';
    return undefined;
}
/** The instances in the set's region (its only one), by account. */
function instancesByAccount(instances, region) {
    return new Map(instances.filter((i) => i.region === region).map((i) => [i.account, i]));
}
/**
 * Accounts of the organization whose instance the scope does not keep. An account that left the
 * organization loses its instance by AWS itself (no stacks retained): not ours to remove or report.
 */
function instancesOutside(byAccount, keep, tree) {
    const kept = new Set(keep);
    const members = new Set(tree.accounts.map((a) => a.id));
    return [...byAccount.keys()].filter((account) => !kept.has(account) && members.has(account));
}
/** What an instances change names of its set. */
const instancesOf = (wanted) => ({ stackSet: wanted.name, region: wanted.region, callAs: wanted.callAs });
const stack_set_target = (wanted) => `stackset/${wanted.name} (${wanted.region})`;
function stackSetDiffs(live, wanted) {
    const diffs = [];
    if (!sameJson(live.template, wanted.template))
        diffs.push({ field: 'template', live: 'differs (changed by hand, or an older version)', declared: 'the member role as declared' });
    if (live.description !== wanted.description)
        diffs.push({ field: 'description', live: live.description || '(none)', declared: wanted.description });
    if (!live.autoDeployment.enabled || live.autoDeployment.retainStacksOnAccountRemoval) {
        diffs.push({
            field: 'auto-deployment',
            live: `enabled ${live.autoDeployment.enabled}, retain stacks ${live.autoDeployment.retainStacksOnAccountRemoval}`,
            declared: 'enabled true, retain stacks false (accounts that join get the role, accounts that leave lose it)',
        });
    }
    const tags = missingTags(live.tags, wanted.tags);
    if (Object.keys(tags).length > 0)
        diffs.push({ field: 'tags', live: tagList(live.tags), declared: tagList(wanted.tags) });
    return diffs;
}
function planStackSet(live, instances, wanted, plan, integration) {
    const changes = [];
    const where = stack_set_target(wanted);
    if (!live) {
        changes.push({
            action: 'create-stack-set',
            resource: 'stack-set',
            target: where,
            reason: 'no StackSet rolls the member role out: it is created service-managed, with automatic deployment to accounts that join',
            after: wanted,
        });
    }
    else {
        if (live.tags[INTEGRATION_TAG] !== integration) {
            throw new errors/* RefusalError */.XQ('stack-set', `StackSet ${wanted.name} exists without tag ${INTEGRATION_TAG}=${integration} (${tagList(live.tags)}): it is not this integration's, and is never changed. ` +
                'Delete or rename it, or set discovery organization rollout: none and roll the member role out your way.', where);
        }
        if (live.permissionModel !== 'SERVICE_MANAGED') {
            throw new errors/* RefusalError */.XQ('stack-set', `StackSet ${wanted.name} uses ${live.permissionModel} permissions; only a service-managed StackSet deploys to the organization's units and to accounts that join. Delete it and apply again.`, where, 'self-managed');
        }
        const fields = stackSetDiffs(live, wanted);
        if (fields.length > 0) {
            changes.push({
                action: 'update-stack-set',
                resource: 'stack-set',
                target: where,
                reason: `${fields.map((f) => f.field).join(', ')} ${fields.length === 1 ? 'differs' : 'differ'} from what is declared`,
                fields,
                after: { ...wanted, tags: { ...live.tags, ...wanted.tags } },
            });
        }
    }
    const byAccount = instancesByAccount(instances, wanted.region);
    const missing = plan.wanted.filter((account) => !byAccount.has(account));
    const ref = instancesOf(wanted);
    if (missing.length > 0) {
        changes.push({
            action: 'create-stack-instances',
            resource: 'stack-instances',
            target: where,
            reason: `${text_count(missing.length, 'account')} in scope without the member role`,
            ...ref,
            units: plan.units,
            excludeAccounts: plan.excludeAccounts,
            accounts: missing,
        });
    }
    const parentOf = new Map(plan.tree.accounts.map((a) => [a.id, a.parent]));
    // INOPERABLE instances need a person (delete them retaining the stack, then apply): check says so.
    const redeployable = new Set(['FAILED', 'OUTDATED']);
    const broken = plan.wanted.filter((account) => redeployable.has(instanceProblem(byAccount.get(account)) ?? ''));
    if (broken.length > 0) {
        changes.push({
            action: 'update-stack-instances',
            resource: 'stack-instances',
            target: where,
            reason: `${text_count(broken.length, 'instance')} FAILED or OUTDATED: deployed again`,
            ...ref,
            units: unitsOf(broken, parentOf),
            accounts: broken,
        });
    }
    // A member role changed inside its account: an update would not repair it (CloudFormation compares
    // the new template with the previous one, never with the live role, and StackSets have no
    // "revert drift"), so its instance is deleted and created again, which writes every property anew.
    const drifted = plan.wanted.filter((account) => instanceProblem(byAccount.get(account)) === 'DRIFTED');
    if (drifted.length > 0) {
        changes.push({
            action: 'redeploy-stack-instances',
            resource: 'stack-instances',
            target: where,
            reason: `${text_count(drifted.length, 'member role')} changed inside ${drifted.length === 1 ? 'its account' : 'their accounts'} (drift detection: DRIFTED): made again from the template`,
            ...ref,
            units: unitsOf(drifted, parentOf),
            accounts: drifted,
        });
    }
    // Suspended accounts in scope keep whatever they have.
    const outside = instancesOutside(byAccount, [...plan.wanted, ...plan.suspended], plan.tree);
    if (outside.length > 0) {
        changes.push({
            action: 'remove-stack-instances',
            resource: 'stack-instances',
            target: where,
            reason: `${text_count(outside.length, 'instance')} outside the scope (excluded, or the management account)`,
            ...ref,
            units: unitsOf(outside, parentOf),
            accounts: outside,
        });
    }
    return changes;
}
const unitsOf = (accounts, parentOf) => [...new Set(accounts.map((a) => parentOf.get(a)))].sort();
const STACK_SET_ACTIONS = new Set([
    'create-stack-set',
    'update-stack-set',
    'create-stack-instances',
    'update-stack-instances',
    'redeploy-stack-instances',
    'remove-stack-instances',
]);
/** What apply writes (destroy's deletions go through `applyStackSetChange` from destroy). */
const isStackSetChange = (change) => STACK_SET_ACTIONS.has(change.action);
/** What create and update both write: the set as declared, service-managed, deploying to accounts that join and leaving none behind. */
function declared(set) {
    return {
        Description: set.description,
        TemplateBody: JSON.stringify(set.template),
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        // The template names its role (RoleName).
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Tags: tagsToList(set.tags),
    };
}
/**
 * Writes one change and waits for its operation; an operation already running is waited out first,
 * never failed on. Returns the operation's outcome (accounts that failed within the tolerance included).
 */
async function applyStackSetChange(aws, change, wait) {
    const c = await stack_set_commands();
    const ref = change.action === 'create-stack-set' || change.action === 'update-stack-set'
        ? change.after
        : { name: change.stackSet, region: change.region, callAs: change.callAs };
    const client = await aws.cloudFormationClient(ref.region);
    const base = { StackSetName: ref.name, CallAs: ref.callAs };
    // Starts one operation and waits for it (an operation already running is waited out first).
    const operation = (command) => runOperation(aws, client, base, () => aws.send(client, command), wait);
    if (change.action === 'create-stack-set') {
        await aws.send(client, new c.CreateStackSetCommand({ ...base, ...declared(change.after) }));
        return undefined;
    }
    if (change.action === 'update-stack-set') {
        return operation(new c.UpdateStackSetCommand({ ...base, ...declared(change.after), OperationPreferences: OPERATION_PREFERENCES }));
    }
    if (change.action === 'delete-stack-set') {
        return runOperation(aws, client, base, async () => (await aws.send(client, new c.DeleteStackSetCommand(base)), {}), wait);
    }
    const instances = { ...base, Regions: [change.region], OperationPreferences: OPERATION_PREFERENCES };
    // A service-managed set names accounts only as a filter over units.
    const only = { OrganizationalUnitIds: change.units, Accounts: change.accounts, AccountFilterType: 'INTERSECTION' };
    switch (change.action) {
        case 'create-stack-instances':
            return operation(new c.CreateStackInstancesCommand({
                ...instances,
                DeploymentTargets: {
                    OrganizationalUnitIds: change.units,
                    ...(change.excludeAccounts.length > 0 ? { Accounts: change.excludeAccounts, AccountFilterType: 'DIFFERENCE' } : {}),
                },
            }));
        case 'update-stack-instances':
            return operation(new c.UpdateStackInstancesCommand({ ...instances, DeploymentTargets: only }));
        case 'redeploy-stack-instances':
            await operation(new c.DeleteStackInstancesCommand({ ...instances, DeploymentTargets: only, RetainStacks: false }));
            return operation(new c.CreateStackInstancesCommand({ ...instances, DeploymentTargets: only }));
        case 'remove-stack-instances':
        case 'delete-stack-instances':
            return operation(new c.DeleteStackInstancesCommand({
                ...instances,
                DeploymentTargets: change.accounts.length > 0 ? only : { OrganizationalUnitIds: change.units },
                RetainStacks: false,
            }));
    }
}
/** Destroy: every instance (by the organization's roots), then the set; only when it is tagged for this integration. */
function planStackSetDeletion(live, instances, wanted, roots, integration) {
    if (!live || live.tags[INTEGRATION_TAG] !== integration)
        return [];
    const ref = instancesOf(wanted);
    const where = stack_set_target(wanted);
    return [
        ...(instances.length > 0
            ? [
                {
                    action: 'delete-stack-instances',
                    resource: 'stack-instances',
                    target: where,
                    reason: `the member role in ${text_count(instances.length, 'account')}`,
                    ...ref,
                    units: roots,
                    accounts: [],
                },
            ]
            : []),
        { action: 'delete-stack-set', resource: 'stack-set', target: where, reason: `tagged for ${integration}`, ...ref },
    ];
}

;// CONCATENATED MODULE: ./src/engine/desired.ts



















/** The regions ec2-ssm keeps its document in: the listed ones, else the job's. */
function documentRegions(features, jobRegion) {
    const ec2Ssm = features.find((f) => f.key === 'ec2-ssm');
    if (!ec2Ssm || ec2Ssm.params.document === config_features/* AWS_RUN_SHELL_SCRIPT */.fd)
        return [];
    return ec2Ssm.params.regions ?? [jobRegion];
}
/** The EC2 matchers' SSM document: the one declared, else ec2-ssm's own where it keeps one, else the AWS-managed one. */
function discoveryDocument(settings) {
    // Member accounts have only the AWS-managed document.
    if ((0,config_discovery/* organizationOf */.d1)(settings.discovery))
        return config_features/* AWS_RUN_SHELL_SCRIPT */.fd;
    const ec2Ssm = settings.features.find((f) => f.key === 'ec2-ssm');
    return settings.discovery?.ssmDocument ?? (ec2Ssm ? ec2Ssm.params.document : config_features/* AWS_RUN_SHELL_SCRIPT */.fd);
}
/**
 * Every inline policy the role carries: the features' and, where they fall short, discovery's,
 * plus the organization's (its document names the organization read from AWS; its name does not).
 */
function rolePoliciesFor(settings, scope, organization) {
    const features = settings.features.map((declaration) => featurePolicy(declaration, scope));
    const discovery = settings.discovery ? discoveryPermissions(settings.discovery, features).policy : undefined;
    const orgScope = (0,config_discovery/* organizationOf */.d1)(settings.discovery);
    const walk = orgScope ? organizationPolicy(orgScope, scope.partition, organization?.id ?? '') : undefined;
    return [...features, ...(discovery ? [discovery] : []), ...(walk ? [walk] : [])];
}
/** The EC2 join token's name, when a matcher discovers EC2 (destroy looks for the default name too). */
function joinTokenName(settings) {
    const declaration = settings.discovery;
    if (declaration && !declaration.matchers.some((m) => m.types.includes('ec2')))
        return undefined;
    return declaration?.joinToken ?? defaultJoinTokenName(settings.integration);
}
function desiredDiscovery(settings, account, rolePolicies, organization) {
    const declaration = settings.discovery;
    if (!declaration)
        return undefined;
    const tokenName = joinTokenName(settings);
    const ssmDocument = tokenName ? discoveryDocument(settings) : undefined;
    const scope = (0,config_discovery/* organizationOf */.d1)(declaration);
    const tokenOrganization = scope && {
        id: organization?.id ?? '',
        include: scope.include,
        exclude: scope.exclude,
        alsoAccount: declaration.matchers.some((m) => m.types.includes('ec2') && !m.organization),
    };
    return {
        group: declaration.group,
        config: discoveryConfigResource(declaration, settings.integration, tokenName ?? '', ssmDocument ?? config_features/* AWS_RUN_SHELL_SCRIPT */.fd, organization?.id),
        token: tokenName ? joinTokenResource(tokenName, settings.integration, account, declaration.labels, tokenOrganization) : undefined,
        ssmDocument,
        permissions: discoveryPermissions(declaration, rolePolicies.filter((p) => p.feature !== 'discovery')),
    };
}
/** The organization's side: the member role, and the StackSet that rolls it out (or none). */
function desiredOrganization(settings, identity, roleArn, organization, tags) {
    const scope = (0,config_discovery/* organizationOf */.d1)(settings.discovery);
    if (!scope || !settings.discovery)
        return undefined;
    const memberRole = desiredMemberRole(settings.discovery, scope, settings.integration, roleArn, organization.id, tags);
    return {
        scope,
        identity: organization,
        integration: settings.integration,
        memberRole,
        stackSet: scope.rollout === 'stackset'
            ? {
                ...stackSetRef(settings.integration, identity, organization.managementAccount),
                description: stackSetDescription(settings.integration),
                template: memberRoleTemplate(memberRole, settings.integration),
                tags,
            }
            : undefined,
        writesManagementRole: scope.rollout === 'stackset' && identity.account === organization.managementAccount,
    };
}
const desired_roleArnOf = (identity, name) => `arn:${identity.partition}:iam::${identity.account}:role/${name}`;
function desiredRolesAnywhere(settings, identity, clusterName, reads) {
    const declaration = settings.rolesAnywhere;
    if (!declaration)
        return undefined;
    const tags = { ...rolesAnywhereTags(clusterName, settings.integration), ...settings.extraTags };
    const trustAnchorArn = reads.trustAnchorArn ?? PENDING_TRUST_ANCHOR_ARN;
    const syncRoleArn = `arn:${identity.partition}:iam::${identity.account}:role/${declaration.syncRole}`;
    return {
        integration: settings.integration,
        // Compared by certificate, whatever line breaks tctl printed.
        trustAnchor: { name: declaration.trustAnchor, certificates: pemCertificates(reads.certificates.join('\n')), tags },
        syncRole: desiredSyncRole(declaration.syncRole, trustAnchorArn, tags),
        syncRoleArn,
        // As Teleport's command makes it: the sync role alone, AWS's default session duration.
        syncProfile: { name: declaration.syncProfile, roleArns: [syncRoleArn], durationSeconds: 3600, tags },
        accessProfiles: declaration.profiles.map((profile) => ({
            name: profile.name,
            roleArns: profile.roles.map((role) => role.arn ?? desired_roleArnOf(identity, role.name)),
            durationSeconds: profile.durationSeconds,
            tags: { ...tags, ...(profile.applicationName ? { [APPLICATION_NAME_TAG]: profile.applicationName } : {}) },
        })),
        profileRoles: [...new Map(declaration.profiles.flatMap((p) => p.roles).map((role) => [role.name.toLowerCase(), role])).values()].map((role) => ({
            name: role.name,
            declaredArn: role.arn,
            arn: role.arn ?? desired_roleArnOf(identity, role.name),
        })),
        trustAnchorArn,
        resource: awsRaIntegrationResource(settings.integration, declaration, {
            trustAnchor: trustAnchorArn,
            profile: reads.profileArn ?? PENDING_PROFILE_ARN,
            syncRole: syncRoleArn,
        }),
    };
}
function desiredState(settings, identity, clusterName, jobRegion, 
/** Read from AWS when discovery declares an organization. */
organization, 
/** Read from Teleport and AWS when roles-anywhere is declared. */
rolesAnywhere = { certificates: [], trustAnchorArn: undefined, profileArn: undefined }) {
    const { partition, account } = identity;
    const providerArn = `arn:${partition}:iam::${account}:oidc-provider/${settings.issuer.host}`;
    const roleArn = `arn:${partition}:iam::${account}:role/${settings.roleName}`;
    const owned = ownershipTags(clusterName, settings.integration);
    const tags = { ...owned, ...settings.extraTags };
    const ec2Ssm = settings.features.find((f) => f.key === 'ec2-ssm');
    const documents = documentRegions(settings.features, jobRegion).map((region) => ({
        region,
        name: ec2Ssm.params.document,
        arn: `arn:${partition}:ssm:${region}:${account}:document/${ec2Ssm.params.document}`,
        content: discoveryDocumentContent(settings.issuer.url),
        tags,
    }));
    const rolePolicies = rolePoliciesFor(settings, { partition, account, region: jobRegion }, organization);
    const audience = settings.features.some((f) => f.key === 'identity-center') ? IDENTITY_CENTER_AUDIENCE : undefined;
    const deployService = settings.features.find((f) => f.key === 'deploy-service');
    return {
        account,
        partition,
        clusterName,
        issuerUrl: settings.issuer.url,
        issuerHost: settings.issuer.host,
        providerArn,
        clientId: AUDIENCE,
        roleName: settings.roleName,
        roleArn,
        roleDescription: settings.roleDescription,
        ownershipTags: owned,
        tags,
        trustStatement: teleportTrustStatement(providerArn, settings.issuer.host),
        features: settings.features,
        rolePolicies,
        taskRole: deployService && desiredTaskRole(deployService.params, tags),
        consoleRoles: desiredConsoleRoles(settings.features.find((f) => f.key === 'aws-app-access')?.params.roles ?? [], partition, account),
        documents,
        integration: settings.skipTeleport ? undefined : integrationResource(settings.integration, roleArn, audience),
        discovery: settings.skipTeleport ? undefined : desiredDiscovery(settings, account, rolePolicies, organization),
        organization: organization && desiredOrganization(settings, identity, roleArn, organization, tags),
        rolesAnywhere: desiredRolesAnywhere(settings, identity, clusterName, rolesAnywhere),
    };
}
/** A role with a path has another ARN than the one built from its name: point Teleport at the real one. */
function withRoleArn(desired, roleArn) {
    if (roleArn === desired.roleArn)
        return desired;
    const integration = desired.integration && { ...desired.integration, spec: { aws_oidc: { ...desired.integration.spec.aws_oidc, role_arn: roleArn } } };
    // The member role trusts the integration role by its real ARN.
    const org = desired.organization;
    const memberRole = org && { ...org.memberRole, trustPolicy: trustPolicyDocument([memberTrustStatement(roleArn, org.identity.id)]) };
    const organization = org &&
        memberRole && {
        ...org,
        memberRole,
        stackSet: org.stackSet && { ...org.stackSet, template: memberRoleTemplate(memberRole, org.integration) },
    };
    return { ...desired, roleArn, integration, organization };
}

;// CONCATENATED MODULE: ./src/clients/tls.ts
/** The issuer's TLS thumbprint, computed the way Teleport computes it. */




/**
 * A self-signed certificate whose key was thrown away. Used as the only trust anchor of the
 * chain-reading connection so Node cannot complete the chain from the local trust store:
 * what `getPeerCertificate(true)` then returns is exactly what the server sent.
 */
const TRUSTS_NOTHING = `-----BEGIN CERTIFICATE-----
MIIBuzCCAWGgAwIBAgIUQrqfwEo6Pq99IW8xSqaxTPag0z0wCgYIKoZIzj0EAwIw
MjEwMC4GA1UEAwwndGh1bWJwcmludC1jaGFpbi1wcm9iZSAodHJ1c3RzIG5vdGhp
bmcpMCAXDTI2MTEyNDA5MjYwMVoYDzIxMjYxMDMxMDkyNjAxWjAyMTAwLgYDVQQD
DCd0aHVtYnByaW50LWNoYWluLXByb2JlICh0cnVzdHMgbm90aGluZykwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARZPS9AWl7a9ebMNT5CMFM6YPPM7tBcCB++vVlq
5HR0sDRvx0Wl9bargN+TcYe3DrDjvBjzRlGAa2dRbBpeVWWRo1MwUTAdBgNVHQ4E
FgQUglCi7kiAM9Mfzv7reY3HD920KtkwHwYDVR0jBBgwFoAUglCi7kiAM9Mfzv7r
eY3HD920KtkwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiALAcej
Tb4QJT4f2S9bsbhWrx2nl0IsaisXsMEC9uQcrAIhAMiG25KKC2kbrB61jcf9rxd7
Ux2eNyhlDuohT0GSeX/l
-----END CERTIFICATE-----`;
function sha1Hex(der) {
    return (0,external_node_crypto_.createHash)('sha1').update(der).digest('hex');
}
/** TLS to host:port, inside a CONNECT tunnel when a proxy is configured for it (verified end to end all the same). */
async function connect(host, port, options, timeoutMs) {
    const proxy = proxyFor(new URL(`https://${host}:${port}`));
    const tunnel = proxy ? await openTunnel(proxy, host, port, timeoutMs) : undefined;
    return new Promise((resolve, reject) => {
        const socket = external_node_tls_default().connect({ host, port, servername: host, ...options, ...(tunnel ? { socket: tunnel } : {}) }, () => resolve(socket));
        socket.setTimeout(timeoutMs, () => {
            // Still connecting: TCP got no answer; connected: the TLS handshake did not finish.
            const code = socket.connecting ? 'ETIMEDOUT' : 'ERR_TLS_HANDSHAKE_TIMEOUT';
            socket.destroy(Object.assign(new Error(`no TLS handshake with ${host}:${port} within ${timeoutMs} ms`), { code }));
        });
        socket.once('error', (error) => {
            const problem = connectionProblem(error, host, port);
            reject(problem ? new Error(problem, { cause: error }) : error);
        });
    });
}
function sentChain(leaf) {
    const chain = [];
    let cert = leaf;
    while (cert?.raw && !chain.some((seen) => seen.equals(cert.raw))) {
        chain.push(cert.raw);
        // The last certificate of the chain may have no issuerCertificate property at all.
        cert = cert.issuerCertificate;
    }
    return chain;
}
/**
 * Reads the chain the issuer serves and its thumbprint. One connection verifies the server
 * with the normal trust store (so a thumbprint never comes from an impostor); a second one,
 * trusting nothing, reads the chain exactly as sent: Node would otherwise append the root
 * from the local store, whose thumbprint is not the one Teleport and AWS use.
 */
async function readServedChain(host, port = 443, timeoutMs = 10_000) {
    const verified = await connect(host, port, {}, timeoutMs);
    const verifiedLeaf = verified.getPeerCertificate(false).raw;
    verified.destroy();
    const raw = await connect(host, port, { ca: [TRUSTS_NOTHING], rejectUnauthorized: false }, timeoutMs);
    const chain = sentChain(raw.getPeerCertificate(true));
    raw.destroy();
    if (chain.length === 0 || !chain[0].equals(verifiedLeaf)) {
        throw new Error(`${host}:${port} served different certificates on two connections; not trusting either`);
    }
    return { certificates: chain, thumbprint: sha1Hex(chain[chain.length - 1]) };
}
function describeCertificate(der) {
    const cert = new X509Certificate(der);
    return `${cert.subject.replace(/\n/g, ', ')} (valid to ${cert.validTo})`;
}

// EXTERNAL MODULE: ./src/config/roles-anywhere.ts
var roles_anywhere = __webpack_require__(5721);
;// CONCATENATED MODULE: ./src/engine/plan.ts
/** Memoised reads, keyed by what they read; forgotten when a run changes what they read. */
class SharedReads {
    reads = new Map();
    read(key, read) {
        let pending = this.reads.get(key);
        if (!pending) {
            pending = read();
            this.reads.set(key, pending);
        }
        return pending;
    }
    forget(key) {
        this.reads.delete(key);
    }
}
const shareable = (deps, key, read) => (deps.shared ? deps.shared.read(key, read) : read());
const providerKey = (arn) => `provider:${arn}`;
const chainKey = (host) => `chain:${host}`;
/** The proxy's /webapi/find: the cluster's name and version. */
const clusterInfoKey = (issuerUrl) => `webapi-find:${issuerUrl}`;
const INTEGRATIONS_KEY = 'tctl:integrations';
const DISCOVERY_CONFIGS_KEY = 'tctl:discovery_configs';
/** A join token, read by its name (never listed: other tokens' names can be secrets). */
const tokenKey = (name) => `tctl:token:${name}`;

;// CONCATENATED MODULE: ./src/engine/kinds/kind.ts

/** Typed rows: each kind's `apply` takes exactly the changes its `owns` accepts (methods are bivariant, so the list holds them all). */
const kind_kindOf = (row) => row;
/** A Teleport read that fails is kept as the error, so the AWS side goes on and the run fails after. */
async function teleportRead(read) {
    try {
        return { value: await read, error: undefined };
    }
    catch (error) {
        if (error instanceof TctlError)
            return { value: undefined, error };
        throw error;
    }
}
function teleportOf(context) {
    if (!context.tctl)
        throw new Error('Teleport changes were planned with skip-teleport set');
    return context.tctl;
}

;// CONCATENATED MODULE: ./src/engine/kinds/console-roles.ts


const console_roles_declared = (settings) => settings.features.find((f) => f.key === 'aws-app-access')?.params.roles ?? [];
async function observeAll(aws, settings) {
    return new Map(await Promise.all(console_roles_declared(settings).map(async (ref) => [ref.name, await observeConsoleRole(aws, ref.name)])));
}
const CONSOLE_ROLES = kind_kindOf({
    kind: 'console role',
    resources: ['console-role'],
    observe: async ({ settings, deps }) => ({ observed: { consoleRoles: await observeAll(deps.aws, settings) } }),
    // Each role's refusal is its own; none is written while the integration role is refused (it would trust a stranger's role).
    plan: ({ observed, desired, settings, planned, refused }) => refused('iam-role')
        ? []
        : desired.consoleRoles.flatMap((role) => planned(() => planConsoleRole(observed.consoleRoles.get(role.name), role, {
            integration: settings.integration,
            integrationRoleArn: desired.roleArn,
            trustPolicyQuota: settings.trustPolicyQuota,
        }))),
    owns: isConsoleRoleChange,
    apply: async (change, { aws, settings, desired }) => void (await applyConsoleRoleChange(aws, change, {
        integration: settings.integration,
        integrationRoleArn: desired.roleArn,
        trustPolicyQuota: settings.trustPolicyQuota,
    })),
    rows: ({ desired }) => desired.consoleRoles.length > 0
        ? {
            'console-role': {
                target: desired.consoleRoles.map((r) => r.name).join(', '),
                unchanged: `each tagged teleport.dev/integration=true and trusting ${desired.roleArn}, every other statement kept`,
            },
        }
        : {},
    destruction: {
        observe: async ({ settings, deps }) => ({ consoleRoles: await observeAll(deps.aws, settings) }),
        plan: ({ observed, settings, notes }) => console_roles_declared(settings).flatMap((ref) => planConsoleRoleRelease(observed.consoleRoles.get(ref.name), settings.integration, notes)),
        deletes: (change) => change.action === 'release-console-role',
        delete: (change, { aws, settings }) => releaseConsoleRole(aws, change, settings.integration),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/discovery-config.ts
/** The Teleport `discovery_config` whose matchers use the integration. */





const DISCOVERY_CONFIG = kind_kindOf({
    kind: 'Teleport discovery_config',
    resources: ['teleport-discovery-config'],
    // One listing gives ours and, in check mode, the ones made elsewhere that use this integration (and, with discovery, the user tasks).
    observe: async ({ settings, deps }) => {
        const { tctl, logger } = deps;
        const discovery = tctl ? settings.discovery : undefined;
        if (!tctl || !(discovery || settings.mode === 'check'))
            return { observed: {} };
        const [listing, tasks] = await Promise.all([
            teleportRead(shareable(deps, DISCOVERY_CONFIGS_KEY, () => tctl.listAll('discovery_config'))),
            discovery && settings.mode === 'check'
                ? teleportRead(shareable(deps, 'tctl:user_tasks', () => tctl.listAll('user_tasks')))
                : { value: undefined, error: undefined },
        ]);
        // Without discovery declared, the listing is only a courtesy of check mode: a role that may not list them loses nothing.
        if (!discovery && listing.error)
            logger.info(`discovery_configs not read (${listing.error.message.split('.')[0]}); discovery is not declared`);
        const name = discovery && (discovery.name ?? defaultDiscoveryConfigName(settings.integration));
        return {
            observed: {
                discoveryConfigs: listing.value,
                discoveryConfig: name ? listing.value?.find((c) => c.metadata?.name === name) : undefined,
                userTasks: tasks.value,
            },
            teleportError: (discovery ? listing.error : undefined) ?? tasks.error,
        };
    },
    plan: ({ observed, desired, settings }) => {
        const discovery = desired.discovery;
        if (!discovery || observed.teleportError)
            return [];
        return planDiscoveryConfig(observed.discoveryConfig, discovery.config, {
            adoptExisting: settings.adoptExistingDiscovery,
            integration: settings.integration,
        });
    },
    owns: isDiscoveryConfigChange,
    apply: async (change, context) => void context.logger.info(await applyDiscoveryConfigChange(teleportOf(context), change)),
    rows: ({ desired }) => {
        const discovery = desired.discovery;
        if (!discovery)
            return {};
        return {
            'teleport-discovery-config': {
                target: `discovery_config/${discovery.config.metadata.name}`,
                unchanged: `group ${discovery.group}, ${text_count(discovery.config.spec.aws?.length ?? 0, 'matcher')} through this integration, every declared field as declared`,
            },
        };
    },
    destruction: {
        // Deleting an integration that a discovery_config still uses breaks that config: every one is looked at.
        observe: async ({ deps: { tctl }, mustRead }) => ({
            discoveryConfigs: tctl
                ? await mustRead(tctl.listAll('discovery_config'), 'the discovery_configs that use the integration must be checked before it goes.')
                : [],
        }),
        plan: ({ observed, settings, refuse }) => {
            // Deleting an integration another discovery_config uses would break it: each one stops the destroy.
            for (const config of foreignReferences(observed.discoveryConfigs, settings.integration)) {
                refuse(new errors/* RefusalError */.XQ('teleport-discovery-config', `discovery_config ${config.metadata.name} uses integration ${settings.integration} and is not this action's (made in the web UI, by hand or by another tool): ` +
                    'deleting the integration would break it. Remove its matchers for the integration, or delete it, then run destroy again. Nothing was deleted.', `discovery_config/${config.metadata.name}`));
            }
            return planDiscoveryConfigRemoval(observed.discoveryConfigs, settings.integration);
        },
        deletes: (change) => change.action === 'delete-discovery-config',
        delete: async (change, context) => void context.logger.info(await teleportOf(context).remove(change.name, 'discovery_config')),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/integration.ts





/**
 * Teleport refuses to delete an integration External Audit Storage or an AWS Identity Center
 * plugin still uses (lib/services/local/integrations.go): said with the fix.
 */
function integrationInUse(error, name) {
    if (!(error instanceof TctlError))
        return undefined;
    if (/referenced by External Audit Storage integration/.test(error.message)) {
        return new Error(`Teleport refuses to delete integration ${name}: External Audit Storage still uses it. ` +
            'Disable External Audit Storage in the web UI (or point it at another integration), then run destroy again: what was deleted stays deleted, the rest follows.', { cause: error });
    }
    const plugin = /referenced by AWS Identity Center integration "([^"]*)"/.exec(error.message);
    if (plugin) {
        return new Error(`Teleport refuses to delete integration ${name}: the AWS Identity Center integration ${plugin[1]} still uses it. ` +
            `Remove that Identity Center integration first (web UI, or tctl plugins), then run destroy again.`, { cause: error });
    }
    return undefined;
}
const INTEGRATION = kind_kindOf({
    kind: 'Teleport integration',
    resources: ['teleport-integration'],
    // A Teleport failure must not stop the AWS side: it is reported once AWS is reconciled.
    observe: async ({ settings, deps: { tctl, shared } }) => {
        if (!tctl)
            return { observed: {} };
        const { value, error } = await teleportRead(shared
            ? // Several integrations in one run: one listing for all of them.
                shared.read(INTEGRATIONS_KEY, () => tctl.list()).then((all) => all.find((i) => i.metadata?.name === settings.integration))
            : tctl.get(settings.integration));
        return { observed: { integration: value }, teleportError: error };
    },
    plan: ({ observed, desired }) => (desired.integration && !observed.teleportError ? planIntegration(observed.integration, desired.integration) : []),
    owns: isIntegrationChange,
    apply: async (change, context) => void context.logger.info(await applyIntegrationChange(teleportOf(context), change)),
    rows: ({ desired }, settings) => ({ 'teleport-integration': { target: settings.integration, unchanged: `exists with role_arn ${desired.roleArn}` } }),
    destruction: {
        observe: async ({ settings, deps: { tctl }, mustRead, serverVersion }) => {
            if (!tctl)
                return { integration: undefined, serverVersion: undefined, appServers: undefined };
            const [integration, version] = await Promise.all([
                mustRead(tctl.get(settings.integration), 'the Teleport integration must be checked before the role it uses goes.'),
                serverVersion,
            ]);
            // Only a cluster that deletes them with the integration (or one whose version is unknown) has its app servers read.
            const appServers = integration && deleteCascades(version)
                ? await mustRead(readAppServersOf(tctl, settings.integration), 'the app servers Teleport deletes with the integration must be known first.')
                : undefined;
            return { integration, serverVersion: version, appServers };
        },
        plan: ({ teleport, observed, settings, roleArns, notes, refuse }) => {
            if (!teleport)
                return [];
            const changes = planIntegrationRemoval(observed.integration, settings.integration, roleArns);
            if (changes.length > 0 && observed.appServers) {
                for (const refusal of planCascade(observed.appServers, settings.confirmAppServers, settings.integration, observed.serverVersion, notes))
                    refuse(refusal);
            }
            // Teleport refuses the deletion while these use the integration; nothing here can read them.
            const users = settings.features.flatMap((f) => f.key === 'external-audit-storage' ? ['External Audit Storage'] : f.key === 'identity-center' ? ['an AWS Identity Center integration'] : []);
            if (changes.length > 0 && users.length > 0) {
                notes.push(`features declares what ${users.join(' and ')} uses: Teleport refuses to delete integration ${settings.integration} while ${users.join(' or ')} still uses it. ` +
                    'Turn it off in the web UI first, or the destroy stops at the integration (a re-run then completes it).');
            }
            return changes;
        },
        deletes: (change) => change.action === 'delete-integration',
        delete: async (change, context) => {
            try {
                context.logger.info(await teleportOf(context).remove(change.name, 'integration'));
            }
            catch (error) {
                throw integrationInUse(error, change.name) ?? error;
            }
        },
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/join-token.ts




const JOIN_TOKEN = kind_kindOf({
    kind: 'Teleport join token',
    resources: ['teleport-join-token'],
    // By name only: listing tokens would read every other token of the cluster.
    observe: async ({ settings, deps }) => {
        const { tctl } = deps;
        const name = tctl && settings.discovery ? joinTokenName(settings) : undefined;
        if (!tctl || !name)
            return { observed: {} };
        const { value, error } = await teleportRead(shareable(deps, tokenKey(name), () => tctl.getOne('token', name)));
        return { observed: { joinToken: value }, teleportError: error };
    },
    plan: ({ observed, desired, settings }) => {
        const token = desired.discovery?.token;
        if (!token || observed.teleportError)
            return [];
        return planJoinToken(observed.joinToken, token, { adoptExisting: settings.adoptExistingDiscovery, integration: settings.integration });
    },
    owns: isJoinTokenChange,
    apply: async (change, context) => void context.logger.info(await applyJoinTokenChange(teleportOf(context), change)),
    rows: ({ desired }) => {
        const token = desired.discovery?.token;
        if (!token)
            return {};
        const allowed = desired.organization ? `organization ${desired.organization.identity.id}` : `account ${desired.account}`;
        return {
            'teleport-join-token': { target: `token/${token.metadata.name}`, unchanged: `join method iam, role Node, ${allowed}, labelled for this integration` },
        };
    },
    destruction: {
        observe: async ({ settings, deps: { tctl, logger }, mustRead }) => {
            const name = joinTokenName(settings);
            if (!tctl || !name)
                return { joinToken: undefined };
            if (settings.discovery)
                return { joinToken: await mustRead(tctl.getOne('token', name), 'the join token must be checked before it goes.') };
            // Discovery not declared: a token of ours left from before goes too, where the role may read tokens.
            const { value, error } = await teleportRead(tctl.getOne('token', name));
            if (error)
                logger.info(`token ${name} not read (${error.message.split('.')[0]}); discovery is not declared`);
            return { joinToken: value };
        },
        plan: ({ observed, settings }) => planJoinTokenRemoval(observed.joinToken, settings.integration),
        deletes: (change) => change.action === 'delete-join-token',
        delete: async (change, context) => void context.logger.info(await teleportOf(context).remove(change.name, 'token')),
    },
});

;// CONCATENATED MODULE: ./src/resources/aws/organization/tree.ts

/** Organizations lists at most 20 per page. */
const PAGE = 20;
/** The service principal StackSets' trusted access enables in Organizations. */
const STACKSETS_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';
/** Where to run, said once for every way of getting it wrong. */
const WHERE_TO_RUN = 'Run discovery across an organization with credentials of its management account, or of an account registered as a delegated administrator ' +
    'for both Organizations and CloudFormation StackSets (see docs/organizations.md).';
/** The organization of the credentials' account; a clear error without one. */
async function observeOrganizationIdentity(aws, scope) {
    const client = await aws.organizationsClient();
    const { DescribeOrganizationCommand } = await tree_commands();
    let output;
    try {
        output = await aws.send(client, new DescribeOrganizationCommand({}));
    }
    catch (error) {
        if (isAwsError(error, 'AWSOrganizationsNotInUse')) {
            throw new Error(`discovery declares an organization, but the credentials' account is not in an AWS Organization. ${WHERE_TO_RUN} Nothing was read or written.`, {
                cause: error,
            });
        }
        throw error;
    }
    const organization = output.Organization;
    if (!organization?.Id || !organization.MasterAccountId)
        throw new Error('organizations:DescribeOrganization returned no organization id');
    if (scope.id !== undefined && scope.id !== organization.Id) {
        throw new Error(`The AWS credentials are for organization ${organization.Id}, but discovery's organization id is ${scope.id}. ` +
            'Nothing was read or written. Use credentials of that organization, or correct the id.');
    }
    return { id: organization.Id, managementAccount: organization.MasterAccountId };
}
/** Loaded with the client: runs without an organization never load the SDK's Organizations code. */
const tree_commands = () => __webpack_require__.e(/* import() */ 503).then(__webpack_require__.t.bind(__webpack_require__, 2503, 19));
/**
 * Roots, every unit and every account, a level at a time (the parents of one level are read
 * concurrently). A denied read means the account is neither the management account nor a
 * delegated administrator: said with where to run.
 */
async function readOrganizationTree(aws) {
    const client = await aws.organizationsClient();
    const { ListRootsCommand, ListOrganizationalUnitsForParentCommand, ListAccountsForParentCommand } = await tree_commands();
    const denied = (error) => {
        if (isAwsError(error, 'AccessDenied') || isAwsError(error, 'AccessDeniedException')) {
            const cause = error instanceof Error ? error.message : String(error);
            return new Error(`Organizations refused to list the organization's accounts (${cause}). ${WHERE_TO_RUN} Nothing was written.`, { cause: error });
        }
        return error;
    };
    try {
        const roots = await allTokenPages((NextToken) => aws.send(client, new ListRootsCommand({ NextToken, MaxResults: PAGE })), (page) => page.Roots ?? []);
        const units = new Map(roots.map((r) => [r.Id, { id: r.Id, name: r.Name ?? 'Root', parent: undefined }]));
        const accounts = [];
        let level = roots.map((r) => r.Id);
        while (level.length > 0) {
            const next = [];
            await Promise.all(level.map(async (parent) => {
                const [children, members] = await Promise.all([
                    allTokenPages((NextToken) => aws.send(client, new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken, MaxResults: PAGE })), (page) => page.OrganizationalUnits ?? []),
                    allTokenPages((NextToken) => aws.send(client, new ListAccountsForParentCommand({ ParentId: parent, NextToken, MaxResults: PAGE })), (page) => page.Accounts ?? []),
                ]);
                for (const unit of children) {
                    units.set(unit.Id, { id: unit.Id, name: unit.Name ?? unit.Id, parent });
                    next.push(unit.Id);
                }
                for (const account of members) {
                    accounts.push({ id: account.Id, name: account.Name ?? '', status: account.State ?? account.Status ?? 'ACTIVE', parent });
                }
            }));
            level = next;
        }
        accounts.sort((a, b) => a.id.localeCompare(b.id));
        return { roots: roots.map((r) => r.Id), units, accounts };
    }
    catch (error) {
        throw denied(error);
    }
}
/** Whether StackSets may act in the organization (only the management account can ask; undefined elsewhere). */
async function stackSetsTrustedAccess(aws, identity, account) {
    if (account !== identity.managementAccount)
        return undefined;
    const client = await aws.organizationsClient();
    const { ListAWSServiceAccessForOrganizationCommand } = await tree_commands();
    const principals = await allTokenPages((NextToken) => aws.send(client, new ListAWSServiceAccessForOrganizationCommand({ NextToken })), (page) => page.EnabledServicePrincipals ?? []);
    return principals.some((p) => p.ServicePrincipal === STACKSETS_PRINCIPAL);
}
/** The units from an account's parent up to its root. */
function ancestors(tree, unitId) {
    const chain = [];
    for (let unit = tree.units.get(unitId); unit; unit = unit.parent ? tree.units.get(unit.parent) : undefined)
        chain.push(unit.id);
    return chain;
}
/** An account is in scope when a unit above it is included and none above it is excluded (exclude wins). */
function scopedAccounts(tree, scope, managementAccount) {
    const all = scope.include.includes('*');
    const inScope = [];
    const suspended = [];
    for (const account of tree.accounts) {
        const chain = ancestors(tree, account.parent);
        const included = all || chain.some((unit) => scope.include.includes(unit));
        if (!included || chain.some((unit) => scope.exclude.includes(unit)))
            continue;
        (account.status === 'ACTIVE' ? inScope : suspended).push(account);
    }
    const unknownUnits = [...scope.include.filter((u) => u !== '*'), ...scope.exclude].filter((unit) => !tree.units.has(unit));
    return { inScope, suspended, unknownUnits, managementInScope: inScope.some((a) => a.id === managementAccount) };
}
/** The units a stack set targets: the included ones, or every root for "*". */
function targetUnits(tree, scope) {
    return scope.include.includes('*') ? tree.roots : scope.include;
}
/** Accounts under the targeted units that the scope excludes: the StackSet's DIFFERENCE filter. */
function excludedAccounts(tree, scope) {
    const targets = targetUnits(tree, scope);
    return tree.accounts
        .filter((account) => {
        const chain = ancestors(tree, account.parent);
        return chain.some((unit) => targets.includes(unit)) && chain.some((unit) => scope.exclude.includes(unit));
    })
        .map((a) => a.id);
}

;// CONCATENATED MODULE: ./src/engine/organization.ts





/** Everything the organization's plan and check compare; `desired` needs the identity read first. */
async function observeOrganization(aws, scope, identity, integration, 
/** Destroy reads the management account's member role wherever the scope now stands. */
forDestroy = false, 
/** What the mode waits for or runs on the StackSet before reading its instances. */
reads = {}) {
    const organization = await observeOrganizationIdentity(aws, scope);
    const [tree, trustedAccess, stackSet] = await Promise.all([
        readOrganizationTree(aws),
        scope.rollout === 'stackset' ? stackSetsTrustedAccess(aws, organization, identity.account) : undefined,
        scope.rollout === 'stackset'
            ? observeStackSet(aws, stackSetRef(integration, identity, organization.managementAccount), reads)
            : { stackSet: undefined, instances: [], runningOperations: [], driftDetection: undefined },
    ]);
    const scoped = scopedAccounts(tree, scope, organization.managementAccount);
    const managementRole = scope.rollout === 'stackset' && (scoped.managementInScope || forDestroy) && identity.account === organization.managementAccount
        ? await observeMemberRole(aws, scope.memberRole)
        : undefined;
    return {
        identity: organization,
        tree,
        scoped,
        trustedAccess,
        stackSet: stackSet.stackSet,
        instances: stackSet.instances,
        runningOperations: stackSet.runningOperations,
        driftDetection: stackSet.driftDetection,
        managementRole,
    };
}
/** Drifted accounts check reads in detail (one call each): enough to see what was changed. */
const DRIFT_DETAIL_ACCOUNTS = 5;
/** How a run waits for the StackSet's operations: AWS's pace, within stackset-timeout. */
function stackSetWait(settings, aws, logger) {
    return operationWait(aws, logger, settings.stackSetTimeoutMinutes);
}
/** What a mode waits for or runs on the StackSet before reading it. */
function stackSetReads(settings, aws, logger) {
    const wait = stackSetWait(settings, aws, logger);
    if (settings.mode === 'apply' || settings.mode === 'destroy')
        return { waitOutRunning: wait };
    if (settings.mode === 'check')
        return { detectDrift: settings.detectDrift ? wait : undefined, driftDetails: DRIFT_DETAIL_ACCOUNTS };
    return {};
}
/** The accounts that should carry a stack instance: in scope, active, and not the management account (StackSets never deploy there). */
function stackSetAccounts(scoped, identity) {
    return scoped.inScope.filter((a) => a.id !== identity.managementAccount).map((a) => a.id);
}
/** The StackSet's changes: refused as a whole for a unit the organization lacks or without trusted access. */
function planStackSetSide(desired, observed) {
    const { scoped } = observed;
    const refusal = (message, why) => new errors/* RefusalError */.XQ('stack-set', message, `organization/${observed.identity.id}`, why);
    if (scoped.unknownUnits.length > 0) {
        throw refusal(`discovery's organization units name ${scoped.unknownUnits.join(', ')}, which organization ${observed.identity.id} does not have. ` +
            'Correct the ids (aws organizations list-roots, list-organizational-units-for-parent). Nothing was written.', 'unknown unit');
    }
    const stackSet = desired.stackSet;
    if (!stackSet)
        return [];
    if (observed.trustedAccess === false) {
        throw refusal(`Trusted access for CloudFormation StackSets is not enabled in organization ${observed.identity.id}: a service-managed StackSet cannot deploy the member role. ` +
            'Enable it in the CloudFormation console (StackSets, "Activate trusted access") or with aws organizations enable-aws-service-access ' +
            `--service-principal ${STACKSETS_PRINCIPAL}, then run again. ${WHERE_TO_RUN}`, 'no trusted access');
    }
    return planStackSet(observed.stackSet, observed.instances, stackSet, {
        wanted: stackSetAccounts(scoped, observed.identity),
        suspended: scoped.suspended.map((a) => a.id),
        tree: observed.tree,
        units: targetUnits(observed.tree, desired.scope),
        excludeAccounts: excludedAccounts(observed.tree, desired.scope),
    }, desired.integration);
}
/** The management account's own member role, when it is in scope and this run is the management account's. */
function planManagementRole(desired, observed, roleArn) {
    return desired.writesManagementRole && observed.scoped.managementInScope
        ? planMemberRole(observed.managementRole, desired.memberRole, roleArn, desired.integration)
        : [];
}

;// CONCATENATED MODULE: ./src/engine/kinds/member-role.ts




const roleArn = (partition, account, name) => `arn:${partition}:iam::${account}:role/${name}`;
const MEMBER_ROLE = kind_kindOf({
    kind: 'member role',
    resources: ['member-role'],
    plan: ({ observed, desired, identity }) => {
        const organization = desired.organization;
        if (!organization || !observed.organization)
            return [];
        return planManagementRole(organization, observed.organization, roleArn(identity.partition, identity.account, organization.memberRole.name));
    },
    owns: isMemberRoleChange,
    apply: async (change, { aws }) => void (await applyOwnedRoleChange(aws, change)),
    rows: ({ desired, identity, observed }) => {
        const organization = desired.organization;
        if (!organization?.writesManagementRole)
            return {};
        const inScope = observed.organization?.scoped.managementInScope ?? false;
        return {
            'member-role': {
                target: roleArn(identity.partition, identity.account, organization.memberRole.name),
                unchanged: inScope
                    ? 'exists in the management account, trusting the integration role from inside the organization'
                    : 'not needed: the management account is outside the scope',
            },
        };
    },
    destruction: {
        plan: ({ observed, settings }) => observed.organization ? planMemberRoleDeletion(observed.organization.managementRole, settings.integration) : [],
        deletes: (change) => isOwnedRoleDeletion('member-role')(change),
        delete: (change, { aws }) => deleteOwnedRole(aws, change),
    },
});

;// CONCATENATED MODULE: ./src/resources/aws/oidc-provider.ts
/** The IAM OpenID Connect identity provider for the cluster's issuer. */




const MAX_THUMBPRINTS = 5;
async function observeProvider(aws, arn) {
    try {
        return await readProvider(aws, arn);
    }
    catch (error) {
        if (isAwsError(error, 'NoSuchEntity'))
            return undefined;
        throw error;
    }
}
async function readProvider(aws, arn) {
    const output = await aws.send(aws.iam, new dist_cjs/* GetOpenIDConnectProviderCommand */.cCT({ OpenIDConnectProviderArn: arn }));
    return {
        arn,
        url: output.Url ?? '',
        clientIds: output.ClientIDList ?? [],
        thumbprints: (output.ThumbprintList ?? []).map((t) => t.toLowerCase()),
        tags: tagsFromList(output.Tags),
    };
}
/** Another integration of the same cluster created the provider: share it, leave its tags be. */
function isSharedProvider(provider, desired) {
    const owner = provider.tags[INTEGRATION_TAG];
    return owner !== undefined && owner !== desired.ownershipTags[INTEGRATION_TAG];
}
/**
 * Refuses a provider this integration may not touch: one tagged for another cluster, or
 * one with no Teleport tags at all unless adopting was asked for.
 */
function checkProviderOwnership(provider, desired, policy) {
    const cluster = provider.tags[CLUSTER_TAG];
    if (cluster !== undefined && cluster !== desired.clusterName) {
        throw new errors/* RefusalError */.XQ('oidc-provider', `OIDC provider ${provider.arn} belongs to Teleport cluster "${cluster}" (tag ${CLUSTER_TAG}), not "${desired.clusterName}". ` +
            'One provider exists per issuer URL per account, so two clusters cannot share this issuer: check cluster-url and cluster-name.');
    }
    if (cluster === undefined && !policy.adoptExisting) {
        const tags = Object.entries(desired.ownershipTags)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ');
        throw new errors/* RefusalError */.XQ('oidc-provider', `OIDC provider ${provider.arn} already exists but is not managed by Teleport (it has no ${CLUSTER_TAG} tag). ` +
            `Add the tags ${tags} to it, or set adopt-existing-provider: true to let this action repair and tag it.`);
    }
}
function planProvider(provider, desired, thumbprint, policy) {
    const target = desired.providerArn;
    if (!provider) {
        return [
            {
                action: 'create-provider',
                resource: 'oidc-provider',
                target,
                reason: `no OIDC provider exists for ${desired.issuerUrl}`,
                after: { url: desired.issuerUrl, clientIds: [desired.clientId], thumbprints: thumbprint ? [thumbprint] : [], tags: desired.tags },
            },
        ];
    }
    checkProviderOwnership(provider, desired, policy);
    const changes = [];
    if (!provider.clientIds.includes(desired.clientId)) {
        changes.push({
            action: 'add-client-id',
            resource: 'oidc-provider',
            target,
            reason: `audience ${desired.clientId} is missing, so AWS rejects every Teleport token`,
            before: provider.clientIds,
            after: desired.clientId,
        });
    }
    if (thumbprint && !provider.thumbprints.includes(thumbprint)) {
        const kept = provider.thumbprints.slice(-(MAX_THUMBPRINTS - 1));
        const dropped = provider.thumbprints.length - kept.length;
        changes.push({
            action: 'update-thumbprints',
            resource: 'oidc-provider',
            target,
            reason: `the certificate chain ${desired.issuerHost} serves now has thumbprint ${thumbprint}, which the provider does not list` +
                (dropped > 0 ? ` (the oldest ${dropped} of ${MAX_THUMBPRINTS} is dropped to make room)` : ''),
            before: provider.thumbprints,
            after: [...kept, thumbprint],
        });
    }
    if (!isSharedProvider(provider, desired)) {
        const missing = missingTags(provider.tags, desired.tags);
        if (Object.keys(missing).length > 0) {
            changes.push({
                action: 'tag-provider',
                resource: 'tags',
                target,
                reason: `tags missing or different on the provider: ${Object.keys(missing).join(', ')}`,
                before: provider.tags,
                after: missing,
            });
        }
    }
    return changes;
}
function isProviderChange(change) {
    return ['create-provider', 'add-client-id', 'update-thumbprints', 'tag-provider'].includes(change.action);
}
/**
 * Applies one provider change. A create that finds the provider already there (another run
 * made it a moment ago) re-observes it and returns the repairs it still needs.
 */
async function applyProviderChange(aws, change, desired, thumbprint, policy) {
    const arn = change.target;
    switch (change.action) {
        case 'create-provider':
            try {
                await aws.send(aws.iam, new dist_cjs/* CreateOpenIDConnectProviderCommand */.QJe({
                    Url: change.after.url,
                    ClientIDList: change.after.clientIds,
                    ThumbprintList: change.after.thumbprints.length > 0 ? change.after.thumbprints : undefined,
                    Tags: tagsToList(change.after.tags),
                }));
            }
            catch (error) {
                if (!isAwsError(error, 'EntityAlreadyExists'))
                    throw error;
                const existing = await aws.afterCreate('reading the OIDC provider another run created', () => readProvider(aws, arn));
                return { superseded: planProvider(existing, desired, thumbprint, policy) };
            }
            // Wait until IAM shows it: the role's trust policy names it as principal.
            await aws.afterCreate('reading the OIDC provider just created', () => readProvider(aws, arn));
            return undefined;
        case 'add-client-id':
            await aws.send(aws.iam, new dist_cjs/* AddClientIDToOpenIDConnectProviderCommand */.gST({ OpenIDConnectProviderArn: arn, ClientID: change.after }));
            return undefined;
        case 'update-thumbprints':
            // The call replaces the whole list, so it carries the kept ones too.
            await aws.send(aws.iam, new dist_cjs/* UpdateOpenIDConnectProviderThumbprintCommand */.wVM({ OpenIDConnectProviderArn: arn, ThumbprintList: change.after }));
            return undefined;
        case 'tag-provider':
            await aws.send(aws.iam, new dist_cjs/* TagOpenIDConnectProviderCommand */.SJm({ OpenIDConnectProviderArn: arn, Tags: tagsToList(change.after) }));
            return undefined;
    }
}
/**
 * Destroy: the provider goes last, and only when it is the cluster's and nothing uses it any
 * more. Trusted by another role, or tagged for another integration of the cluster that Teleport
 * still has (or that could not be checked), it is kept, saying who uses it; untagged or
 * another cluster's, it is refused. (A provider tagged for a sibling that is gone would
 * otherwise be left behind by the last destroy of the cluster's integrations.)
 */
function planProviderDeletion(provider, integration, cluster, trusting, 
/** Whether Teleport still has the integration the provider is tagged for, when that is another one; undefined: not known. */
taggedIntegrationExists) {
    if (!provider)
        return { changes: [], kept: undefined };
    const tags = provider.tags;
    const taggedCluster = tags[CLUSTER_TAG];
    const taggedIntegration = tags[INTEGRATION_TAG];
    if (taggedIntegration === undefined ||
        tags[ORIGIN_TAG] !== ORIGIN_VALUE ||
        (cluster !== undefined && taggedCluster !== undefined && taggedCluster !== cluster)) {
        throw new errors/* RefusalError */.XQ('oidc-provider', `OIDC provider ${provider.arn} is not this integration's (its tags: ${tagList(tags)}). Nothing was deleted.`);
    }
    if (trusting.length > 0) {
        return { changes: [], kept: `still trusted by ${trusting.map((r) => `role ${r.name}${r.sharedWith ? ` (integration ${r.sharedWith})` : ''}`).join(', ')}` };
    }
    if (taggedIntegration !== integration) {
        if (taggedIntegration !== undefined && taggedIntegrationExists !== false) {
            const known = taggedIntegrationExists ? 'which Teleport still has' : 'which could not be checked in Teleport';
            return { changes: [], kept: `shared: it is tagged for integration ${taggedIntegration} of the same cluster, ${known}` };
        }
        const reason = `tagged for integration ${taggedIntegration} of the same cluster, which Teleport no longer has, and no other role trusts it`;
        return { changes: [{ action: 'delete-provider', resource: 'oidc-provider', target: provider.arn, reason }], kept: undefined };
    }
    return {
        changes: [{ action: 'delete-provider', resource: 'oidc-provider', target: provider.arn, reason: `tagged for ${integration}, and no other role trusts it` }],
        kept: undefined,
    };
}
async function deleteProvider(aws, arn) {
    try {
        await aws.send(aws.iam, new dist_cjs/* DeleteOpenIDConnectProviderCommand */.lfW({ OpenIDConnectProviderArn: arn }));
    }
    catch (error) {
        if (!isAwsError(error, 'NoSuchEntity'))
            throw error;
    }
}

;// CONCATENATED MODULE: ./src/engine/kinds/oidc-provider.ts





const OIDC_PROVIDER = kind_kindOf({
    kind: 'OIDC provider',
    resources: ['oidc-provider'],
    // Several integrations of one cluster share it: read once per run.
    observe: async ({ settings, deps, identity }) => {
        const arn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
        return { observed: { provider: await shareable(deps, providerKey(arn), () => observeProvider(deps.aws, arn)) } };
    },
    plan: ({ observed, desired, settings }) => planProvider(observed.provider, desired, observed.chain?.thumbprint, { adoptExisting: settings.adoptExistingProvider }),
    owns: isProviderChange,
    apply: (change, { aws, desired, thumbprint, settings }) => applyProviderChange(aws, change, desired, thumbprint, { adoptExisting: settings.adoptExistingProvider }),
    rows: ({ desired, observed }) => ({
        'oidc-provider': {
            target: desired.providerArn,
            unchanged: `exists with audience ${desired.clientId}${observed.chain ? ` and thumbprint ${observed.chain.thumbprint}` : ''}`,
        },
    }),
    destruction: {
        // The provider, and the other roles that trust it (their labels need the cluster's name).
        observe: async ({ settings, deps: { aws }, identity, clusterName }) => {
            const arn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
            const [provider, trusting] = await Promise.all([
                observeProvider(aws, arn),
                clusterName.then((cluster) => findTrustingRoles(aws, arn, settings.roleName, ownershipTags(cluster ?? '', settings.integration))),
            ]);
            return { provider, trusting };
        },
        plan: (context) => {
            const { observed, settings, clusterName, taggedIntegrationExists } = context;
            const plan = planProviderDeletion(observed.provider, settings.integration, clusterName, observed.trusting, taggedIntegrationExists);
            context.providerKept = plan.kept;
            return plan.changes;
        },
        deletes: (change) => change.action === 'delete-provider',
        delete: (change, { aws }) => deleteProvider(aws, change.target),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/role.ts


const ROLE_DELETIONS = new Set(['delete-role-policy', 'detach-role-policy', 'remove-role-from-instance-profile', 'delete-role']);
const ROLE = kind_kindOf({
    kind: 'IAM role',
    resources: ['iam-role', 'trust-policy', 'tags'],
    observe: async ({ settings, deps }) => {
        const read = observeRole(deps.aws, settings.roleName);
        // A check over many entries reads the tags of every role that trusts the provider: this
        // entry's own come with its role, registered before any entry's scan can ask for them.
        const shared = deps.shared;
        if (shared) {
            const key = `iam:role-tags:${settings.roleName}`;
            // A failed read is this entry's failure; the next asker reads again.
            shared.read(key, () => read.then((role) => role?.tags ?? {})).catch(() => shared.forget(key));
        }
        return { observed: { role: await read } };
    },
    plan: ({ observed, desired, settings }) => planRole(observed.role, desired, { adoptExisting: settings.adoptExistingRole, trustPolicyQuota: settings.trustPolicyQuota }),
    owns: isRoleChange,
    apply: (change, { aws, desired, settings }) => applyRoleChange(aws, change, desired, { adoptExisting: settings.adoptExistingRole, trustPolicyQuota: settings.trustPolicyQuota }),
    rows: ({ desired }) => ({
        'iam-role': { target: desired.roleArn, unchanged: 'exists and is tagged for this integration' },
        'trust-policy': { target: desired.roleArn, unchanged: `lets ${desired.providerArn} in with audience ${desired.clientId}` },
        tags: { target: `${desired.providerArn}, ${desired.roleArn}`, unchanged: 'every tag is present on the provider and the role' },
    }),
    destruction: {
        observe: async ({ settings, deps: { aws } }) => {
            const [role, attachments] = await Promise.all([observeRole(aws, settings.roleName), observeRoleAttachments(aws, settings.roleName)]);
            return { role, attachments };
        },
        // Its inline policies, managed policy attachments and instance profiles first, as IAM requires.
        plan: ({ observed, settings, clusterName, desired }) => planRoleDeletion(observed.role, observed.attachments, settings.integration, clusterName, desired.rolePolicies.map((p) => p.name)),
        deletes: (change) => ROLE_DELETIONS.has(change.action),
        delete: (change, { aws }) => applyRoleDeletion(aws, change),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/role-policies.ts
/** The role's inline policies: one per declared feature, and discovery's (the role's own deletion removes them on destroy). */



const ROLE_POLICIES = kind_kindOf({
    kind: 'inline policy',
    resources: ['role-policy'],
    // The declared ones by name (their documents name the organization, read elsewhere; their names do not); check lists every name.
    observe: async ({ settings, deps, identity }) => {
        const names = rolePoliciesFor(settings, { partition: identity.partition, account: identity.account, region: deps.aws.region }).map((p) => p.name);
        return { observed: { rolePolicies: await observeRolePolicies(deps.aws, settings.roleName, names, settings.mode === 'check') } };
    },
    // A role that is not ours gets no policy either.
    plan: ({ observed, desired, refused }) => refused('iam-role') ? [] : planRolePolicies(observed.role ? observed.rolePolicies : undefined, desired.rolePolicies, desired.roleArn),
    owns: isRolePolicyChange,
    apply: async (change, { aws, desired }) => void (await applyRolePolicyChange(aws, change, desired.roleName)),
    // Reported per feature (report/features.ts).
    rows: () => ({}),
});

;// CONCATENATED MODULE: ./src/engine/kinds/ssm-documents.ts



const SSM_DOCUMENTS = kind_kindOf({
    kind: 'SSM document',
    resources: ['ssm-document'],
    observe: async ({ settings, deps, identity }) => {
        const name = settings.features.find((f) => f.key === 'ec2-ssm')?.params.document;
        const documents = await Promise.all(documentRegions(settings.features, deps.aws.region).map(async (region) => {
            const arn = `arn:${identity.partition}:ssm:${region}:${identity.account}:document/${name}`;
            return [region, await observeDocument(deps.aws, region, name, arn)];
        }));
        return { observed: { documents: new Map(documents) } };
    },
    plan: ({ observed, desired, settings, planned }) => {
        const policy = { adoptExisting: settings.adoptExistingDocument, ownershipTags: desired.ownershipTags };
        return desired.documents.flatMap((document) => planned(() => planDocument(observed.documents.get(document.region), document, policy)));
    },
    owns: isDocumentChange,
    apply: (change, { aws, desired, settings }) => applyDocumentChange(aws, change, desired.documents.find((d) => d.region === change.region), {
        adoptExisting: settings.adoptExistingDocument,
        ownershipTags: desired.ownershipTags,
    }),
    // Reported with ec2-ssm's feature (report/features.ts).
    rows: () => ({}),
    destruction: {
        // Their tags say whose they are; names and regions do not depend on the cluster's name.
        observe: async ({ settings, deps: { aws }, identity }) => {
            const documents = desiredState(settings, identity, settings.clusterName ?? '', aws.region).documents;
            return { documentTags: new Map(await Promise.all(documents.map(async (d) => [d.region, await describeDocumentTags(aws, d.region, d.name)]))) };
        },
        plan: ({ desired, observed, settings, clusterName, planned }) => desired.documents.flatMap((d) => planned(() => planDocumentDeletion(d, observed.documentTags.get(d.region), settings.integration, clusterName))),
        deletes: (change) => change.action === 'delete-document',
        delete: (change, { aws }) => deleteDocument(aws, change),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/stack-set.ts




const STACK_SET = kind_kindOf({
    kind: 'StackSet',
    resources: ['stack-set', 'stack-instances'],
    // The organization, its tree, the set and its instances, the management account's member role: one read for both kinds.
    observe: async ({ settings, deps, identity }) => {
        const scope = (0,config_discovery/* organizationOf */.d1)(settings.discovery);
        return {
            observed: {
                organization: scope
                    ? await observeOrganization(deps.aws, scope, identity, settings.integration, false, stackSetReads(settings, deps.aws, deps.logger))
                    : undefined,
            },
        };
    },
    plan: ({ observed, desired }) => (desired.organization && observed.organization ? planStackSetSide(desired.organization, observed.organization) : []),
    owns: isStackSetChange,
    apply: async (change, { aws, logger, settings }) => void (await applyStackSetChange(aws, change, stackSetWait(settings, aws, logger))),
    rows: ({ desired }) => {
        const stackSet = desired.organization?.stackSet;
        if (!stackSet)
            return {};
        const target = `stackset/${stackSet.name} (${stackSet.region})`;
        return {
            'stack-set': { target, unchanged: 'service-managed, automatic deployment, the member role as declared' },
            'stack-instances': { target, unchanged: 'one in every account in scope, none outside it' },
        };
    },
    destruction: {
        // The management account's member role is read wherever the scope now stands.
        observe: async ({ settings, deps, identity }) => {
            const scope = (0,config_discovery/* organizationOf */.d1)(settings.discovery);
            return {
                organization: scope
                    ? await observeOrganization(deps.aws, scope, identity, settings.integration, true, stackSetReads(settings, deps.aws, deps.logger))
                    : undefined,
            };
        },
        // The instances (waited for), then the set: before anything else, the member roles trust the integration role.
        plan: ({ observed, desired, settings }) => {
            const organization = observed.organization;
            const stackSet = desired.organization?.stackSet;
            return organization && stackSet
                ? planStackSetDeletion(organization.stackSet, organization.instances, stackSet, organization.tree.roots, settings.integration)
                : [];
        },
        deletes: (change) => change.action === 'delete-stack-instances' || change.action === 'delete-stack-set',
        delete: async (change, { aws, logger, settings }) => void (await applyStackSetChange(aws, change, stackSetWait(settings, aws, logger))),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/task-role.ts



const task_role_declared = (settings) => settings.features.find((f) => f.key === 'deploy-service')?.params.taskRole;
const TASK_ROLE = kind_kindOf({
    kind: 'task role',
    resources: ['task-role'],
    observe: async ({ settings, deps }) => {
        const name = task_role_declared(settings);
        return { observed: { taskRole: name === undefined ? undefined : await observeTaskRole(deps.aws, name) } };
    },
    plan: ({ observed, desired, settings }) => desired.taskRole
        ? planTaskRole(observed.taskRole, desired.taskRole, taskRoleArn(desired.partition, desired.account, desired.taskRole.name), settings.integration)
        : [],
    owns: isOwnedRoleChange('task-role'),
    apply: async (change, { aws }) => void (await applyOwnedRoleChange(aws, change)),
    rows: ({ desired }) => desired.taskRole
        ? {
            'task-role': {
                target: taskRoleArn(desired.partition, desired.account, desired.taskRole.name),
                unchanged: `exists, trusted by ECS tasks, with its inline policy ${desired.taskRole.policyName} and tagged for this integration`,
            },
        }
        : {},
    destruction: {
        observe: async ({ settings, deps }) => {
            const name = task_role_declared(settings);
            return { taskRole: name === undefined ? undefined : await observeTaskRole(deps.aws, name) };
        },
        plan: ({ observed, settings, notes }) => {
            const deletions = planTaskRoleDeletion(observed.taskRole, settings.integration);
            if (deletions.length > 0) {
                notes.push(`Task role ${observed.taskRole.role.name} is deleted: a Teleport Database Service still running in ECS as it loses its access to RDS. ` +
                    'Remove that ECS service first if it should stop, or keep the role by dropping deploy-service from features before destroying.');
            }
            return deletions;
        },
        deletes: (change) => isOwnedRoleDeletion('task-role')(change),
        delete: (change, { aws }) => deleteOwnedRole(aws, change),
    },
});

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/profile.ts



const profile_sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
function planProfile(kind, named, wanted, integration, words) {
    if (named.length > 1) {
        throw new errors/* RefusalError */.XQ(kind, `${named.length} Roles Anywhere profiles are named ${wanted.name}: which one is the integration's cannot be told. Rename or delete the others.`, wanted.name);
    }
    const live = named[0];
    if (!live)
        return [{ action: `create-${kind}`, resource: kind, target: wanted.name, reason: words.create, after: wanted }];
    const why = notOwned(live.tags, integration);
    if (why) {
        throw new errors/* RefusalError */.XQ(kind, `Roles Anywhere profile ${live.name} (${live.arn}) is not owned by this integration: ${why} (${tagList(live.tags)}). It is never changed. ` +
            `${words.otherName}, or tag it for this integration once checked.`, live.arn);
    }
    const fields = [];
    const rolesDiffer = !profile_sameSet(live.roleArns, wanted.roleArns);
    if (rolesDiffer)
        fields.push({ field: 'roleArns', live: live.roleArns.join(', ') || '(none)', declared: wanted.roleArns.join(', ') });
    const durationDiffers = live.durationSeconds !== wanted.durationSeconds;
    if (durationDiffers)
        fields.push({ field: 'durationSeconds', live: String(live.durationSeconds), declared: String(wanted.durationSeconds) });
    if (!live.enabled)
        fields.push({ field: 'enabled', live: 'false', declared: 'true' });
    const tags = missingTags(live.tags, wanted.tags);
    if (fields.length === 0 && Object.keys(tags).length === 0)
        return [];
    const reasons = [
        ...(rolesDiffer ? [words.roles(live.roleArns.join(', ') || '(none)', wanted.roleArns.join(', '))] : []),
        ...(durationDiffers ? [`durationSeconds is ${live.durationSeconds}, declared ${wanted.durationSeconds}`] : []),
        ...(!live.enabled ? [words.disabled] : []),
        ...(Object.keys(tags).length > 0 ? [`tags missing or different: ${tagList(tags)}`] : []),
    ];
    return [
        {
            action: `update-${kind}`,
            resource: kind,
            target: live.arn,
            reason: reasons.join('; '),
            profileId: live.id,
            fields,
            roleArns: rolesDiffer ? wanted.roleArns : undefined,
            durationSeconds: durationDiffers ? wanted.durationSeconds : undefined,
            enable: !live.enabled,
            tags: Object.keys(tags).length > 0 ? tags : undefined,
        },
    ];
}
const isProfileChange = (kind) => (change) => change.action === `create-${kind}` || change.action === `update-${kind}`;
async function applyProfileChange(aws, change) {
    if ('after' in change) {
        const { name, roleArns, durationSeconds, tags } = change.after;
        const { profile } = await aws.rolesAnywhere('CreateProfile', {
            method: 'POST',
            path: '/profiles',
            body: { name, roleArns, durationSeconds, enabled: true, tags: toRaTags(tags) },
        });
        if (profile?.profileArn)
            rememberCreated(aws, 'profile', name, profile.profileArn);
        return;
    }
    const id = encodeURIComponent(change.profileId);
    if (change.roleArns || change.durationSeconds !== undefined) {
        await aws.rolesAnywhere('UpdateProfile', {
            method: 'PATCH',
            path: `/profile/${id}`,
            body: {
                ...(change.roleArns ? { roleArns: change.roleArns } : {}),
                ...(change.durationSeconds !== undefined ? { durationSeconds: change.durationSeconds } : {}),
            },
        });
    }
    if (change.enable)
        await aws.rolesAnywhere('EnableProfile', { method: 'POST', path: `/profile/${id}/enable` });
    if (change.tags)
        await aws.rolesAnywhere('TagResource', { method: 'POST', path: '/TagResource', body: { resourceArn: change.target, tags: toRaTags(change.tags) } });
}
/** Destroy: the profiles of that name tagged for this integration. */
function planProfileDeletion(kind, named, integration) {
    return named
        .filter((live) => !notOwned(live.tags, integration))
        .map((live) => ({ action: `delete-${kind}`, resource: kind, target: live.arn, reason: `tagged for ${integration}`, profileId: live.id }));
}
const deleteProfile = (aws, change) => deleteRa(aws, 'DeleteProfile', `/profile/${encodeURIComponent(change.profileId)}`);

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/sync-profile.ts



/** The region's profiles, listed once a run with `share`. */
const listProfiles = (aws, share = unshared) => share('rolesanywhere:profiles', () => allRaPages(aws, 'ListProfiles', '/profiles', 'profiles'));
async function profileState(aws, p) {
    return {
        id: p.profileId,
        arn: p.profileArn,
        name: p.name,
        enabled: p.enabled === true,
        roleArns: p.roleArns ?? [],
        durationSeconds: p.durationSeconds ?? 3600,
        tags: await readRaTags(aws, p.profileArn),
    };
}
/** The profiles of that name (planning refuses more than one); with `share`, listed once a run. */
async function observeSyncProfiles(aws, name, share = unshared) {
    return Promise.all((await listProfiles(aws, share)).filter((p) => p.name === name).map((p) => profileState(aws, p)));
}
/** The ARN of the profile of that name (no tags read): what a pending ARN becomes. */
async function profileArnByName(aws, name) {
    const named = (await allRaPages(aws, 'ListProfiles', '/profiles', 'profiles')).filter((p) => p.name === name);
    return named.length === 1 ? named[0].profileArn : undefined;
}
function planSyncProfile(named, wanted, integration) {
    return planProfile('sync-profile', named, wanted, integration, {
        create: `lets profile sync assume ${wanted.roleArns.join(', ')}, enabled`,
        roles: (live) => `its roles are not the sync role alone (${live}): profile sync would run as another role, or not at all`,
        disabled: 'it is disabled: profile sync cannot start a session, and no profile reaches Teleport',
        otherName: 'Choose another sync-profile under roles-anywhere',
    });
}

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/access-profile.ts


/** The live profiles of the declared names (two of one name are refused when planned). */
async function observeAccessProfiles(aws, names, share) {
    const all = await listProfiles(aws, share);
    return new Map(await Promise.all(names.map(async (name) => [name, await Promise.all(all.filter((p) => p.name === name).map((p) => profileState(aws, p)))])));
}
function planAccessProfile(named, wanted, integration) {
    return planProfile('access-profile', named, wanted, integration, {
        create: `sessions of ${wanted.durationSeconds} s for ${wanted.roleArns.join(', ')}, enabled`,
        roles: (live, declared) => `roleArns is ${live}, declared ${declared}`,
        disabled: 'disabled: no session through it, and Teleport shows no app for it',
        otherName: 'Rename the profile under roles-anywhere profiles',
    });
}

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/access-profiles.ts




const names = (settings) => settings.rolesAnywhere.profiles.map((p) => p.name);
const observe = (settings, deps) => observeAccessProfiles(deps.aws, names(settings), (key, read) => shareable(deps, key, read));
const ACCESS_PROFILES = kind_kindOf({
    kind: 'access profile',
    resources: ['access-profile'],
    observe: async ({ settings, deps }) => ({ observed: { accessProfiles: names(settings).length > 0 ? await observe(settings, deps) : new Map() } }),
    // Each profile's refusal is its own; none names a role that was refused.
    plan: ({ observed, desired, settings, planned, refused }) => refused('profile-role')
        ? []
        : desired.rolesAnywhere.accessProfiles.flatMap((profile) => planned(() => planAccessProfile(observed.accessProfiles?.get(profile.name) ?? [], profile, settings.integration))),
    owns: isProfileChange('access-profile'),
    apply: async (change, { aws }) => void (await applyProfileChange(aws, change)),
    rows: ({ desired }) => desired.rolesAnywhere.accessProfiles.length > 0
        ? {
            'access-profile': {
                target: desired.rolesAnywhere.accessProfiles.map((p) => p.name).join(', '),
                unchanged: 'each enabled, naming its declared roles, with its session duration and tags',
            },
        }
        : {},
    destruction: {
        observe: async ({ settings, deps }) => ({ accessProfiles: names(settings).length > 0 ? await observe(settings, deps) : new Map() }),
        plan: ({ observed, settings }) => names(settings).flatMap((name) => planProfileDeletion('access-profile', observed.accessProfiles?.get(name) ?? [], settings.integration)),
        deletes: (change) => change.action === 'delete-access-profile',
        delete: (change, { aws }) => deleteProfile(aws, change),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/pending.ts




async function withCreatedArns(aws, settings, value) {
    let text = JSON.stringify(value);
    const { trustAnchor, syncProfile } = settings.rolesAnywhere;
    if (text.includes(PENDING_TRUST_ANCHOR_ARN)) {
        const arn = createdArn(aws, 'trust-anchor', trustAnchor) ?? (await trustAnchorArnByName(aws, trustAnchor));
        if (!arn)
            throw new Error(`trust anchor ${trustAnchor} was not found after apply created it`);
        text = text.split(PENDING_TRUST_ANCHOR_ARN).join(arn);
    }
    if (text.includes(PENDING_PROFILE_ARN)) {
        const arn = createdArn(aws, 'profile', syncProfile) ?? (await profileArnByName(aws, syncProfile));
        if (!arn)
            throw new Error(`profile ${syncProfile} was not found after apply created it`);
        text = text.split(PENDING_PROFILE_ARN).join(arn);
    }
    return JSON.parse(text);
}

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/integration.ts
/** Teleport's aws-ra integration (resources/teleport/aws-ra-integration.ts), and the awsra CA's certificates it is read with. */




/** An integration of that name that is not aws-ra (an aws-oidc one, say) is another integration: never replaced. */
function checkSubKind(live, name) {
    if (live && live.sub_kind !== 'aws-ra') {
        throw new errors/* RefusalError */.XQ('teleport-ra-integration', `Teleport integration ${name} exists as ${live.sub_kind}, not aws-ra: it is never replaced. Name this Roles Anywhere integration otherwise.`, name);
    }
}
const RA_INTEGRATION = kind_kindOf({
    kind: 'Teleport integration (aws-ra)',
    resources: ['teleport-ra-integration'],
    // The CA's certificates are what the trust anchor must hold: read with the integration, in one round.
    observe: async ({ settings, deps: { tctl } }) => {
        if (!tctl)
            return { observed: {} };
        const [integration, certificates] = await Promise.all([
            teleportRead(readRaIntegration(tctl, settings.integration)),
            teleportRead(tctl.exportAwsRaCertificates()),
        ]);
        return { observed: { raIntegration: integration.value, awsraCertificates: certificates.value }, teleportError: integration.error ?? certificates.error };
    },
    plan: ({ observed, desired, settings }) => {
        if (observed.teleportError)
            return [];
        checkSubKind(observed.raIntegration, settings.integration);
        return planRaIntegration(observed.raIntegration, desired.rolesAnywhere.resource);
    },
    owns: isRaIntegrationChange,
    apply: async (change, context) => {
        const resolved = await withCreatedArns(context.aws, context.settings, change);
        context.logger.info(await writeRaIntegration(teleportOf(context), resolved.after));
        return undefined;
    },
    rows: ({ desired }) => ({
        'teleport-ra-integration': {
            target: desired.rolesAnywhere.integration,
            unchanged: 'aws-ra, naming the trust anchor and profile sync as declared',
        },
    }),
    destruction: {
        observe: async ({ settings, deps: { tctl }, mustRead }) => ({
            raIntegration: tctl
                ? await mustRead(readRaIntegration(tctl, settings.integration), 'the Teleport integration must be checked before what it uses goes.')
                : undefined,
        }),
        plan: ({ observed, settings, teleport, refuse }) => {
            const live = observed.raIntegration;
            if (!teleport || !live)
                return [];
            if (live.sub_kind !== 'aws-ra') {
                refuse(new errors/* RefusalError */.XQ('teleport-ra-integration', `Teleport integration ${settings.integration} is ${live.sub_kind}, not aws-ra: never deleted here. Nothing was deleted.`, settings.integration));
                return [];
            }
            const ours = observed.trustAnchors?.[0]?.arn;
            // Pointing at another trust anchor, it is someone else's integration of the same name.
            if (ours !== undefined && live.spec?.aws_ra?.trust_anchor_arn !== ours) {
                refuse(new errors/* RefusalError */.XQ('teleport-ra-integration', `Teleport integration ${settings.integration} points at trust anchor ${live.spec?.aws_ra?.trust_anchor_arn ?? '(none)'}, not ${ours}: it is not this action's. Nothing was deleted.`, settings.integration));
                return [];
            }
            return [
                {
                    action: 'delete-ra-integration',
                    resource: 'teleport-ra-integration',
                    target: settings.integration,
                    reason: 'aws-ra, pointing at this trust anchor',
                    name: settings.integration,
                },
            ];
        },
        deletes: (change) => change.action === 'delete-ra-integration',
        delete: async (change, context) => void context.logger.info(await teleportOf(context).remove(change.name, 'integration')),
    },
});

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/profile-role.ts




/** A statement that does not fit stands on this kind's row, with this way out. */
const profile_role_QUOTA_WAY_OUT = { resource: 'profile-role', otherwise: 'take a statement out of its trust policy, or name another role in the profile' };
const ROLES_ANYWHERE_MARKER = 'teleport-aws-oidc-integration-action/roles-anywhere';
function profileRoleGrant(trustAnchorArn, integration) {
    return {
        statement: {
            Sid: `TeleportRolesAnywhere${sidPart(integration)}`,
            Effect: 'Allow',
            Principal: { Service: 'rolesanywhere.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
            Condition: { ArnEquals: { 'aws:SourceArn': trustAnchorArn } },
        },
        marker: ROLES_ANYWHERE_MARKER,
    };
}
const observeProfileRole = (aws, name) => observeRole(aws, name);
function checkProfileRole(live, wanted) {
    if (!live) {
        throw new errors/* RefusalError */.XQ('profile-role', `IAM role "${wanted.name}" (roles-anywhere profiles) does not exist: a profile's role is never created here, its permissions are what users get. Create it, or remove it from the profile.`, wanted.arn);
    }
    if (wanted.declaredArn !== undefined && wanted.declaredArn !== live.arn) {
        throw new errors/* RefusalError */.XQ('profile-role', `roles-anywhere profiles name ${wanted.declaredArn}, but the role "${live.name}" is ${live.arn} (another path).`, wanted.arn);
    }
}
function planProfileRole(live, wanted, trustAnchorArn, integration, quota) {
    checkProfileRole(live, wanted);
    const grant = profileRoleGrant(trustAnchorArn, integration);
    const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
    if (trustPolicy)
        checkTrustPolicyFits(trustPolicy, quota, live.name, live.arn, profile_role_QUOTA_WAY_OUT);
    const tags = grantTags(live.tags, grant, trustPolicy !== undefined, integration);
    if (!trustPolicy && !tags)
        return [];
    return [
        {
            action: 'update-profile-role',
            resource: 'profile-role',
            target: live.arn,
            reason: trustPolicy
                ? `role ${live.name} does not trust Roles Anywhere from the trust anchor: a session with it fails. A statement is added, every other kept`
                : `role ${live.name}: the record of what this action added is brought up to date`,
            roleName: live.name,
            trustPolicy,
            tags,
        },
    ];
}
const isProfileRoleChange = (change) => change.action === 'update-profile-role';
/** Merged again into the role as it is now: a statement added since planning survives. */
async function applyProfileRoleChange(aws, change, trustAnchorArn, integration, quota) {
    const live = await observeProfileRole(aws, change.roleName);
    checkProfileRole(live, { name: change.roleName, declaredArn: undefined, arn: change.target });
    const grant = profileRoleGrant(trustAnchorArn, integration);
    const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
    if (trustPolicy)
        checkTrustPolicyFits(trustPolicy, quota, live.name, live.arn, profile_role_QUOTA_WAY_OUT);
    await writeGrant(aws, live.name, trustPolicy, grantTags(live.tags, grant, trustPolicy !== undefined || change.trustPolicy !== undefined, integration));
}
function planProfileRoleRelease(live, integration, notes) {
    if (!live)
        return [];
    const release = releaseOf(live, profileRoleGrant('', integration), integration, 'its statement trusting Roles Anywhere');
    if (!release)
        return [];
    if (release.onlyOurs)
        notes.push(`Role ${live.name}'s trust policy holds only this integration's Roles Anywhere statement: it is kept (IAM refuses an empty trust policy).`);
    return [
        {
            action: 'release-profile-role',
            resource: 'profile-role',
            target: live.arn,
            reason: `role ${live.name} (kept): ${release.removed.length > 0 ? `${release.removed.join(' and ')} removed, as apply added it` : 'the record of this integration removed'}${release.others.length > 0 ? `; integration ${release.others.join(', ')} still uses it` : ''}`,
            roleName: live.name,
            trustPolicy: release.trustPolicy,
            untag: release.untag,
            tags: release.tags,
        },
    ];
}
async function releaseProfileRole(aws, change, integration) {
    const live = await observeProfileRole(aws, change.roleName);
    const [again] = planProfileRoleRelease(live, integration, []);
    if (live && again)
        await writeRelease(aws, live.name, again);
}

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/profile-roles.ts



const roleNames = (settings) => [...new Set(settings.rolesAnywhere.profiles.flatMap((p) => p.roles.map((r) => r.name)))];
async function profile_roles_observeAll(aws, settings) {
    return new Map(await Promise.all(roleNames(settings).map(async (name) => [name, await observeProfileRole(aws, name)])));
}
const PROFILE_ROLES = kind_kindOf({
    kind: "access profiles' role",
    resources: ['profile-role'],
    observe: async ({ settings, deps }) => ({ observed: { profileRoles: await profile_roles_observeAll(deps.aws, settings) } }),
    // Trusting a trust anchor that is not this integration's would hand that anchor's CA the role.
    plan: ({ observed, desired, settings, planned, refused }) => refused('trust-anchor')
        ? []
        : desired.rolesAnywhere.profileRoles.flatMap((role) => planned(() => planProfileRole(observed.profileRoles?.get(role.name), role, desired.rolesAnywhere.trustAnchorArn, settings.integration, settings.trustPolicyQuota))),
    owns: isProfileRoleChange,
    // The statement names the trust anchor this same apply may have just made.
    apply: async (change, { aws, settings, desired }) => {
        const [resolved, anchorArn] = await withCreatedArns(aws, settings, [change, desired.rolesAnywhere.trustAnchorArn]);
        await applyProfileRoleChange(aws, resolved, anchorArn, settings.integration, settings.trustPolicyQuota);
        return undefined;
    },
    rows: ({ desired }) => desired.rolesAnywhere.profileRoles.length > 0
        ? {
            'profile-role': {
                target: desired.rolesAnywhere.profileRoles.map((r) => r.name).join(', '),
                unchanged: 'each trusts Roles Anywhere from the trust anchor, every other statement kept',
            },
        }
        : {},
    destruction: {
        observe: async ({ settings, deps }) => ({ profileRoles: await profile_roles_observeAll(deps.aws, settings) }),
        plan: ({ observed, settings, notes }) => roleNames(settings).flatMap((name) => planProfileRoleRelease(observed.profileRoles?.get(name), settings.integration, notes)),
        deletes: (change) => change.action === 'release-profile-role',
        delete: (change, { aws, settings }) => releaseProfileRole(aws, change, settings.integration),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/sync-profile.ts




const SYNC_PROFILE = kind_kindOf({
    kind: 'Roles Anywhere profile',
    resources: ['sync-profile'],
    observe: async ({ settings, deps }) => ({
        observed: { syncProfiles: await observeSyncProfiles(deps.aws, settings.rolesAnywhere.syncProfile, (key, read) => shareable(deps, key, read)) },
    }),
    // A refused sync role is not this integration's: no profile may name it.
    plan: ({ observed, desired, settings, refused }) => refused('sync-role') ? [] : planSyncProfile(observed.syncProfiles ?? [], desired.rolesAnywhere.syncProfile, settings.integration),
    owns: isProfileChange('sync-profile'),
    apply: async (change, { aws }) => void (await applyProfileChange(aws, change)),
    rows: ({ desired, observed }) => ({
        'sync-profile': {
            target: observed.syncProfiles?.[0]?.arn ?? desired.rolesAnywhere.syncProfile.name,
            unchanged: `enabled, naming ${desired.rolesAnywhere.syncRoleArn} alone, tagged for this integration`,
        },
    }),
    destruction: {
        observe: async ({ settings, deps }) => ({
            syncProfiles: await observeSyncProfiles(deps.aws, settings.rolesAnywhere.syncProfile, (key, read) => shareable(deps, key, read)),
        }),
        plan: ({ observed, settings }) => planProfileDeletion('sync-profile', observed.syncProfiles ?? [], settings.integration),
        deletes: (change) => change.action === 'delete-sync-profile',
        delete: (change, { aws }) => deleteProfile(aws, change),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/sync-role.ts




const SYNC_ROLE = kind_kindOf({
    kind: 'profile sync role',
    resources: ['sync-role'],
    observe: async ({ settings, deps }) => ({ observed: { syncRole: await observeSyncRole(deps.aws, settings.rolesAnywhere.syncRole) } }),
    plan: ({ observed, desired, settings, refused }) => {
        // Trusting a trust anchor that is not this integration's would hand that anchor's CA the role.
        if (refused('trust-anchor'))
            return [];
        const ra = desired.rolesAnywhere;
        return planSyncRole(observed.syncRole, ra.syncRole, ra.syncRoleArn, settings.integration);
    },
    owns: isOwnedRoleChange('sync-role'),
    // The trust names the trust anchor this same apply may have just made.
    apply: async (change, { aws, settings }) => void (await applyOwnedRoleChange(aws, await withCreatedArns(aws, settings, change))),
    rows: ({ desired }) => ({
        'sync-role': {
            target: desired.rolesAnywhere.syncRoleArn,
            unchanged: 'trusted by Roles Anywhere from the trust anchor only, with its inline policy TeleportRolesAnywhereProfileSync, tagged for this integration',
        },
    }),
    destruction: {
        observe: async ({ settings, deps }) => ({ syncRole: await observeSyncRole(deps.aws, settings.rolesAnywhere.syncRole) }),
        plan: ({ observed, settings }) => planSyncRoleDeletion(observed.syncRole, settings.integration),
        deletes: (change) => isOwnedRoleDeletion('sync-role')(change),
        delete: (change, { aws }) => deleteOwnedRole(aws, change),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/trust-anchor.ts



const TRUST_ANCHOR = kind_kindOf({
    kind: 'Roles Anywhere trust anchor',
    resources: ['trust-anchor'],
    // A run of many entries lists the region's trust anchors once.
    observe: async ({ settings, deps }) => ({
        observed: { trustAnchors: await observeTrustAnchors(deps.aws, settings.rolesAnywhere.trustAnchor, (key, read) => shareable(deps, key, read)) },
    }),
    plan: ({ observed, desired, settings }) => {
        const wanted = desired.rolesAnywhere.trustAnchor;
        const live = onlyTrustAnchor(observed.trustAnchors ?? [], wanted.name);
        // Without the CA's certificates (tctl failed) the bundle is unknown: never written empty.
        if (wanted.certificates.length === 0)
            return [];
        return planTrustAnchor(live, wanted, settings.integration);
    },
    owns: isTrustAnchorChange,
    apply: async (change, { aws }) => void (await applyTrustAnchorChange(aws, change)),
    rows: ({ desired, observed }) => ({
        'trust-anchor': {
            target: observed.trustAnchors?.[0]?.arn ?? desired.rolesAnywhere.trustAnchor.name,
            unchanged: `enabled, holding the cluster's ${desired.rolesAnywhere.trustAnchor.certificates.length} current awsra CA certificate(s), tagged for this integration`,
        },
    }),
    destruction: {
        observe: async ({ settings, deps }) => ({
            trustAnchors: await observeTrustAnchors(deps.aws, settings.rolesAnywhere.trustAnchor, (key, read) => shareable(deps, key, read)),
        }),
        plan: ({ observed, settings }) => planTrustAnchorDeletion(onlyTrustAnchor(observed.trustAnchors ?? [], settings.rolesAnywhere.trustAnchor), settings.integration),
        deletes: (change) => change.action === 'delete-trust-anchor',
        delete: (change, { aws }) => deleteTrustAnchor(aws, change.trustAnchorId),
    },
});

;// CONCATENATED MODULE: ./src/engine/kinds/roles-anywhere/index.ts






const RA_KINDS = [TRUST_ANCHOR, SYNC_ROLE, SYNC_PROFILE, PROFILE_ROLES, ACCESS_PROFILES, RA_INTEGRATION];
const RA_DESTROY_ORDER = [RA_INTEGRATION, ACCESS_PROFILES, SYNC_PROFILE, PROFILE_ROLES, TRUST_ANCHOR, SYNC_ROLE];

;// CONCATENATED MODULE: ./src/engine/kinds/index.ts












const KINDS = [
    OIDC_PROVIDER,
    ROLE,
    ROLE_POLICIES,
    TASK_ROLE,
    CONSOLE_ROLES,
    STACK_SET,
    MEMBER_ROLE,
    SSM_DOCUMENTS,
    INTEGRATION,
    JOIN_TOKEN,
    DISCOVERY_CONFIG,
];
/**
 * Destroy: the member roles first (they trust the integration role), then Teleport's side (it
 * uses the integration), the documents, what apply added to console roles (before the role they trust goes), the task role (deploy-service passes it), the role and
 * what IAM needs gone before it, the provider.
 */
const DESTROY_ORDER = [
    STACK_SET,
    MEMBER_ROLE,
    DISCOVERY_CONFIG,
    JOIN_TOKEN,
    INTEGRATION,
    SSM_DOCUMENTS,
    CONSOLE_ROLES,
    TASK_ROLE,
    ROLE,
    OIDC_PROVIDER,
];
/** An aws-ra integration (roles-anywhere declared) has kinds of its own (kinds/roles-anywhere/). */
function kindsFor(settings) {
    return settings.rolesAnywhere ? RA_KINDS : KINDS;
}
function destroyOrderFor(settings) {
    return settings.rolesAnywhere ? RA_DESTROY_ORDER : DESTROY_ORDER;
}
const EVERY_KIND = [...KINDS, ...RA_KINDS];
/** The kind that writes a change; one no kind owns is a bug, said as such. */
function writerOf(change) {
    const found = EVERY_KIND.find((kind) => kind.owns(change));
    if (!found)
        throw new Error(`no resource kind writes ${change.action} (${change.resource}): add it to engine/kinds/`);
    return found;
}
/** The kind that deletes a destroy's change. */
function deleterOf(change) {
    const found = EVERY_KIND.find((kind) => kind.destruction?.deletes(change));
    if (!found)
        throw new Error(`no resource kind deletes ${change.action} (${change.resource}): add its destruction to engine/kinds/`);
    return found;
}

;// CONCATENATED MODULE: ./src/engine/engine.ts













/** The credentials must be for the declared account, and every listed region in their partition. */
function checkIdentity(settings, identity, jobRegion) {
    if (settings.accountId !== undefined && settings.accountId !== identity.account) {
        throw new Error(`The AWS credentials are for account ${identity.account} (${identity.arn}), but account-id is ${settings.accountId}. ` +
            'Nothing was read or written. Assume a role in the right account, or correct account-id.');
    }
    const profileAccount = (0,roles_anywhere/* profileRolesAccount */.Qg)(settings.rolesAnywhere);
    if (profileAccount !== undefined && profileAccount !== identity.account) {
        throw new errors/* InputError */.dz('roles-anywhere', `profiles name a role of account ${profileAccount}, but the credentials are for account ${identity.account}: a profile's roles are in its account. Nothing was read or written.`, `{ profiles: [{ name: prod-readonly, roles: ["arn:${identity.partition}:iam::${identity.account}:role/ReadOnly"] }] }`);
    }
    const rolesAccount = (0,config_features/* consoleRolesAccount */.O7)(settings.features);
    if (rolesAccount !== undefined && rolesAccount !== identity.account) {
        throw new errors/* InputError */.dz('features', `aws-app-access: roles names a role of account ${rolesAccount}, but the credentials are for account ${identity.account}: ` +
            'Teleport assumes console roles from the integration role, in its account. Nothing was read or written.', `{ aws-app-access: { roles: [ConsoleReadOnly, "arn:${identity.partition}:iam::${identity.account}:role/Admin"] } }`);
    }
    const foreign = documentRegions(settings.features, jobRegion).filter((region) => (0,regions/* partitionOfRegion */.c)(region) !== identity.partition);
    if (foreign.length > 0) {
        throw new Error(`ec2-ssm lists ${foreign.join(', ')}, outside the credentials' partition ${identity.partition}: ` +
            'one run works in one partition. List only regions of that partition.');
    }
    const matchers = settings.discovery?.matchers ?? [];
    const foreignMatcherRegions = matchers.flatMap((m) => m.regions).filter((r) => r !== config_discovery/* ALL_REGIONS */.mn && (0,regions/* partitionOfRegion */.c)(r) !== identity.partition);
    if (foreignMatcherRegions.length > 0) {
        throw new Error(`discovery lists ${[...new Set(foreignMatcherRegions)].join(', ')}, outside the credentials' partition ${identity.partition}: ` +
            'the integration role cannot reach them. List only regions of that partition.');
    }
    // EC2 instances are enrolled with our own SSM document only where ec2-ssm keeps it.
    const document = discoveryDocument(settings);
    const kept = documentRegions(settings.features, jobRegion);
    if (document !== config_features/* AWS_RUN_SHELL_SCRIPT */.fd && settings.features.some((f) => f.key === 'ec2-ssm' && f.params.document === document)) {
        const missing = matchers
            .filter((m) => m.types.includes('ec2'))
            .flatMap((m) => m.regions)
            .filter((r) => r !== config_discovery/* ALL_REGIONS */.mn && !kept.includes(r));
        if (missing.length > 0) {
            throw new Error(`discovery enrolls EC2 instances in ${[...new Set(missing)].join(', ')} with SSM document ${document}, but ec2-ssm keeps it only in ${kept.join(', ')}. ` +
                'Add those regions to ec2-ssm regions, or set discovery ssm-document: AWS-RunShellScript.');
        }
    }
}
/** Awaits every read at once, keeping each result under its name. */
async function allNamed(reads) {
    const entries = await Promise.all(Object.entries(reads).map(async ([name, read]) => [name, await read]));
    return Object.fromEntries(entries);
}
async function observeAndPlan(settings, deps) {
    const { aws, tctl, logger } = deps;
    const identity = await aws.identity();
    logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
    checkIdentity(settings, identity, aws.region);
    const gates = versionGates(settings, tctl !== undefined);
    const clusterInfo = () => shareable(deps, clusterInfoKey(settings.issuer.url), () => readClusterInfo(settings.issuer.url));
    // One round of concurrent reads: the cluster's name, version and chain (what the desired state
    // needs), and every kind's own reads.
    const [{ clusterName, serverVersion, chain }, reads] = await Promise.all([
        allNamed({
            clusterName: settings.clusterName ?? clusterInfo().then((info) => info.clusterName),
            // Only when something declared needs a minimum; a proxy that does not say leaves it unchecked (warned).
            serverVersion: gates.length > 0
                ? clusterInfo().then((info) => info.serverVersion, () => undefined)
                : undefined,
            // The OIDC provider's thumbprint: an aws-ra integration has no provider, and AWS never calls its proxy.
            chain: settings.rolesAnywhere
                ? undefined
                : shareable(deps, chainKey(settings.issuer.host), () => readServedChain(settings.issuer.host)).catch((error) => {
                    const message = `could not read the TLS certificate chain of ${settings.issuer.host}:443 (${(0,errors/* errorMessage */.gJ)(error)}). ` +
                        'The proxy must serve its public address over HTTPS on 443, reachable from here and from AWS.';
                    // A drift check reports an unreachable issuer; apply and plan cannot go on without its thumbprint.
                    if (settings.mode === 'check')
                        return message;
                    throw new Error(message);
                }),
        }),
        Promise.all(kindsFor(settings).map((kind) => kind.observe?.({ settings, deps, identity }) ?? Promise.resolve({ observed: {} }))),
    ]);
    // A Teleport failure must not stop the AWS side: it is reported once AWS is reconciled.
    const teleportError = reads.map((read) => read.teleportError).find((error) => error !== undefined);
    const served = typeof chain === 'string' ? undefined : chain;
    if (served)
        logger.debug(`thumbprint ${served.thumbprint} (last of ${served.certificates.length} certificates sent)`);
    const observed = Object.assign({ teleportSkipped: !tctl, teleportError, chain: served, chainError: typeof chain === 'string' ? chain : undefined, serverVersion }, ...reads.map((read) => read.observed));
    // The integration is not planned against when Teleport could not be read whole.
    if (teleportError)
        observed.integration = undefined;
    const initial = desiredState(settings, identity, clusterName, aws.region, observed.organization?.identity, {
        certificates: observed.awsraCertificates ?? [],
        trustAnchorArn: observed.trustAnchors?.length === 1 ? observed.trustAnchors[0].arn : undefined,
        profileArn: observed.syncProfiles?.length === 1 ? observed.syncProfiles[0].arn : undefined,
    });
    const desired = observed.role ? withRoleArn(initial, observed.role.arn) : initial;
    // A proxy that says no version, or one that is not a version (a build from master says "master"
    // or "dev"): every gate is then unchecked, and said so.
    const unreadable = serverVersion === undefined ? 'could not be read' : olderThan(serverVersion, '0.0.0') === undefined ? `is "${serverVersion}", not a version` : undefined;
    if (gates.length > 0 && unreadable) {
        logger.warning(`The cluster's Teleport version ${unreadable} (${settings.issuer.url}/webapi/find): ${gates.map((g) => `${g.capability} needs ${g.minimum}`).join('; ')}, not checked.`);
    }
    const refusals = [...tooOld(gates, serverVersion)];
    const refuse = (0,errors/* collecting */.HI)(errors/* RefusalError */.XQ, refusals);
    const planned = (plan) => refuse(plan, []);
    const context = {
        settings,
        identity,
        desired,
        observed,
        refused: (resource) => refusals.some((r) => r.resource === resource),
        planned,
    };
    // Each kind in turn: a later one may depend on an earlier one's refusal.
    const changes = sortChanges(kindsFor(settings).flatMap((kind) => planned(() => kind.plan(context))));
    return { identity, desired, observed, changes, refusals };
}
/** The declared capabilities that need a minimum Teleport (model/teleport-versions.ts); none when Teleport is skipped. */
function versionGates(settings, teleport) {
    return teleport ? VERSION_GATES.filter((gate) => gate.declaredIn(settings)) : [];
}
/** A refusal per declared capability the cluster is too old for: it would ignore or reject what is written. */
function tooOld(gates, version) {
    return gates
        .filter((gate) => version !== undefined && olderThan(version, gate.minimum) === true)
        .map((gate) => new errors/* RefusalError */.XQ(gate.resource, `The cluster runs Teleport ${version}, but ${gate.capability} needs Teleport ${gate.minimum} or newer (${gate.source}): ` +
        `an older cluster would ignore or reject what would be written. Upgrade the cluster, or ${gate.instead ?? 'remove what needs it'}. Nothing was written.`, `Teleport ${version}`, 'Teleport too old'));
}
class ApplyError extends Error {
    applied;
    failed;
    cause;
    notAttempted;
    constructor(applied, failed, cause, remaining, mode = 'apply', 
    /** The changes after it, never reached. */
    notAttempted = []) {
        super(`${failed.action} on ${failed.target} failed: ${(0,errors/* errorMessage */.gJ)(cause)}\n` +
            `${applied.length} change(s) were applied before it and ${remaining} were not attempted; ` +
            `running ${mode} again completes the rest without duplicating anything.`);
        this.applied = applied;
        this.failed = failed;
        this.cause = cause;
        this.notAttempted = notAttempted;
        this.name = 'ApplyError';
    }
}
/** Applies the plan's changes in dependency order; logs each as it happens. */
async function applyPlan(plan, settings, deps) {
    const { aws, tctl, logger } = deps;
    const context = { aws, tctl, logger, settings, desired: plan.desired, thumbprint: plan.observed.chain?.thumbprint };
    const applied = [];
    const queue = [...plan.changes];
    while (queue.length > 0) {
        const change = queue.shift();
        logger.info(`${change.action} ${change.target}: ${change.reason}`);
        try {
            const outcome = await writerOf(change).apply(change, context);
            if (outcome) {
                logger.info(`${change.target} was created by another run meanwhile; applying ${outcome.superseded.length} repair(s) instead`);
                queue.unshift(...outcome.superseded);
            }
            else {
                applied.push(change);
            }
        }
        catch (error) {
            throw new ApplyError(applied, change, error, queue.length, 'apply', queue);
        }
    }
    return applied;
}

;// CONCATENATED MODULE: ./src/engine/destroy.ts
/**
 * Destroy: delete what the integration owns, only that, in the kinds' destroy order
 * (kinds/index.ts): the member roles, the Teleport side, the ec2-ssm documents of the declared
 * regions, the role (its inline policies, managed policy attachments and instance profiles
 * first), the OIDC provider last. Anything untagged or
 * tagged for someone else is refused before the first deletion; what is already gone counts
 * as done, so a second destroy writes nothing and a killed one completes on a re-run.
 */








/** A cluster being retired may no longer answer: destroy then goes by the integration tag alone (and knows no version). */
function clusterInfoIfKnown(settings, deps) {
    return shareable(deps, clusterInfoKey(settings.issuer.url), () => readClusterInfo(settings.issuer.url)).catch(() => undefined);
}
async function observeAndPlanDestroy(settings, deps) {
    const { aws, tctl, logger } = deps;
    const identity = await aws.identity();
    logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
    checkIdentity(settings, identity, aws.region);
    const info = clusterInfoIfKnown(settings, deps);
    const clusterNameRead = settings.clusterName ? Promise.resolve(settings.clusterName) : info.then((i) => i?.clusterName);
    const serverVersion = deps.tctl ? info.then((i) => i?.serverVersion) : Promise.resolve(undefined);
    // One round of concurrent reads, every kind's own. A tctl that cannot read stops everything: a
    // role must not be deleted while an integration nobody could check may still point at it.
    const mustRead = (read, what) => read.catch((error) => {
        if (error instanceof TctlError)
            throw new Error(`${error.message} Nothing was deleted: ${what}`);
        throw error;
    });
    const reading = { settings, deps, identity, clusterName: clusterNameRead, serverVersion, mustRead };
    const [clusterName, ...reads] = await Promise.all([
        clusterNameRead,
        ...destroyOrderFor(settings).map((kind) => kind.destruction?.observe?.(reading) ?? Promise.resolve({})),
    ]);
    const observed = Object.assign({
        attachments: { inlinePolicies: [], managedPolicyArns: [], instanceProfiles: [] },
        documentTags: new Map(),
        consoleRoles: new Map(),
        discoveryConfigs: [],
        trusting: [],
    }, ...reads);
    const { provider, role, organization } = observed;
    // Who else the provider is tagged for: a second look, only when it names another integration.
    const taggedFor = provider?.tags[INTEGRATION_TAG];
    const taggedIntegrationExists = taggedFor === undefined || taggedFor === settings.integration || !tctl
        ? undefined
        : await tctl.get(taggedFor).then((found) => found !== undefined, () => undefined);
    const built = desiredState(settings, identity, clusterName ?? '', aws.region, organization?.identity);
    const desired = role ? withRoleArn(built, role.arn) : built;
    const refusals = [];
    const planned = (0,errors/* collecting */.HI)(errors/* RefusalError */.XQ, refusals);
    const context = {
        settings,
        identity,
        desired,
        clusterName,
        observed,
        roleArns: [...new Set([desired.roleArn, built.roleArn])],
        taggedIntegrationExists,
        teleport: tctl !== undefined,
        refuse: (refusal) => void refusals.push(refusal),
        planned: (plan) => planned(plan, []),
        notes: [],
    };
    const changes = destroyOrderFor(settings).flatMap((kind) => planned(() => kind.destruction?.plan(context) ?? [], []));
    return { identity, desired, clusterName, observed, changes, refusals, providerKept: context.providerKept, teleportSkipped: !tctl, notes: context.notes };
}
/** Deletes in the planned order; the first failure stops it, and a re-run completes the rest. */
async function applyDestroy(plan, settings, deps) {
    const { aws, tctl, logger } = deps;
    const done = [];
    for (const [index, change] of plan.changes.entries()) {
        logger.info(`${change.action} ${change.target}: ${change.reason}`);
        try {
            await deleterOf(change).destruction.delete(change, { aws, tctl, logger, settings });
        }
        catch (error) {
            throw new ApplyError(done, change, error, plan.changes.length - index - 1, 'destroy');
        }
        done.push(change);
    }
    return done;
}

;// CONCATENATED MODULE: ./src/resources/aws/inventory.ts

function resourceType(arn) {
    const [, , service = '?', , , rest = ''] = arn.split(':');
    const type = rest.includes('/') ? rest.split('/')[0] : arn.split(':').length > 6 ? rest : '';
    return type ? `${service}:${type}` : service;
}
/** Everything of Teleport's AWS OIDC integrations in a region: one scan serves every integration of a run. */
async function scanRegion(aws, region) {
    const [client, { GetResourcesCommand }] = await Promise.all([aws.taggingClient(region), __webpack_require__.e(/* import() */ 59).then(__webpack_require__.t.bind(__webpack_require__, 5059, 19))]);
    const found = [];
    let token;
    do {
        const page = await aws.send(client, new GetResourcesCommand({
            TagFilters: [{ Key: ORIGIN_TAG, Values: [ORIGIN_VALUE] }],
            ResourcesPerPage: 100,
            PaginationToken: token,
        }));
        for (const mapping of page.ResourceTagMappingList ?? []) {
            if (mapping.ResourceARN) {
                found.push({ arn: mapping.ResourceARN, type: resourceType(mapping.ResourceARN), regions: [region], tags: tagsFromList(mapping.Tags) });
            }
        }
        token = page.PaginationToken || undefined;
    } while (token);
    return found;
}
/**
 * Every resource tagged teleport.dev/integration=<integration> and
 * teleport.dev/origin=integration_awsoidc in the given regions, each listed once (global
 * resources can show in several regions). IAM roles never appear: GetResources does not
 * support IAM users and roles.
 */
async function scanTaggedResources(aws, regions, integration, share = (_key, read) => read()) {
    const perRegion = await Promise.all(regions.map((region) => share(`tagging:${region}`, () => scanRegion(aws, region))));
    const byArn = new Map();
    // Copies: the shared scan stays as read for the next integration.
    for (const resource of perRegion.flat().filter((r) => r.tags[INTEGRATION_TAG] === integration)) {
        const seen = byArn.get(resource.arn);
        if (seen)
            seen.regions.push(...resource.regions);
        else
            byArn.set(resource.arn, { ...resource, regions: [...resource.regions] });
    }
    return [...byArn.values()].sort((a, b) => a.type.localeCompare(b.type) || a.arn.localeCompare(b.arn));
}
function judgeInventory(resources, owned) {
    const providers = resources.filter((r) => r.type === 'iam:oidc-provider');
    const documents = resources.filter((r) => r.type === 'ssm:document');
    const declared = new Set(owned.documents.map((d) => d.arn));
    // Index lag (or a partition that does not index a type) is only a note while the resource's own tags are right.
    const taggedButUnlisted = (arn, tags, listed) => tags !== undefined && carriesTags(tags, owned.ownershipTags) && !listed.some((r) => r.arn === arn);
    return {
        strayProviders: providers.filter((r) => r.arn !== owned.providerArn),
        providerNotIndexed: taggedButUnlisted(owned.providerArn, owned.providerTags, providers),
        strayDocuments: documents.filter((r) => !declared.has(r.arn)),
        documentsNotIndexed: owned.documents.filter((d) => taggedButUnlisted(d.arn, d.tags, documents)).map((d) => d.arn),
    };
}

;// CONCATENATED MODULE: ./src/report/summary.ts
/** The run, as Markdown for the job summary and the PR comment. Pure: no I/O. */

function escapeHtml(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;')
        .replace(/\|/g, '&#124;')
        .replace(/\r?\n/g, '<br>');
}
function statusFor(mode, changes) {
    if (changes.length === 0)
        return 'unchanged';
    if (mode === 'plan')
        return 'would change';
    if (mode === 'check')
        return 'drift';
    return changes.some((c) => c.action.startsWith('create-')) ? 'created' : 'updated';
}
/** One row per resource kind, with what was (or would be) done and why. */
function resourceRows(input) {
    return RESOURCES.filter((resource) => input.targets[resource] !== undefined).map((resource) => {
        const title = RESOURCE_TITLES[resource];
        const target = input.targets[resource];
        if (input.skipped.has(resource))
            return { resource: title, target, status: 'skipped', reason: 'skip-teleport is set' };
        const failure = input.failed?.get(resource);
        if (failure)
            return { resource: title, target, status: 'failed', reason: failure };
        const skippedChange = input.notAttempted?.get(resource);
        if (skippedChange && !input.changes.some((c) => c.resource === resource)) {
            return { resource: title, target, status: 'not attempted', reason: skippedChange };
        }
        const refusal = input.refused.get(resource);
        if (refusal)
            return { resource: title, target, status: 'refused', reason: refusal };
        const changes = input.changes.filter((c) => c.resource === resource);
        // The trust policy and tags of a resource created in this run come with its creation.
        const createdWith = input.changes.find((c) => (resource === 'trust-policy' && c.action === 'create-role') || (resource === 'tags' && (c.action === 'create-provider' || c.action === 'create-role')));
        if (changes.length === 0 && createdWith) {
            return { resource: title, target, status: statusFor(input.mode, [createdWith]), reason: `written by ${createdWith.action}` };
        }
        const reason = changes.length > 0 ? changes.map((c) => `${c.action}: ${c.reason}`).join('; ') : (input.unchangedReasons[resource] ?? 'matches the desired state');
        return { resource: title, target, status: statusFor(input.mode, changes), reason };
    });
}
function table(rows) {
    const lines = ['| Resource | Target | Status | Reason |', '| --- | --- | --- | --- |'];
    for (const row of rows) {
        lines.push(`| ${escapeHtml(row.resource)} | <code>${escapeHtml(row.target)}</code> | ${escapeHtml(row.status)} | ${escapeHtml(row.reason)} |`);
    }
    return lines.join('\n');
}
/** A line diff of two JSON values, pretty-printed; enough for a trust policy. */
function jsonDiff(before, after) {
    const a = JSON.stringify(before, null, 2).split('\n');
    const b = JSON.stringify(after, null, 2).split('\n');
    // Longest common subsequence: documents here are small.
    const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
        for (let j = b.length - 1; j >= 0; j--)
            lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    const out = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
        if (i < a.length && j < b.length && a[i] === b[j]) {
            out.push(`  ${a[i++]}`);
            j++;
        }
        else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out.push(`- ${a[i++]}`);
        }
        else {
            out.push(`+ ${b[j++]}`);
        }
    }
    return out.join('\n');
}
function trustPolicyDetails(changes) {
    return changes
        .filter((c) => c.action === 'update-trust-policy')
        .map((c) => `<details><summary>Trust policy of ${escapeHtml(c.target)}: before / after</summary>\n\n<pre>\n${escapeHtml(jsonDiff(c.before, c.after)).replace(/<br>/g, '\n')}\n</pre>\n</details>`);
}
function planJson(changes) {
    return JSON.stringify(changes.map(({ resource, action, target, reason, ...rest }) => ({ resource, action, target, reason, ...rest })));
}
/**
 * GitHub drops a job summary over 1 MiB whole: the report is cut well below that, on a line
 * boundary, saying so. (The PR comment is cut further, to its own limit.)
 */
const SUMMARY_LIMIT = 256 * 1024;
function capLength(markdown) {
    if (markdown.length <= SUMMARY_LIMIT)
        return markdown;
    const note = `\n\n**The report was cut here** (it stays below ${SUMMARY_LIMIT / 1024} KiB); the plan output holds every change.\n`;
    const cut = markdown.lastIndexOf('\n', SUMMARY_LIMIT - note.length);
    return markdown.slice(0, cut) + note;
}
/** A run that stopped before it could report (no credentials, a denied read, an unreachable proxy): what happened and the fix. */
function renderFailure(mode, subject, message, runUrl) {
    const parts = [
        `## Teleport AWS OIDC integration: ${escapeHtml(mode)}`,
        subject,
        '**failed: nothing was changed after this point**',
        escapeHtml(message),
        ...(runUrl ? [`[Workflow run](${runUrl})`] : []),
    ];
    return capLength(parts.join('\n\n') + '\n');
}
/** The Markdown body shared by the job summary and the PR comment. */
function renderReport(report) {
    const parts = [
        `## Teleport AWS OIDC integration: ${escapeHtml(report.destroy && report.mode === 'plan' ? 'plan (destroy)' : report.mode)}`,
        `Integration <code>${escapeHtml(report.integration)}</code> · account <code>${escapeHtml(report.account)}</code> · cluster <code>${escapeHtml(report.cluster)}</code>`,
        `**${escapeHtml(report.verdict)}**`,
        table(report.rows),
        ...trustPolicyDetails(report.changes),
        ...(report.sections ?? []),
    ];
    if (report.changes.length > 0) {
        const list = report.changes.map((c) => `- \`${c.action}\` ${escapeHtml(c.target)}: ${escapeHtml(c.reason)}`).join('\n');
        const title = report.mode === 'apply' ? 'Applied changes' : report.mode === 'destroy' ? 'Deletions made' : report.destroy ? 'Planned deletions' : 'Planned changes';
        parts.push(`<details><summary>${title} (${report.changes.length})</summary>\n\n${list}\n</details>`);
    }
    if (report.runUrl)
        parts.push(`[Workflow run](${report.runUrl})`);
    return capLength(parts.join('\n\n') + '\n');
}

;// CONCATENATED MODULE: ./src/engine/drift.ts
/** Check mode's extra looks: tagged inventory, other roles trusting the provider, OIDC discovery. */









const EXTRA_RESOURCES = {
    inventory: 'Tagged inventory',
    trusting: 'Other roles trusting the provider',
    discovery: 'OIDC discovery',
    consoleRoles: 'Roles tagged for console access',
};
/** Rows shown in plan and apply, where these scans do not run. */
function notScannedRows(settings) {
    const appAccess = settings.features.some((f) => f.key === 'aws-app-access');
    return Object.values(EXTRA_RESOURCES)
        .filter((resource) => appAccess || resource !== EXTRA_RESOURCES.consoleRoles)
        .map((resource) => ({ resource, target: '-', status: 'skipped', reason: 'scanned in check mode only' }));
}
/** The regions input (else the job's region and the partition's home region), plus every region ec2-ssm lists. */
function scanRegions(settings, jobRegion, partition) {
    const base = settings.regions.length > 0 ? settings.regions : [jobRegion, PARTITION_HOME_REGION[partition] ?? jobRegion];
    return [...new Set([...base, ...documentRegions(settings.features, jobRegion)])];
}
const MAX_LISTED = 200;
function inventorySection(resources, regions) {
    const header = `<details><summary>Resources tagged for this integration (${resources.length}, regions ${escapeHtml(regions.join(', '))})</summary>\n\n`;
    if (resources.length === 0)
        return `${header}None found.\n</details>`;
    const lines = ['| Type | ARN | Regions |', '| --- | --- | --- |'];
    for (const r of resources.slice(0, MAX_LISTED))
        lines.push(`| ${escapeHtml(r.type)} | <code>${escapeHtml(r.arn)}</code> | ${escapeHtml(r.regions.join(', '))} |`);
    if (resources.length > MAX_LISTED)
        lines.push(`| … | ${resources.length - MAX_LISTED} more not listed | |`);
    return `${header}${lines.join('\n')}\n</details>`;
}
async function inventory(plan, settings, deps, regions) {
    const resources = await scanTaggedResources(deps.aws, regions, settings.integration, (key, read) => shareable(deps, key, read));
    const verdict = judgeInventory(resources, {
        providerArn: plan.desired.providerArn,
        providerTags: plan.observed.provider?.tags,
        documents: plan.desired.documents.map((d) => ({ arn: d.arn, tags: plan.observed.documents.get(d.region)?.tags })),
        ownershipTags: plan.desired.ownershipTags,
    });
    const findings = [
        ...verdict.strayProviders.map((stray) => ({
            resource: EXTRA_RESOURCES.inventory,
            target: stray.arn,
            message: `OIDC provider ${stray.arn} carries this integration's tags but is not its provider (${plan.desired.providerArn}); ` +
                'it may be left from an old issuer URL. Delete it if nothing uses it, or remove its teleport.dev/* tags.',
        })),
        ...verdict.strayDocuments.map((stray) => ({
            resource: EXTRA_RESOURCES.inventory,
            target: stray.arn,
            message: `SSM document ${stray.arn} carries this integration's tags, but ec2-ssm does not declare it (its region or name is not listed): ` +
                'it was left behind when a region or the document name was dropped. List its region under ec2-ssm regions, or delete it.',
        })),
    ];
    const unlisted = [...(verdict.providerNotIndexed ? ['our provider'] : []), ...verdict.documentsNotIndexed];
    const notes = unlisted.length > 0
        ? ` Tagged correctly but not listed by the index in ${regions.join(', ')} (index lag, or the API does not list it there), not drift: ${unlisted.join(', ')}.`
        : '';
    const row = {
        resource: EXTRA_RESOURCES.inventory,
        target: regions.join(', '),
        status: findings.length > 0 ? 'drift' : 'unchanged',
        reason: `${resources.length} tagged resource(s) found; ${verdict.strayProviders.length} stray OIDC provider(s), ${verdict.strayDocuments.length} stray SSM document(s).${notes}`,
    };
    return { findings, row, section: inventorySection(resources, regions) };
}
async function trusting(plan, settings, deps) {
    const roles = await findTrustingRoles(deps.aws, plan.desired.providerArn, settings.roleName, plan.desired.ownershipTags, (key, read) => shareable(deps, key, read));
    const undeclared = roles.filter((r) => r.sharedWith === undefined);
    const shared = roles.filter((r) => r.sharedWith !== undefined);
    const findings = undeclared.map((role) => ({
        resource: EXTRA_RESOURCES.trusting,
        target: role.arn,
        message: `Role ${role.name} trusts ${plan.desired.providerArn}: Teleport tokens can assume it, and no integration declares it. ` +
            'Remove that statement from its trust policy, or tag the role for the Teleport integration that uses it.',
    }));
    const row = {
        resource: EXTRA_RESOURCES.trusting,
        target: plan.desired.providerArn,
        status: findings.length > 0 ? 'drift' : 'unchanged',
        reason: roles.length === 0
            ? 'no other role trusts the provider'
            : [
                undeclared.length > 0 ? `undeclared: ${undeclared.map((r) => r.name).join(', ')}` : '',
                shared.length > 0 ? `shared with other integrations: ${shared.map((r) => `${r.name} (${r.sharedWith})`).join(', ')}` : '',
            ]
                .filter(Boolean)
                .join('; '),
    };
    return { findings, row };
}
/**
 * aws-app-access: every role tagged teleport.dev/integration=true is one Teleport offers for the
 * console, and assuming it fails unless it trusts the integration role. The declared roles are
 * planned like any resource; this finds the others.
 */
async function consoleRoles(plan, settings, deps) {
    const tagged = await shareable(deps, 'iam:console-roles', () => listTaggedConsoleRoles(deps.aws));
    const declared = new Set(plan.desired.consoleRoles.map((r) => r.name.toLowerCase()));
    const untrusting = tagged.filter((role) => !declared.has(role.name.toLowerCase()) && !trustsIntegrationRole(role.trustPolicy, plan.desired.roleArn, settings.integration));
    const findings = untrusting.map((role) => ({
        resource: EXTRA_RESOURCES.consoleRoles,
        target: role.arn,
        message: `Role ${role.name} is tagged teleport.dev/integration=true, so AWSAppAccess lets the integration assume it, but its trust policy does not trust ${plan.desired.roleArn}: ` +
            'console access to it through this integration fails (AccessDenied on sts:AssumeRole). List it under aws-app-access roles (apply adds the statement), or remove the tag.',
    }));
    const row = {
        resource: EXTRA_RESOURCES.consoleRoles,
        target: `account ${plan.identity.account}`,
        status: findings.length > 0 ? 'drift' : 'unchanged',
        reason: tagged.length === 0
            ? 'no role is tagged teleport.dev/integration=true'
            : `${tagged.length} tagged; ${untrusting.length > 0 ? `not trusting the integration role: ${untrusting.map((r) => r.name).join(', ')}` : 'each trusts the integration role or is declared'}`,
    };
    return { findings, row };
}
async function discovery(plan, deps) {
    const expected = plan.observed.provider ? `https://${plan.observed.provider.url}` : plan.desired.issuerUrl;
    const findings = [];
    const target = `${plan.desired.issuerUrl}/.well-known/openid-configuration`;
    if (plan.observed.chainError)
        findings.push({ resource: EXTRA_RESOURCES.discovery, target, message: plan.observed.chainError });
    try {
        const config = await shareable(deps, `openid-configuration:${plan.desired.issuerUrl}`, () => fetchOpenIdConfiguration(plan.desired.issuerUrl));
        if (config.issuer !== expected) {
            findings.push({
                resource: EXTRA_RESOURCES.discovery,
                target,
                message: `The discovery document says issuer "${config.issuer ?? ''}" but the provider URL is ${expected}: AWS rejects every token. Make the proxy's public address match cluster-url.`,
            });
        }
    }
    catch (error) {
        findings.push({
            resource: EXTRA_RESOURCES.discovery,
            target,
            message: `The OIDC discovery document is unreachable (${(0,errors/* errorMessage */.gJ)(error)}): AWS cannot validate Teleport's tokens. Serve the proxy publicly on 443.`,
        });
    }
    const row = {
        resource: EXTRA_RESOURCES.discovery,
        target,
        status: findings.length > 0 ? 'drift' : 'unchanged',
        reason: findings.length > 0 ? findings.map((f) => f.message).join(' ') : `issuer matches ${expected}`,
    };
    return { findings, row };
}
async function scanForDrift(plan, settings, deps) {
    const regions = scanRegions(settings, deps.aws.region, plan.identity.partition);
    const appAccess = settings.features.some((f) => f.key === 'aws-app-access');
    const [tagged, others, discovered, consoles] = await Promise.all([
        inventory(plan, settings, deps, regions),
        trusting(plan, settings, deps),
        discovery(plan, deps),
        appAccess ? consoleRoles(plan, settings, deps) : undefined,
    ]);
    return {
        findings: [...tagged.findings, ...others.findings, ...discovered.findings, ...(consoles?.findings ?? [])],
        rows: [tagged.row, others.row, discovered.row, ...(consoles ? [consoles.row] : [])],
        sections: [tagged.section],
    };
}

;// CONCATENATED MODULE: ./src/report/features.ts

function actionCount(document) {
    return new Set(policyLines(document)).size;
}
function documentStatus(input, document) {
    const refusal = input.refusedTargets.get(document.arn);
    if (refusal)
        return { status: 'refused', reason: refusal };
    const changes = input.changes.filter((c) => c.resource === 'ssm-document' && c.target === document.arn);
    if (changes.length > 0)
        return { status: statusFor(input.mode, changes), reason: changes.map((c) => `${c.action}: ${c.reason}`).join('; ') };
    return { status: 'unchanged', reason: "Teleport's installer for this cluster (install path masked), tagged for this integration" };
}
function policyStatus(input, policy) {
    if (input.roleRefusal)
        return { status: 'refused', reason: 'the role is not managed by this integration (see the IAM role row)' };
    if (input.policyRefusal)
        return { status: 'refused', reason: input.policyRefusal };
    const changes = input.changes.filter((c) => c.resource === 'role-policy' && 'policyName' in c && c.policyName === policy.name);
    if (changes.length > 0)
        return { status: statusFor(input.mode, changes), reason: changes.map((c) => c.reason).join('; ') };
    if (policy.feature === 'discovery') {
        return { status: 'unchanged', reason: `holds what the discovery matchers need beyond the feature policies (${actionCount(policy.document)} permissions)` };
    }
    return { status: 'unchanged', reason: `matches Teleport's policy (${actionCount(policy.document)} permissions)` };
}
function featureRows(input) {
    if (input.policies.length === 0) {
        return [
            { resource: 'Features', target: '-', status: 'unchanged', reason: 'none declared (features input); inline policies on the role are left as they are' },
        ];
    }
    const rows = [];
    for (const policy of input.policies) {
        const title = policy.feature === 'discovery' ? 'Discovery permissions' : `Feature ${policy.feature}`;
        rows.push({ resource: title, target: `${input.roleArn} (inline policy ${policy.name})`, ...policyStatus(input, policy) });
        if (policy.feature === 'ec2-ssm') {
            for (const document of input.documents)
                rows.push({ resource: `SSM document (${document.region})`, target: document.arn, ...documentStatus(input, document) });
        }
    }
    return rows;
}
/** The `features` output: what each declared feature ended as. */
function featureOutcomes(input) {
    const outcomes = {};
    for (const policy of input.policies) {
        if (policy.feature === 'discovery')
            continue; // reported in the discovery output
        const outcome = { policy: policy.name, status: policyStatus(input, policy).status };
        if (policy.feature === 'ec2-ssm') {
            outcome.documents = Object.fromEntries(input.documents.map((d) => [d.region, documentStatus(input, d).status]));
        }
        if (policy.feature === 'deploy-service') {
            const changes = input.changes.filter((c) => c.resource === 'task-role');
            outcome.taskRole = input.taskRoleRefusal ? 'refused' : changes.length > 0 ? statusFor(input.mode, changes) : 'unchanged';
        }
        outcomes[policy.feature] = outcome;
    }
    return outcomes;
}
const features_text = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value.map(features_text) : [features_text(value)]);
function sortedJson(value) {
    if (Array.isArray(value))
        return `[${value.map(sortedJson).join(',')}]`;
    if (value !== null && typeof value === 'object') {
        return `{${Object.keys(value)
            .sort()
            .map((key) => `${JSON.stringify(key)}:${sortedJson(value[key])}`)
            .join(',')}}`;
    }
    return JSON.stringify(value);
}
/** One line per permission a policy grants: "Allow eks:ListClusters on *", conditions included. */
function policyLines(document) {
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    const lines = statements.flatMap((statement) => {
        const actions = statement.NotAction !== undefined ? list(statement.NotAction).map((a) => `all but ${a}`) : list(statement.Action);
        const resources = statement.NotResource !== undefined ? list(statement.NotResource).map((r) => `all but ${r}`) : list(statement.Resource);
        const condition = statement.Condition !== undefined ? ` if ${sortedJson(statement.Condition)}` : '';
        return actions.flatMap((action) => resources.map((resource) => `${features_text(statement.Effect)} ${action} on ${resource}${condition}`));
    });
    return [...new Set(lines)].sort();
}
/** What a policy change adds and removes, permission by permission. */
function policyDiff(before, after) {
    const old = new Set(before ? policyLines(before) : []);
    const next = new Set(policyLines(after));
    return { added: [...next].filter((line) => !old.has(line)), removed: [...old].filter((line) => !next.has(line)) };
}
/** Collapsible sections with each changed policy's added and removed permissions. */
function policyDiffSections(changes) {
    return changes
        .filter((c) => c.action === 'create-role-policy' || c.action === 'update-role-policy')
        .map((change) => {
        const { added, removed } = policyDiff(change.action === 'update-role-policy' ? change.before : undefined, change.after);
        const verb = change.action === 'create-role-policy' ? 'new' : 'changed';
        const body = [...removed.map((line) => `- ${line}`), ...added.map((line) => `+ ${line}`)].join('\n');
        return (`<details><summary>Inline policy ${escapeHtml(change.policyName)} (${change.feature === 'discovery' ? 'discovery' : `feature ${escapeHtml(change.feature)}`}, ${verb}): ` +
            `${added.length} added, ${removed.length} removed</summary>\n\n<pre>\n${escapeHtml(body).replace(/<br>/g, '\n')}\n</pre>\n</details>`);
    });
}

;// CONCATENATED MODULE: ./src/resources/aws/roles-anywhere/synced-profiles.ts



/** Teleport's filter: a regular expression inside ^...$, else a glob where * is any run of characters. */
function matchesFilter(name, filter) {
    if (filter.startsWith('^') && filter.endsWith('$'))
        return new RegExp(filter).test(name);
    const pattern = filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    return new RegExp(`^${pattern}$`).test(name);
}
const values = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
/** Whether a trust policy lets Roles Anywhere assume the role (an Allow for rolesanywhere.amazonaws.com with sts:AssumeRole). */
function trustsRolesAnywhere(document) {
    return statementsOf(document).some((s) => {
        if (s.Effect !== 'Allow' || s.Principal === null || typeof s.Principal !== 'object' || Array.isArray(s.Principal))
            return false;
        const services = values(s.Principal.Service);
        const actions = values(s.Action).map((a) => (typeof a === 'string' ? a.toLowerCase() : ''));
        return services.includes('rolesanywhere.amazonaws.com') && (actions.includes('sts:assumerole') || actions.includes('sts:*') || actions.includes('*'));
    });
}
async function checkSyncedProfiles(aws, options, share) {
    // The same listing the run's kinds read: no second ListProfiles.
    const all = await listProfiles(aws, share);
    const synced = all.filter((p) => p.enabled === true && p.name !== options.syncProfile && (options.filters.length === 0 || options.filters.some((f) => matchesFilter(p.name, f))));
    const roleArns = [...new Set(synced.flatMap((p) => p.roleArns ?? []))];
    const trusting = new Map(await Promise.all(roleArns.map(async (arn) => {
        const [, , , , account, rest = ''] = arn.split(':');
        // Another account's role is not readable here: said as unchecked, not as drift.
        if (account !== options.account)
            return [arn, undefined];
        // Read once a run, however many entries' synced profiles name it.
        const name = rest.split('/').pop() ?? '';
        const role = await share(`iam:role:${name}`, () => observeRole(aws, name));
        return [arn, role ? trustsRolesAnywhere(role.trustPolicy) : false];
    })));
    const problems = synced.flatMap((profile) => (profile.roleArns ?? [])
        .filter((arn) => trusting.get(arn) === false)
        .map((arn) => ({
        profile: profile.name,
        profileArn: profile.profileArn,
        message: `Profile ${profile.name}, which profile sync shows in Teleport, names role ${arn}, which does not exist or does not trust rolesanywhere.amazonaws.com: ` +
            'a session with that role fails. Add the Roles Anywhere trust statement to the role (sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession), or take it out of the profile.',
    })));
    return { synced: synced.map((p) => p.name), problems };
}

;// CONCATENATED MODULE: ./src/resources/teleport/discovery-health.ts
const field = (object, snake) => {
    if (!object)
        return undefined;
    if (snake in object)
        return object[snake];
    const camel = snake.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    return object[camel];
};
const discovery_health_text = (value) => (typeof value === 'string' && value !== '' ? value : undefined);
/** What to do, per issue type Teleport opens (lib/usertasks descriptions); unknown ones are shown as they are. */
const HINTS = {
    'ec2-ssm-agent-not-registered': 'the instances are not registered with AWS Systems Manager: run the SSM agent on them and give their instance profile AmazonSSMManagedInstanceCore',
    'ec2-ssm-agent-connection-lost': 'their SSM agent stopped reporting: check that it runs and reaches the SSM endpoints',
    'ec2-ssm-unsupported-os': "SSM cannot run Teleport's installer on their operating system (Linux only)",
    'ec2-ssm-script-failure': "the install script failed on them: open the invocation URL in Teleport's user task for the script output",
    'ec2-ssm-invocation-failure': 'SSM could not run the document on them: check that the SSM document exists in that region and that the role may ssm:SendCommand',
    'ec2-perm-org-denied': 'the role may not list the organization: check its policy and the organization settings',
    'eks-agent-not-connecting': 'the Teleport agent installed in the clusters does not connect: check its logs and network path to the proxy',
    'eks-authentication-mode-unsupported': 'the clusters use the ConfigMap authentication mode: switch them to API or API_AND_CONFIG_MAP',
    'eks-cluster-unreachable': 'Teleport cannot reach the clusters: check their endpoint access',
    'eks-missing-endpoint-public-access': 'the clusters have no public endpoint: enable public access or enroll them another way',
    'eks-status-not-active': 'the clusters are not ACTIVE',
    'rds-iam-auth-disabled': 'IAM authentication is off on the databases: enable it',
    'rds-failed-to-list': 'the role may not list the databases: check the rds feature policy',
};
/** Every item (instance, cluster, database) a task names, and the kind name for the message. */
function affectedOf(spec) {
    for (const [key, itemsKey, what] of [
        ['discover_ec2', 'instances', 'instance'],
        ['discover_eks', 'clusters', 'cluster'],
        ['discover_rds', 'databases', 'database'],
    ]) {
        const part = field(spec, key);
        if (part) {
            const items = field(part, itemsKey);
            return { count: Object.keys(items ?? {}).length, what, region: discovery_health_text(field(part, 'region')) };
        }
    }
    return { count: 0, what: 'resource', region: undefined };
}
const STATE_PREFIX = 'DISCOVERY_CONFIG_STATE_';
function discoveryHealth(config, tasks, integration, group) {
    const problems = [];
    const status = config?.status;
    const rawState = discovery_health_text(status?.state) ?? `${STATE_PREFIX}UNSPECIFIED`;
    const state = config ? rawState.replace(STATE_PREFIX, '') : 'missing';
    const errorMessage = discovery_health_text(status?.error_message);
    if (config && state === 'ERROR') {
        problems.push({ kind: 'state', message: `discovery_config ${config.metadata.name} is in ERROR: ${errorMessage ?? 'no message'}` });
    }
    else if (config && state === 'UNSPECIFIED') {
        problems.push({
            kind: 'state',
            message: `No Discovery Service of group "${group}" has reported on discovery_config ${config.metadata.name}: run one with discovery_service.discovery_group: "${group}" ` +
                '(Teleport Cloud runs one in cloud-discovery-group), or correct group.',
        });
    }
    const counts = status?.integration_discovered_resources?.[integration] ?? {};
    const byIssue = new Map();
    for (const task of tasks) {
        const spec = task.spec ?? {};
        if (field(spec, 'integration') !== integration || (discovery_health_text(field(spec, 'state')) ?? '').toUpperCase() !== 'OPEN')
            continue;
        const issueType = discovery_health_text(field(spec, 'issue_type')) ?? 'unknown';
        const affected = affectedOf(spec);
        const entry = byIssue.get(issueType) ?? {
            issueType,
            taskType: discovery_health_text(field(spec, 'task_type')) ?? 'unknown',
            affected: 0,
            what: affected.what,
            regions: [],
            tasks: 0,
            hint: HINTS[issueType] ?? `see the ${discovery_health_text(field(spec, 'task_type')) ?? 'discovery'} task in Teleport's web UI`,
        };
        entry.affected += affected.count;
        entry.tasks += 1;
        if (affected.region && !entry.regions.includes(affected.region))
            entry.regions.push(affected.region);
        byIssue.set(issueType, entry);
    }
    const openTasks = [...byIssue.values()].sort((a, b) => a.issueType.localeCompare(b.issueType));
    for (const task of openTasks) {
        const where = task.regions.length > 0 ? ` in ${task.regions.sort().join(', ')}` : '';
        problems.push({
            kind: task.issueType,
            message: `${task.issueType}: ${task.affected} ${task.what}${task.affected === 1 ? '' : 's'}${where} (${task.tasks} open user task${task.tasks === 1 ? '' : 's'}): ${task.hint}.`,
        });
    }
    return { state, errorMessage, lastSync: discovery_health_text(status?.last_sync_time), counts, openTasks, problems };
}

;// CONCATENATED MODULE: ./src/resources/aws/organization/coverage.ts

/** The management account's own role: written and read only from the management account itself. */
function managementProblem(covered, desired) {
    if (covered === false)
        return 'missing';
    if (covered === undefined && desired.stackSet)
        return 'not checked';
    return undefined;
}
/** Every account in scope the StackSet left without a current member role, with AWS's reason (management and pending ones apart). */
function uncoveredAccounts(desired, observed, coverage) {
    const instances = instancesByAccount(observed.instances, desired.stackSet?.region);
    return coverage.units.flatMap((unit) => [...unit.problems]
        .filter(([problem]) => problem !== 'PENDING' && problem !== 'not checked')
        .flatMap(([problem, accounts]) => accounts
        .filter((account) => account !== observed.identity.managementAccount)
        .map((account) => ({ account, unit: unit.unit, problem, reason: instances.get(account)?.statusReason || PROBLEM_REASONS[problem] }))));
}
const PROBLEM_REASONS = {
    missing: 'no stack instance',
    FAILED: 'the stack failed (no reason given)',
    OUTDATED: 'the last operation did not reach it',
    INOPERABLE: 'a deletion failed and left the stack unstable',
    PENDING: 'an operation is deploying it',
    DRIFTED: 'the member role was changed inside the account',
    'not checked': 'not checked from a delegated administrator',
};
function organizationCoverage(desired, observed) {
    const scope = observed.scoped;
    const management = observed.identity.managementAccount;
    const region = desired.stackSet?.region;
    const instances = instancesByAccount(observed.instances, region);
    const units = new Map();
    const managementInScope = scope.managementInScope;
    const managementCovered = managementInScope && desired.writesManagementRole ? observed.managementRole !== undefined : undefined;
    for (const account of scope.inScope) {
        const unit = observed.tree.units.get(account.parent);
        const row = units.get(account.parent) ?? {
            unit: account.parent,
            name: unit?.name ?? account.parent,
            inScope: 0,
            covered: 0,
            problems: new Map(),
        };
        units.set(account.parent, row);
        row.inScope++;
        const problem = account.id === management ? managementProblem(managementCovered, desired) : desired.stackSet ? instanceProblem(instances.get(account.id)) : undefined;
        if (problem === undefined) {
            row.covered++;
        }
        else {
            const accounts = row.problems.get(problem) ?? [];
            accounts.push(account.id);
            row.problems.set(problem, accounts);
        }
    }
    // Suspended accounts in scope keep whatever they have: only accounts the scope leaves out are "outside", as apply sees them.
    const kept = [...scope.inScope, ...scope.suspended].filter((a) => a.id !== management).map((a) => a.id);
    const parentOf = new Map(observed.tree.accounts.map((a) => [a.id, a.parent]));
    const outside = instancesOutside(instances, kept, observed.tree).map((account) => ({ account, unit: parentOf.get(account) }));
    const rows = [...units.values()].sort((a, b) => a.name.localeCompare(b.name));
    return {
        units: rows,
        inScope: scope.inScope.length,
        covered: rows.reduce((n, r) => n + r.covered, 0),
        suspended: scope.suspended,
        outside,
        management: { inScope: managementInScope, covered: managementCovered },
        verified: desired.stackSet !== undefined,
    };
}

;// CONCATENATED MODULE: ./src/report/organization-diagram.ts
/** More units than this and only the ones with a problem are drawn. */
const DIAGRAM_UNITS = 40;
const CLASSES = {
    covered: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
    missing: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328',
    pending: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328',
    unverified: 'fill:#eaeef2,stroke:#57606a,color:#1f2328',
    path: 'fill:#ffffff,stroke:#8c959f,color:#57606a',
};
/** Text inside a quoted Mermaid label: its entity codes for what would end or break the label. */
function label(text) {
    return text.replace(/[#"<>&]/g, (c) => ({ '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;' })[c]);
}
function colourOf(row, verified) {
    if (!verified)
        return 'unverified';
    const problems = [...row.problems.keys()];
    if (problems.some((p) => p !== 'PENDING' && p !== 'not checked'))
        return 'missing';
    if (problems.length > 0)
        return 'pending';
    return 'covered';
}
function describeUnit(row, verified) {
    const counts = verified ? `${row.covered} of ${row.inScope} covered` : `${row.inScope} in scope, not verified`;
    const problems = [...row.problems].map(([problem, accounts]) => `${accounts.length} ${problem}`);
    return [`${label(row.name)}`, label(row.unit), counts, ...problems.map(label)].join('<br/>');
}
function organizationDiagram(coverage, tree) {
    const rows = new Map(coverage.units.map((row) => [row.unit, row]));
    const troubled = coverage.units.filter((row) => colourOf(row, coverage.verified) !== 'covered');
    const shown = coverage.units.length > DIAGRAM_UNITS ? troubled.slice(0, DIAGRAM_UNITS) : coverage.units;
    const drawn = new Set();
    // Each shown unit with the units above it, so the boxes hang where they are in the organization.
    for (const row of shown) {
        for (let id = row.unit; id && !drawn.has(id); id = tree.units.get(id)?.parent)
            drawn.add(id);
    }
    const ids = new Map([...drawn].map((unit, index) => [unit, `u${index}`]));
    const lines = ['```mermaid', 'flowchart TB'];
    for (const unit of drawn) {
        const row = rows.get(unit);
        const node = tree.units.get(unit);
        const colour = row && shown.includes(row) ? colourOf(row, coverage.verified) : 'path';
        const text = row && shown.includes(row) ? describeUnit(row, coverage.verified) : [label(node?.name ?? unit), label(unit)].join('<br/>');
        lines.push(`  ${ids.get(unit)}["${text}"]:::${colour}`);
    }
    for (const unit of drawn) {
        const parent = tree.units.get(unit)?.parent;
        if (parent && ids.has(parent))
            lines.push(`  ${ids.get(parent)} --> ${ids.get(unit)}`);
    }
    const rest = coverage.units.length - shown.length;
    if (rest > 0) {
        const troubledRest = troubled.length - troubled.filter((row) => shown.includes(row)).length;
        lines.push(troubledRest > 0
            ? `  rest["and ${rest} more units, ${troubledRest} of them with a problem (see the table)"]:::missing`
            : `  rest["and ${rest} more units, every account covered"]:::covered`);
    }
    for (const [name, style] of Object.entries(CLASSES))
        lines.push(`  classDef ${name} ${style}`);
    lines.push('```');
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/report/organization.ts




/** Long tables stop here, with a count of the rest. */
const CAP = 20;
const PROBLEM_WORDS = {
    missing: 'no member role (no stack instance)',
    FAILED: 'a FAILED stack instance',
    OUTDATED: 'an OUTDATED stack instance (the template changed and the update did not reach it)',
    INOPERABLE: 'an INOPERABLE stack instance (delete it with "Retain stacks" on, delete the role it leaves, then apply)',
    DRIFTED: 'a member role changed inside the account since it was deployed (StackSet drift detection: DRIFTED)',
};
/** What to do about an account AWS failed, from AWS's reason (CloudFormation's StackSets troubleshooting guide). */
function failureHint(reason, memberRole) {
    if (/already exists/i.test(reason)) {
        return `a role named ${memberRole} already exists there (made by hand, or retained when the account moved between units): delete it in that account, then apply again`;
    }
    if (/AccessDenied|not authorized|explicit deny|service control polic|SCP/i.test(reason) && !/sts:AssumeRole|execution role/i.test(reason)) {
        return "an SCP or permissions boundary denies the IAM writes (iam:CreateRole, iam:PutRolePolicy, iam:TagRole) to the StackSets execution role: allow them in that unit's SCPs, then apply again";
    }
    if (/stacksets-exec|execution role|AWSCloudFormationStackSetExecutionRole|assume/i.test(reason)) {
        return 'CloudFormation could not use its execution role in the account (stacksets-exec-*, made by trusted access): an SCP may deny sts:AssumeRole to it, or trusted access must be re-enabled; then apply again';
    }
    if (/suspend/i.test(reason))
        return 'the account is suspended: nothing to do until it is active again';
    return "see the stack's events in that account (CloudFormation console, StackSets, the stack set's instances), fix the cause, then apply again";
}
/** Apply's failure when accounts in scope are left without a current member role. */
function uncoveredMessage(accounts, stackSet, memberRole) {
    const groups = accountsByReason(accounts);
    return (`${text_count(accounts.length, 'account')} in scope ${accounts.length === 1 ? 'is' : 'are'} left without a current member role by StackSet ${stackSet}: ` +
        groups.map((g) => `${capped(g.accounts, 10)} (${g.reason}: ${failureHint(g.reason, memberRole)})`).join('; ') +
        '. The next apply deploys only these accounts again.');
}
/** The same as a table for the job summary. */
function uncoveredSection(accounts, memberRole) {
    const lines = ['### Accounts without a member role', '', '| Accounts | AWS says | What to do |', '| --- | --- | --- |'];
    for (const group of accountsByReason(accounts).slice(0, CAP)) {
        lines.push(`| ${escapeHtml(capped(group.accounts, 10))} | ${escapeHtml(group.reason)} | ${escapeHtml(failureHint(group.reason, memberRole))} |`);
    }
    return lines.join('\n');
}
/** Check: one finding per unit and problem (never one per account: an organization has thousands). */
function coverageFindings(coverage, organizationId, management, uncovered = [], detection) {
    if (!coverage.verified)
        return [];
    const findings = [];
    const reasonOf = new Map(uncovered.map((u) => [u.account, u.reason]));
    for (const unit of coverage.units) {
        for (const [problem, all] of unit.problems) {
            // A deployment under way, or the management account seen from a delegated administrator: said in the table, not drift.
            if (problem === 'PENDING' || problem === 'not checked')
                continue;
            // The management account's own role is planned like any resource: its change is the finding.
            const accounts = all.filter((a) => a !== management);
            if (accounts.length === 0)
                continue;
            findings.push({
                resource: `Member role: ${problem}`,
                target: `${unit.name} (${unit.unit})`,
                message: `${text_count(accounts.length, 'account')} in unit ${unit.name} (${unit.unit}) of organization ${organizationId} ${accounts.length === 1 ? 'has' : 'have'} ${PROBLEM_WORDS[problem]}: ` +
                    `${problem === 'FAILED' || problem === 'OUTDATED' ? byReason(accounts, reasonOf) : problem === 'DRIFTED' ? withDetails(accounts, detection) : capped(accounts)}. ` +
                    `Discovery cannot ${problem === 'DRIFTED' ? 'rely on' : 'reach'} ${accounts.length === 1 ? 'it' : 'them'}.${problem === 'INOPERABLE' ? '' : ' Run this action with mode: apply to repair it.'}`,
            });
        }
    }
    if (coverage.outside.length > 0) {
        findings.push({
            resource: 'Member role: outside the scope',
            target: `organization ${organizationId}`,
            message: `${text_count(coverage.outside.length, 'account')} outside discovery's scope still ${coverage.outside.length === 1 ? 'has' : 'have'} the member role: ` +
                `${capped(coverage.outside.map((o) => `${o.account}${o.unit ? ` (${o.unit})` : ''}`))}. Run this action with mode: apply to remove it.`,
        });
    }
    return findings;
}
function byReason(accounts, reasonOf) {
    return accountsByReason(accounts.map((account) => ({ account, reason: reasonOf.get(account) ?? 'no reason given' })))
        .map((g) => `${capped(g.accounts, 10)} (AWS: ${g.reason})`)
        .join('; ');
}
/** Drifted accounts, the first few with what differs (ListStackInstanceResourceDrifts). */
function withDetails(accounts, detection) {
    return capped(accounts.map((account) => {
        const details = detection?.details.get(account);
        return details && details.length > 0 ? `${account} (${details.join(', ')})` : account;
    }));
}
/** Check: when member roles were last compared with the template inside their accounts. */
function driftDetectionNote(detection, now) {
    if (!detection) {
        return 'The StackSet has never run drift detection: a member role edited or deleted inside its account is not seen until one runs (detect-drift: true on a scheduled check).';
    }
    if (detection.ranNow)
        return undefined;
    if (!detection.ended)
        return undefined;
    const days = Math.floor((now.getTime() - detection.ended.getTime()) / 86_400_000);
    if (days < 1)
        return undefined;
    return `The StackSet's last drift detection ended ${text_count(days, 'day')} ago (${detection.ended.toISOString()}): member roles changed since are not seen. Run a check with detect-drift: true.`;
}
/** Check says drift; plan says what apply would change. */
function coverageRow(coverage, organizationId, mode) {
    const target = `organization ${organizationId}`;
    if (!coverage.verified) {
        return {
            resource: 'Organization coverage',
            target,
            status: 'skipped',
            reason: `${text_count(coverage.inScope, 'account')} in scope; rollout: none, so whether each has the member role is not verified here`,
        };
    }
    const missing = coverage.inScope - coverage.covered;
    const suspended = coverage.suspended.length > 0 ? `; ${coverage.suspended.length} suspended (noted, not drift)` : '';
    return {
        resource: 'Organization coverage',
        target,
        status: missing === 0 && coverage.outside.length === 0 ? 'healthy' : mode === 'check' ? 'drift' : 'would change',
        reason: `${coverage.covered} of ${text_count(coverage.inScope, 'account')} in scope ${coverage.covered === 1 ? 'has' : 'have'} a current member role${missing > 0 ? `; ${missing} ${missing === 1 ? 'does' : 'do'} not` : ''}${coverage.outside.length > 0 ? `; ${coverage.outside.length} outside the scope have one` : ''}${suspended}`,
    };
}
/** The coverage table: accounts in scope, covered, the others by unit; long lists capped with a count. */
function coverageSection(coverage, organizationId, changes = [], tree) {
    const lines = [`### Organization ${escapeHtml(organizationId)}`, ''];
    if (tree && coverage.units.length > 0)
        lines.push(organizationDiagram(coverage, tree), '');
    if (!coverage.verified) {
        lines.push(`${text_count(coverage.inScope, 'account')} in scope. Rollout is \`none\`: member roles are made another way, so coverage is not verified here.`);
    }
    lines.push('| Unit | Accounts in scope | Covered | Not covered |', '| --- | ---: | ---: | --- |');
    const shown = coverage.units.slice(0, CAP);
    for (const unit of shown) {
        const others = [...unit.problems].map(([problem, accounts]) => `${problem}: ${capped(accounts, 10)}`).join('; ');
        lines.push(`| ${escapeHtml(unit.name)} (<code>${escapeHtml(unit.unit)}</code>) | ${unit.inScope} | ${coverage.verified ? unit.covered : 'not verified'} | ${escapeHtml(others) || '–'} |`);
    }
    if (coverage.units.length > shown.length)
        lines.push(`| and ${coverage.units.length - shown.length} more units | | | |`);
    lines.push(`| **Total** | **${coverage.inScope}** | **${coverage.verified ? coverage.covered : 'not verified'}** | |`);
    if (coverage.management.inScope && coverage.management.covered === undefined && coverage.verified) {
        lines.push('', "The management account is in scope, but this run is a delegated administrator's: a StackSet never deploys to the management account, " +
            'and its member role can be written and checked only from there (run the workflow there once, or make the role from policies/member-role.template.json).');
    }
    if (coverage.suspended.length > 0) {
        lines.push('', `Suspended or closing, noted and not drift: ${escapeHtml(capped(coverage.suspended.map((a) => a.id)))}.`);
    }
    if (coverage.outside.length > 0) {
        lines.push('', `Outside the scope but with the member role: ${escapeHtml(capped(coverage.outside.map((o) => o.account)))}.`);
    }
    const gain = changes.flatMap((c) => (c.action === 'create-stack-instances' ? c.accounts : []));
    const lose = changes.flatMap((c) => (c.action === 'remove-stack-instances' ? c.accounts : []));
    if (gain.length > 0)
        lines.push('', `Would gain the member role: ${escapeHtml(capped(gain))}.`);
    if (lose.length > 0)
        lines.push('', `Would lose the member role: ${escapeHtml(capped(lose))}.`);
    const own = changes.find((c) => c.action === 'create-member-role' || c.action === 'update-member-role');
    if (own)
        lines.push('', `The management account's own member role would be ${own.action === 'create-member-role' ? 'created' : 'repaired'} directly.`);
    const template = changes.find((c) => c.action === 'update-stack-set' || c.action === 'create-stack-set');
    if (template?.action === 'update-stack-set') {
        lines.push('', `StackSet: ${escapeHtml(template.fields.map((f) => `${f.field} (live: ${f.live})`).join('; '))}.`);
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/report/discovery.ts

const isTeleportDiscoveryChange = (c) => c.action === 'create-discovery-config' || c.action === 'update-discovery-config' || c.action === 'create-join-token' || c.action === 'update-join-token';
function fieldTable(fields) {
    const lines = ['| Field | Live | Declared |', '| --- | --- | --- |'];
    for (const f of fields)
        lines.push(`| <code>${escapeHtml(f.field)}</code> | ${escapeHtml(f.live)} | ${escapeHtml(f.declared)} |`);
    return lines.join('\n');
}
/** One collapsible section per Teleport discovery resource that changes: the fields for an update, the resource for a create. */
function discoveryChangeSections(changes) {
    return changes.filter(isTeleportDiscoveryChange).map((change) => {
        if (change.action === 'update-discovery-config' || change.action === 'update-join-token') {
            const count = `${change.fields.length} field${change.fields.length === 1 ? '' : 's'}`;
            return `<details><summary>${escapeHtml(change.target)}: ${count} to change</summary>\n\n${fieldTable(change.fields)}\n</details>`;
        }
        const body = escapeHtml(JSON.stringify(change.after, null, 2)).replace(/<br>/g, '\n');
        return `<details><summary>${escapeHtml(change.target)}: to create</summary>\n\n<pre>\n${body}\n</pre>\n</details>`;
    });
}
/** With every permission the matchers need already in the feature policies, there is no discovery policy: say so. */
function coveredPermissionsRow(desired, roleArn) {
    // Nothing needed (organization matchers: each account's member role carries the actions): no row.
    if (desired.permissions.policy || desired.permissions.needed.length === 0)
        return undefined;
    const by = desired.permissions.coveredBy.map((c) => `${c.policy} (${c.actions.length})`).join(', ');
    return {
        resource: 'Discovery permissions',
        target: roleArn,
        status: 'unchanged',
        reason: `the ${desired.permissions.needed.length} actions the matchers need are granted by ${by}: no TeleportDiscovery policy needed`,
    };
}
const HEALTH_TITLE = 'Discovery health';
const total = (health, key) => Object.values(health.counts).reduce((n, c) => n + (c[key] ?? 0), 0);
function healthRow(health, desired) {
    const target = `discovery_config/${desired.config.metadata.name}`;
    if (health.state === 'missing')
        return { resource: HEALTH_TITLE, target, status: 'skipped', reason: 'the discovery_config does not exist yet' };
    const counts = `${total(health, 'found')} found, ${total(health, 'enrolled')} enrolled, ${total(health, 'failed')} failed`;
    const reason = health.problems.length === 0
        ? `state ${health.state}; ${counts}; no open user tasks`
        : `state ${health.state}; ${counts}; ${health.problems.map((p) => p.message).join(' ')}`;
    return { resource: HEALTH_TITLE, target, status: health.problems.length > 0 ? 'unhealthy' : 'healthy', reason };
}
/** The health section: state, counts per resource kind, open user tasks with what to do. */
function healthSection(health, desired) {
    const lines = [
        `### ${HEALTH_TITLE}`,
        '',
        `discovery_config <code>${escapeHtml(desired.config.metadata.name)}</code> · group <code>${escapeHtml(desired.group)}</code> · state **${escapeHtml(health.state)}**` +
            (health.lastSync ? ` · last sync ${escapeHtml(health.lastSync)}` : ''),
    ];
    if (health.errorMessage)
        lines.push('', `Error: ${escapeHtml(health.errorMessage)}`);
    const kinds = Object.entries(health.counts);
    if (kinds.length > 0) {
        lines.push('', '| Resources | Found | Enrolled | Failed |', '| --- | --- | --- | --- |');
        for (const [kind, c] of kinds)
            lines.push(`| ${escapeHtml(kind)} | ${c.found ?? 0} | ${c.enrolled ?? 0} | ${c.failed ?? 0} |`);
    }
    else if (health.state !== 'missing') {
        lines.push('', 'Nothing discovered through this integration yet.');
    }
    if (health.openTasks.length > 0) {
        lines.push('', '| Open user task | Affected | Regions | What to do |', '| --- | --- | --- | --- |');
        for (const task of health.openTasks) {
            lines.push(`| <code>${escapeHtml(task.issueType)}</code> | ${task.affected} ${escapeHtml(task.what)}(s) | ${escapeHtml(task.regions.join(', ') || '-')} | ${escapeHtml(task.hint)}. |`);
        }
    }
    else {
        lines.push('', 'No open user tasks for this integration.');
    }
    return lines.join('\n');
}
/** The `discovery` output. */
function discoveryOutcome(mode, desired, changes, refused, health) {
    const statusOf = (target) => refused.has(target)
        ? 'refused'
        : statusFor(mode, changes.filter((c) => c.target === target));
    const policy = desired.permissions.policy;
    const policyChanges = changes.filter((c) => (c.action === 'create-role-policy' || c.action === 'update-role-policy') && c.feature === 'discovery');
    const outcome = {
        'discovery-config': { name: desired.config.metadata.name, status: statusOf(`discovery_config/${desired.config.metadata.name}`) },
        permissions: { policy: policy?.name ?? null, status: statusFor(mode, policyChanges), 'covered-by': desired.permissions.coveredBy.map((c) => c.policy) },
    };
    if (desired.token)
        outcome['join-token'] = { name: desired.token.metadata.name, status: statusOf(`token/${desired.token.metadata.name}`) };
    if (health) {
        outcome.health = {
            state: health.state,
            found: total(health, 'found'),
            enrolled: total(health, 'enrolled'),
            failed: total(health, 'failed'),
            'open-tasks': Object.fromEntries(health.openTasks.map((t) => [t.issueType, t.affected])),
        };
    }
    return outcome;
}

;// CONCATENATED MODULE: ./src/engine/run.ts





















function verdictFor(settings, changes, findings, refused, applyFailed, teleportFailed, healthProblems) {
    if (teleportFailed)
        return `tctl failed${settings.mode === 'apply' ? ` after ${text_count(changes.length, 'AWS change')}` : ''}`;
    if (applyFailed)
        return `apply failed after ${text_count(changes.length, 'change')}`;
    if (settings.mode === 'check') {
        const drift = findings.length === 0 ? 'no drift' : `drift found: ${text_count(findings.length, 'difference')}`;
        const what = settings.rolesAnywhere ? 'profile sync' : 'discovery';
        return healthProblems > 0 ? `${drift}; ${what} unhealthy: ${text_count(healthProblems, 'problem')}` : drift;
    }
    if (refused)
        return 'refused: nothing was changed';
    if (settings.mode === 'apply')
        return changes.length === 0 ? 'no changes: everything matches' : `${text_count(changes.length, 'change')} applied`;
    return changes.length === 0 ? 'no changes' : `${text_count(changes.length, 'change')} to apply`;
}
/** Each kind's rows: what it points at, and why it is unchanged. */
function kindRows(plan, settings) {
    const rows = kindsFor(settings).flatMap((kind) => Object.entries(kind.rows(plan, settings)));
    return {
        targets: Object.fromEntries(rows.map(([resource, row]) => [resource, row.target])),
        unchanged: Object.fromEntries(rows.map(([resource, row]) => [resource, row.unchanged])),
    };
}
function changeAnnotation(change, mode) {
    const title = `${RESOURCE_TITLES[change.resource]}: ${change.action}`;
    if (mode === 'apply')
        return { level: 'notice', title, message: `Applied to ${change.target}: ${change.reason}.` };
    return { level: 'notice', title, message: `Would apply to ${change.target}: ${change.reason}. Merge to run apply.` };
}
/** Coverage findings say these per unit and account: their changes are not findings of their own. */
const COVERAGE_ACTIONS = new Set(['create-stack-instances', 'update-stack-instances', 'redeploy-stack-instances', 'remove-stack-instances']);
function changeFinding(change) {
    // Field by field where the change says (live against declared): the annotation alone tells what was changed.
    const fields = 'fields' in change ? change.fields.map((f) => ` ${f.field}: live ${f.live}; declared ${f.declared}.`).join('') : '';
    return {
        resource: `${RESOURCE_TITLES[change.resource]}: ${change.action}`,
        target: change.target,
        message: `${change.target}: ${change.reason}.${fields} Run this action with mode: apply to repair it.`,
    };
}
/** The step's outputs, the same for every mode. */
function stepOutputs(plan, changes, drift, features, discovery = {}) {
    // An aws-ra integration has no provider; its role is profile sync's.
    const ra = plan.desired.rolesAnywhere;
    return {
        'account-id': plan.identity.account,
        'provider-arn': ra ? '' : plan.desired.providerArn,
        'role-arn': ra ? ra.syncRoleArn : plan.desired.roleArn,
        changes: String(changes.length > 0),
        plan: planJson(changes),
        drift: String(drift),
        features: JSON.stringify(features),
        discovery: JSON.stringify(discovery),
    };
}
/** An aws-ra integration's profile sync, from its status (Teleport syncs every 5 minutes). */
function raHealthProblems(plan) {
    const integration = plan.observed.raIntegration;
    const declared = plan.desired.rolesAnywhere;
    if (!integration || !declared?.resource.spec.aws_ra.profile_sync_config?.enabled)
        return [];
    const problem = profileSyncProblem(integration.status?.aws_ra?.last_profile_sync, new Date());
    return problem ? [{ kind: 'profile sync', message: `Integration ${declared.integration}: ${problem}.` }] : [];
}
async function profileSyncScan(plan, settings, deps) {
    const declaration = settings.rolesAnywhere;
    const { synced, problems: roleProblems } = await checkSyncedProfiles(deps.aws, { syncProfile: declaration.syncProfile, filters: declaration.profileFilters, account: plan.identity.account }, (key, read) => shareable(deps, key, read));
    const profilesRow = {
        resource: 'Profiles Teleport syncs',
        target: declaration.profileFilters.length > 0 ? `profiles matching ${declaration.profileFilters.join(', ')}` : 'every enabled profile',
        status: roleProblems.length > 0 ? 'drift' : 'unchanged',
        reason: synced.length === 0
            ? 'no enabled profile matches: Teleport shows no AWS app through this integration'
            : `${synced.length} profile(s): ${synced.join(', ')}; ${roleProblems.length > 0 ? `${roleProblems.length} role(s) not trusting Roles Anywhere` : 'each role trusts Roles Anywhere'}`,
    };
    const roleFindings = roleProblems.map((p) => ({ resource: 'Profiles Teleport syncs', target: p.profileArn, message: p.message }));
    const problems = raHealthProblems(plan);
    const enabled = plan.desired.rolesAnywhere?.resource.spec.aws_ra.profile_sync_config?.enabled ?? false;
    const last = plan.observed.raIntegration?.status?.aws_ra?.last_profile_sync;
    const row = {
        resource: 'Profile sync (health)',
        target: settings.integration,
        status: !enabled || !plan.observed.raIntegration ? 'skipped' : problems.length > 0 ? 'unhealthy' : 'healthy',
        reason: !enabled
            ? 'profile-sync is off'
            : !plan.observed.raIntegration
                ? 'the integration does not exist yet'
                : problems.length > 0
                    ? problems.map((p) => p.message).join(' ')
                    : `last sync ${last?.end_time ?? '?'}: ${last?.synced_profiles ?? 0} profile(s) synced`,
    };
    return { findings: roleFindings, rows: [row, profilesRow], sections: [] };
}
function undeclaredMessage(policy, roleName) {
    if (policy.olderName) {
        return (`Role ${roleName} carries ${policy.name}, an older name of Teleport's policy for ${policy.feature}, which is declared and written as its current name. ` +
            'This action never removes an inline policy: delete the old one by hand once nothing needs it.');
    }
    return (`Role ${roleName} carries inline policy ${policy.name}, Teleport's policy for feature ${policy.feature}, but features does not declare it ` +
        `(someone enabled it in Teleport's web UI). To keep it in code, add this line to the features input: ${(0,config_features/* featureLine */.z_)(policy.feature)} ` +
        'This action never removes it.');
}
/** Destroy (mode destroy), or its plan (mode plan with destroy: true). */
async function runDestroy(settings, deps, context) {
    const plan = await observeAndPlanDestroy(settings, deps);
    const deleting = settings.mode === 'destroy';
    const annotations = plan.refusals.map((r) => ({
        level: 'error',
        title: `${RESOURCE_TITLES[r.resource]}: refused`,
        message: r.message,
    }));
    let failure = plan.refusals.length > 0 ? plan.refusals.map((r) => r.message).join('\n') : undefined;
    let done = [];
    const sections = [];
    for (const note of plan.notes) {
        annotations.push({ level: 'warning', title: 'Before destroy', message: note });
        sections.push(`**Note:** ${escapeHtml(note)}`);
    }
    if (deleting && !failure) {
        try {
            done = await applyDestroy(plan, settings, deps);
        }
        catch (error) {
            if (!(error instanceof ApplyError))
                throw error;
            done = error.applied;
            failure = error.message;
            sections.push(`**Error:** ${escapeHtml(error.message)}`);
        }
    }
    const changes = deleting ? done : plan.changes;
    for (const change of changes) {
        if (!deleting)
            deps.logger.info(`would ${change.action} ${change.target}: ${change.reason}`);
        annotations.push({
            level: 'notice',
            title: `${RESOURCE_TITLES[change.resource]}: ${change.action}`,
            message: deleting
                ? `Deleted ${change.target}: ${change.reason}.`
                : `Would delete ${change.target}: ${change.reason}. Run mode: destroy with confirm-destroy to delete.`,
        });
    }
    const verdict = plan.refusals.length > 0
        ? 'refused: nothing was deleted'
        : failure
            ? `destroy failed after ${text_count(done.length, 'deletion')}`
            : plan.changes.length === 0
                ? 'nothing to delete: everything is already gone'
                : deleting
                    ? `${text_count(done.length, 'deletion')} made`
                    : `${text_count(plan.changes.length, 'deletion')} to make`;
    const report = {
        mode: settings.mode,
        destroy: true,
        integration: settings.integration,
        account: plan.identity.account,
        cluster: plan.clusterName ?? 'unknown (not given, and the proxy did not answer)',
        rows: destroyRows(plan, deleting ? done : undefined),
        changes,
        sections,
        verdict,
        runUrl: context.runUrl,
    };
    const outputs = stepOutputs(plan, changes, false, {});
    return {
        identity: plan.identity,
        changes,
        findings: [],
        drift: false,
        annotations,
        outputs,
        markdown: renderReport(report),
        report,
        failure,
        complete: true,
    };
}
/**
 * Check mode's look at Teleport's side of discovery: discovery_configs made elsewhere that use
 * the integration (a warning), ours left behind (drift), and the declared one's health.
 */
function scanDiscovery(plan, settings) {
    const annotations = [];
    const rows = [];
    const findings = [];
    const sections = [];
    let health;
    // Made in the web UI, by hand or by another tool: worth knowing (destroy stops on it), never touched.
    for (const config of foreignReferences(plan.observed.discoveryConfigs ?? [], settings.integration)) {
        const message = `discovery_config ${config.metadata.name} uses integration ${settings.integration} but is not managed by this workflow ` +
            '(made in the web UI, by hand or by another tool). It is never changed here; destroy refuses while it exists. Declare it in discovery, or delete it, to settle it.';
        annotations.push({ level: 'warning', title: `discovery_config not in code: ${config.metadata.name}`, message });
        rows.push({
            resource: 'discovery_config (not in code)',
            target: `discovery_config/${config.metadata.name}`,
            status: 'not declared',
            reason: message,
        });
    }
    const discovery = plan.desired.discovery;
    for (const config of strayConfigs(plan.observed.discoveryConfigs ?? [], settings.integration, discovery?.config.metadata.name)) {
        findings.push({
            resource: 'Teleport discovery_config: not declared',
            target: `discovery_config/${config.metadata.name}`,
            message: `discovery_config ${config.metadata.name} was made by this workflow for integration ${settings.integration}, but discovery ` +
                `${discovery ? `now declares ${discovery.config.metadata.name}` : 'is no longer declared'}: it still discovers through the integration. ` +
                'Delete it with tctl rm, or declare it again (apply never deletes it; destroy does).',
        });
    }
    if (discovery && !plan.observed.teleportError) {
        health = discoveryHealth(plan.observed.discoveryConfig, plan.observed.userTasks ?? [], settings.integration, discovery.group);
        const level = settings.failOnUnhealthy ? 'error' : 'warning';
        annotations.push(...health.problems.map((p) => ({ level, title: `Discovery unhealthy: ${p.kind}`, message: p.message })));
        rows.push(healthRow(health, discovery));
        sections.push(healthSection(health, discovery));
    }
    return { annotations, rows, findings, sections, health };
}
/**
 * After apply: the accounts in scope still without a current member role. Read again (the instances,
 * in pages) only when apply wrote to the StackSet; otherwise what was read before holds.
 */
async function accountsLeftUncovered(plan, applied, deps) {
    const desired = plan.desired.organization;
    let observed = plan.observed.organization;
    if (!desired.stackSet)
        return [];
    if (applied.some((c) => c.resource === 'stack-set' || c.resource === 'stack-instances')) {
        const instances = await readStackInstances(deps.aws, stackSetRef(desired.integration, plan.identity, observed.identity.managementAccount));
        observed = { ...observed, instances };
    }
    else if (observed.stackSet === undefined) {
        return [];
    }
    return uncoveredAccounts(desired, observed, organizationCoverage(desired, observed));
}
async function runAction(settings, given, context = {}) {
    // Roles Anywhere answers about one request per family a second: its lists are read once a run,
    // whichever kinds and scans need them (a config run already shares its reads).
    const deps = settings.rolesAnywhere && !given.shared ? { ...given, shared: new SharedReads() } : given;
    if (settings.destroy)
        return runDestroy(settings, deps, context);
    const plan = await observeAndPlan(settings, deps);
    const { targets, unchanged } = kindRows(plan, settings);
    // A kind of several parts (console roles, documents) may refuse more than one: each is said.
    const refused = new Map();
    for (const r of plan.refusals)
        refused.set(r.resource, [refused.get(r.resource), r.message].filter(Boolean).join(' '));
    const annotations = [];
    let changes = plan.changes;
    let failure;
    let applyFailed = false;
    const writeFailed = new Map();
    const notAttempted = new Map();
    let findings = [];
    let extraRows = settings.rolesAnywhere ? [] : notScannedRows(settings);
    const sections = [];
    let health;
    if (settings.mode === 'check') {
        // An aws-ra integration has no provider, role or discovery to scan: its health is profile sync's.
        const scan = settings.rolesAnywhere ? await profileSyncScan(plan, settings, deps) : await scanForDrift(plan, settings, deps);
        findings = [
            ...plan.refusals.map((r) => ({
                resource: `${RESOURCE_TITLES[r.resource]}: ${r.why}`,
                target: r.target ?? targets[r.resource] ?? '',
                message: r.message,
            })),
            ...changes.filter((c) => !COVERAGE_ACTIONS.has(c.action)).map(changeFinding),
            ...scan.findings,
        ];
        extraRows = scan.rows;
        sections.push(...scan.sections);
        const level = settings.failOnUnhealthy ? 'error' : 'warning';
        if (settings.rolesAnywhere)
            annotations.push(...raHealthProblems(plan).map((p) => ({ level, title: 'Profile sync unhealthy', message: p.message })));
        // Someone enabled a feature in Teleport's web UI: worth knowing, but not drift, and never removed.
        for (const policy of settings.rolesAnywhere ? [] : undeclaredTeleportPolicies(plan.observed.rolePolicies.allNames ?? [], plan.desired.rolePolicies)) {
            annotations.push({ level: 'warning', title: `Undeclared feature policy: ${policy.name}`, message: undeclaredMessage(policy, plan.desired.roleName) });
            extraRows.push({
                resource: `Feature ${policy.feature} (not declared)`,
                target: `${plan.desired.roleArn} (inline policy ${policy.name})`,
                status: 'not declared',
                reason: undeclaredMessage(policy, plan.desired.roleName),
            });
        }
        const trustPolicy = plan.observed.role?.trustPolicy;
        const nearQuota = trustPolicy && trustPolicyNearQuota(trustPolicy, settings.trustPolicyQuota, plan.desired.roleName);
        if (nearQuota) {
            annotations.push({ level: 'warning', title: 'Trust policy near its quota', message: nearQuota });
            extraRows.push({ resource: 'Trust policy length', target: plan.desired.roleArn, status: 'near quota', reason: nearQuota });
        }
        const discoveryScan = scanDiscovery(plan, settings);
        findings.push(...discoveryScan.findings);
        annotations.push(...discoveryScan.annotations);
        extraRows.push(...discoveryScan.rows);
        sections.push(...discoveryScan.sections);
        health = discoveryScan.health;
    }
    else {
        for (const refusal of plan.refusals) {
            annotations.push({ level: 'error', title: `${RESOURCE_TITLES[refusal.resource]}: refused`, message: refusal.message });
        }
        if (plan.refusals.length > 0) {
            failure = plan.refusals.map((r) => r.message).join('\n');
            if (settings.mode === 'apply')
                changes = [];
        }
        else if (settings.mode === 'apply') {
            try {
                changes = await applyPlan(plan, settings, deps);
            }
            catch (error) {
                if (!(error instanceof ApplyError))
                    throw error;
                applyFailed = true;
                changes = error.applied;
                failure = error.message;
                writeFailed.set(error.failed.resource, `${error.failed.action}: ${(0,errors/* errorMessage */.gJ)(error.cause)}`);
                for (const change of error.notAttempted) {
                    if (!writeFailed.has(change.resource))
                        notAttempted.set(change.resource, `${change.action}: ${change.reason} (not attempted: an earlier change failed)`);
                }
                sections.push(`**Error:** ${escapeHtml(error.message)}`);
            }
        }
        annotations.push(...changes.map((change) => changeAnnotation(change, settings.mode)));
    }
    // Coverage as read before any write: plan and check only (apply's own changes say what it did).
    const organization = plan.desired.organization;
    if (organization && plan.observed.organization && settings.mode === 'apply' && !applyFailed && plan.refusals.length === 0) {
        const left = await accountsLeftUncovered(plan, changes, deps);
        if (left.length > 0 && organization.stackSet) {
            const message = uncoveredMessage(left, organization.stackSet.name, organization.memberRole.name);
            annotations.push({ level: 'error', title: 'Organization: accounts without a member role', message });
            sections.push(uncoveredSection(left, organization.memberRole.name));
            writeFailed.set('stack-instances', message);
            failure = [failure, message].filter(Boolean).join('\n');
            applyFailed = true;
        }
    }
    if (organization && plan.observed.organization && settings.mode !== 'apply') {
        const observedOrganization = plan.observed.organization;
        const coverage = organizationCoverage(organization, observedOrganization);
        const id = observedOrganization.identity.id;
        if (settings.mode === 'check') {
            const uncovered = uncoveredAccounts(organization, observedOrganization, coverage);
            findings.push(...coverageFindings(coverage, id, observedOrganization.identity.managementAccount, uncovered, observedOrganization.driftDetection));
            const note = organization.stackSet ? driftDetectionNote(observedOrganization.driftDetection, new Date()) : undefined;
            if (note)
                annotations.push({ level: 'notice', title: 'Member roles: drift detection', message: note });
        }
        for (const op of observedOrganization.runningOperations) {
            annotations.push({
                level: 'notice',
                title: 'StackSet operation running',
                message: `${op.action} operation ${op.id} is running on the StackSet: what it deploys is not counted yet, and apply waits for it before writing.`,
            });
        }
        extraRows.push(coverageRow(coverage, id, settings.mode));
        sections.push(coverageSection(coverage, id, settings.mode === 'check' ? [] : changes, observedOrganization.tree));
        if (!coverage.verified) {
            annotations.push({
                level: 'notice',
                title: 'Organization coverage not verified',
                message: `discovery's organization rollout is none: whether each of the ${coverage.inScope} accounts in scope has member role ${organization.memberRole.name} is not checked here.`,
            });
        }
    }
    if (settings.mode !== 'apply') {
        for (const change of changes)
            deps.logger.info(`would ${change.action} ${change.target}: ${change.reason}`);
    }
    const teleportError = plan.observed.teleportError;
    if (teleportError) {
        annotations.push({ level: 'error', title: 'Teleport integration: tctl failed', message: teleportError.message });
        const done = settings.mode === 'apply' && !applyFailed ? 'The AWS side was reconciled; ' : '';
        failure = [failure, `${done}Teleport could not be reached: ${teleportError.message}`].filter(Boolean).join('\n');
    }
    // Drift: in check mode anything found; in plan and apply, a change to something that already existed.
    const drift = settings.mode === 'check' ? findings.length > 0 : changes.some((c) => !c.action.startsWith('create-'));
    if (settings.mode === 'check') {
        const level = settings.failOnDrift ? 'error' : 'warning';
        annotations.push(...findings.map((f) => ({ level, title: `Drift: ${f.resource}`, message: f.message })));
    }
    if (drift && settings.failOnDrift && !failure) {
        failure = `Drift found: ${text_count(findings.length || changes.length, 'difference')} from the declared state; see the job summary.`;
    }
    const healthProblems = [...(health?.problems ?? []), ...(settings.mode === 'check' && settings.rolesAnywhere ? raHealthProblems(plan) : [])];
    if (healthProblems.length > 0 && settings.failOnUnhealthy) {
        const what = settings.rolesAnywhere ? 'Profile sync is unhealthy' : 'Discovery is unhealthy';
        failure = [failure, `${what} (fail-on-unhealthy): ${healthProblems.map((p) => p.message).join(' ')}`].filter(Boolean).join('\n');
    }
    const featureInput = {
        mode: settings.mode,
        roleArn: plan.desired.roleArn,
        policies: plan.desired.rolePolicies,
        documents: plan.desired.documents,
        changes,
        refusedTargets: new Map(plan.refusals.filter((r) => r.target).map((r) => [r.target, r.message])),
        roleRefusal: refused.get('iam-role'),
        policyRefusal: refused.get('role-policy'),
        taskRoleRefusal: refused.get('task-role'),
    };
    const report = {
        mode: settings.mode,
        integration: settings.integration,
        account: plan.identity.account,
        cluster: plan.desired.clusterName,
        rows: [
            ...resourceRows({
                mode: settings.mode,
                changes,
                refused,
                failed: new Map([
                    ...writeFailed,
                    ...(teleportError
                        ? ['teleport-integration', 'teleport-join-token', 'teleport-discovery-config', 'teleport-ra-integration'].map((r) => [r, teleportError.message])
                        : []),
                ]),
                notAttempted,
                targets,
                skipped: new Set(plan.observed.teleportSkipped ? ['teleport-integration'] : []),
                unchangedReasons: unchanged,
            }),
            ...(settings.rolesAnywhere ? [] : featureRows(featureInput)),
            ...(plan.desired.discovery ? [coveredPermissionsRow(plan.desired.discovery, plan.desired.roleArn)].filter((row) => row !== undefined) : []),
            ...extraRows,
        ],
        changes,
        sections: [...policyDiffSections(changes), ...discoveryChangeSections(changes), ...sections],
        verdict: verdictFor(settings, changes, findings, plan.refusals.length > 0, applyFailed, teleportError !== undefined, healthProblems.length),
        runUrl: context.runUrl,
    };
    const discoveryOutput = plan.desired.discovery ? discoveryOutcome(settings.mode, plan.desired.discovery, changes, featureInput.refusedTargets, health) : {};
    const outputs = stepOutputs(plan, changes, drift, featureOutcomes(featureInput), discoveryOutput);
    return {
        identity: plan.identity,
        changes,
        findings,
        drift,
        annotations,
        outputs,
        markdown: renderReport(report),
        report,
        failure,
        complete: teleportError === undefined,
    };
}

;// CONCATENATED MODULE: ./src/engine/run-config.ts








/**
 * How many entries run at once, in every mode. Their IAM calls are bounded by the client itself
 * (16 in flight, halved on throttling: clients/aws.ts), so this only keeps the tctl processes and
 * the log's interleaving in reason; a no-op apply of 20 entries waits for two rounds, not five.
 */
const ENTRY_CONCURRENCY = 16;
/** tctl reads at once when the entries' join tokens must be read one by one (see readTokensAhead). */
const TOKEN_READ_CONCURRENCY = 8;
/** Runs `work` over the items, at most `limit` at once. */
async function pool(items, limit, work) {
    const queue = [...items];
    await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
        for (let item = queue.shift(); item !== undefined; item = queue.shift())
            await work(item);
    }));
}
/**
 * Starts every entry's join token read in the shared reads, before the entries ask: the tokens
 * of one tctl in one call, by name (`tctl get token/<a>,token/<b>`, never a listing: other
 * tokens' names can be secrets). When that call fails (a token not made yet fails it whole, as
 * tctl does), each token is read on its own, a few at a time; a failure there is the entry's to
 * report when it reads its token.
 */
function readTokensAhead(entries, deps, shared) {
    const groups = new Map();
    for (const entry of entries) {
        const tctl = deps.tctlFor(entry);
        const name = joinTokenName(entry.settings);
        if (!tctl || !name || !entry.settings.discovery)
            continue;
        const group = groups.get(tctl.path) ?? { tctl, names: new Set() };
        group.names.add(name);
        groups.set(tctl.path, group);
    }
    const reads = [...groups.values()].flatMap(({ tctl, names }) => {
        const one = new AdaptiveLimit(TOKEN_READ_CONCURRENCY);
        const readOne = (name) => one.run(() => tctl.getOne('token', name), () => false);
        const together = names.size > 1 ? tctl.getMany('token', [...names]).catch(() => undefined) : Promise.resolve(undefined);
        return [...names].map((name) => shared.read(tokenKey(name), () => together.then((found) => (found ? found.find((token) => token.metadata?.name === name) : readOne(name)))));
    });
    return Promise.allSettled(reads);
}
async function runConfig(config, deps, context = {}) {
    const identity = await deps.aws.identity();
    const shared = new SharedReads();
    const outcomes = new Map();
    const mine = [];
    for (const entry of config.entries) {
        if (entry.accountId !== undefined && entry.accountId !== identity.account) {
            outcomes.set(entry, { entry, status: 'skipped', reason: `for account ${entry.accountId}; the credentials are for ${identity.account}` });
        }
        else
            mine.push(entry);
    }
    const runEntry = async (entry) => {
        deps.logger.info(`== ${entry.name}`);
        try {
            const result = await runAction(entry.settings, { aws: deps.aws, logger: deps.logger, tctl: deps.tctlFor(entry), shared }, context);
            outcomes.set(entry, result.failure ? { entry, status: 'failed', result, error: result.failure } : { entry, status: 'done', result });
            // A provider (or a token) this entry changed must be read again by the entries after it.
            if (result.changes.some((c) => c.resource === 'oidc-provider' || c.action === 'tag-provider')) {
                shared.forget(providerKey(`arn:${identity.partition}:iam::${identity.account}:oidc-provider/${entry.settings.issuer.host}`));
            }
            const token = joinTokenName(entry.settings);
            if (token && result.changes.some((c) => c.resource === 'teleport-join-token'))
                shared.forget(tokenKey(token));
        }
        catch (error) {
            outcomes.set(entry, { entry, status: 'failed', result: undefined, error: (0,errors/* errorMessage */.gJ)(error) });
        }
    };
    if (mine.some((entry) => entry.settings.destroy)) {
        // One at a time: whether a shared provider goes depends on the entries destroyed before it.
        await pool(mine, 1, runEntry);
        return { account: identity.account, outcomes: config.entries.map((entry) => outcomes.get(entry)) };
    }
    const firstOfIssuer = new Map();
    for (const entry of mine)
        if (!firstOfIssuer.has(entry.settings.issuer.host))
            firstOfIssuer.set(entry.settings.issuer.host, entry);
    // The provider and the chain each entry would read first, read now (shared, so not twice): an
    // issuer whose provider already has the audience and the served thumbprint needs no provider
    // phase, and its entries all start at once.
    const ready = await Promise.all([...firstOfIssuer.keys()].map(async (host) => {
        const arn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${host}`;
        const [provider, chain] = await Promise.all([
            shared.read(providerKey(arn), () => observeProvider(deps.aws, arn)),
            shared.read(chainKey(host), () => readServedChain(host)).catch(() => undefined),
        ]);
        return provider !== undefined && chain !== undefined && provider.clientIds.includes(AUDIENCE) && provider.thumbprints.includes(chain.thumbprint)
            ? host
            : undefined;
    }));
    const first = [...firstOfIssuer.values()].filter((entry) => !ready.includes(entry.settings.issuer.host));
    const rest = mine.filter((entry) => !first.includes(entry));
    // Every entry's join token is read ahead, several at once, while the entries run a few at a time:
    // an entry then finds its token read (or in flight) instead of waiting for one tctl call after another.
    const tokensRead = readTokensAhead([...first, ...rest], deps, shared);
    await pool(first, ENTRY_CONCURRENCY, runEntry);
    await pool(rest, ENTRY_CONCURRENCY, runEntry);
    await tokensRead;
    return { account: identity.account, outcomes: config.entries.map((entry) => outcomes.get(entry)) };
}

;// CONCATENATED MODULE: ./src/report/overview.ts

function verdict(outcome) {
    if (outcome.status === 'skipped')
        return `skipped: ${outcome.reason}`;
    if (outcome.status === 'failed' && !outcome.result)
        return `failed: ${outcome.error}`;
    return outcome.result.report.verdict;
}
function renderOverview(file, mode, account, outcomes, runUrl) {
    const failed = outcomes.filter((o) => o.status === 'failed').length;
    const skipped = outcomes.filter((o) => o.status === 'skipped').length;
    const lines = [
        `## Teleport AWS OIDC integrations: ${escapeHtml(mode)}`,
        `Config <code>${escapeHtml(file)}</code> · account <code>${escapeHtml(account)}</code>`,
        `**${outcomes.length - skipped} entries run, ${failed} failed, ${skipped} skipped (other accounts)**`,
        '| Entry | Account | Verdict | Changes | Drift |',
        '| --- | --- | --- | --- | --- |',
        ...outcomes.map((o) => {
            const result = o.status === 'skipped' ? undefined : o.result;
            const entryAccount = o.entry.accountId ?? (o.status === 'skipped' ? '-' : account);
            return `| ${escapeHtml(o.entry.name)} | ${escapeHtml(entryAccount)} | ${escapeHtml(verdict(o))} | ${result ? result.changes.length : '-'} | ${result ? (result.drift ? 'yes' : 'no') : '-'} |`;
        }),
    ];
    const sections = outcomes
        .filter((o) => o.status !== 'skipped' && o.result)
        .map((o) => `<details><summary>${escapeHtml(o.entry.name)}: ${escapeHtml(verdict(o))}</summary>\n\n${o.result.markdown}\n</details>`);
    return capLength([lines.slice(0, 3).join('\n\n'), lines.slice(3).join('\n'), ...sections, ...(runUrl ? [`[Workflow run](${runUrl})`] : [])].join('\n\n') + '\n');
}
/** The `results` output: per entry, what it ended as. */
function resultsJson(outcomes) {
    return JSON.stringify(Object.fromEntries(outcomes.map((o) => {
        if (o.status === 'skipped')
            return [o.entry.name, { status: 'skipped', account: o.entry.accountId, reason: o.reason }];
        const outputs = o.result?.outputs;
        return [
            o.entry.name,
            {
                status: o.status,
                account: outputs?.['account-id'],
                'provider-arn': outputs?.['provider-arn'],
                'role-arn': outputs?.['role-arn'],
                changes: o.result ? o.result.changes.map(({ action, target }) => ({ action, target })) : [],
                drift: o.result?.drift ?? false,
                features: outputs ? JSON.parse(outputs.features) : {},
                discovery: outputs?.discovery ? JSON.parse(outputs.discovery) : {},
                ...(o.status === 'failed' ? { error: o.error } : {}),
            },
        ];
    })));
}

// EXTERNAL MODULE: ./src/config/config-file.ts + 2 modules
var config_file = __webpack_require__(8969);
;// CONCATENATED MODULE: ./src/config/config-writer.ts
/**
 * Writes a config file (the `config` input's format, schema/config.schema.json) with the
 * comments a reviewer needs: a header, notes above an entry, and a declaration left commented
 * out below it, indented so that removing `# ` declares it.
 */

const WIDTH = 110;
/** Prose wrapped for a comment; each paragraph keeps its first line flush and indents the rest. */
function wrap(paragraph, indent = '  ') {
    const lines = [];
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
        if (line !== '' && line.length + word.length + 1 > WIDTH) {
            lines.push(line);
            line = indent + word;
        }
        else
            line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '')
        lines.push(line);
    return lines;
}
const config_writer_comment = (lines) => lines.map((line) => ` ${line}`).join('\n');
/** Lists of plain values on one line (`regions: [us-east-1, eu-west-1]`), as people write them. */
function flowScalarLists(doc) {
    (0,dist/* visit */.YR)(doc, {
        Seq(_, node) {
            if (node.items.length > 0 && node.items.every((item) => (0,dist/* isScalar */.jn)(item)))
                node.flow = true;
        },
    });
    return doc;
}
const yamlText = (doc) => flowScalarLists(doc).toString({ nullStr: '', lineWidth: 0, flowCollectionPadding: false });
function renderConfigFile(content) {
    const doc = new dist/* Document */.yo({
        'cluster-url': content.clusterUrl,
        ...(content.clusterName ? { 'cluster-name': content.clusterName } : {}),
        integrations: content.entries.map((e) => e.entry),
    });
    doc.commentBefore = config_writer_comment(content.header.flatMap((line) => (line === '' ? [''] : wrap(line, ''))));
    const items = doc.get('integrations', true).items;
    content.entries.forEach((written, index) => {
        const above = [
            ...written.notes.flatMap((note) => wrap(`Note: ${note}`)),
            ...written.pending.flatMap((change) => wrap(`A plan with this file would still: ${change}`)),
        ];
        if (above.length > 0)
            items[index].commentBefore = config_writer_comment(above);
        const commented = written.commentedDiscovery;
        if (commented) {
            const yaml = yamlText(new dist/* Document */.yo(commented.declaration)).trimEnd().split('\n');
            items[index].comment = config_writer_comment([...wrap(commented.reason), ...yaml]);
        }
    });
    return yamlText(doc);
}

;// CONCATENATED MODULE: ./src/resources/aws/recognise-policy.ts
/**
 * mode import: which feature declaration, if any, a live inline policy on the role is. Teleport's
 * name with Teleport's document; a feature whose parameters live in its document read back from
 * its statements (and kept only when it writes the same document, or Teleport's own form of it,
 * said as a note); anything else said as what it is.
 */



const AUDIT_STORAGE_SIDS = ['ReadWriteSessionsAndEvents', 'AllowAthenaQuery', 'FullAccessOnGlueTable'];
const statementsIn = (document) => (Array.isArray(document.Statement) ? document.Statement : [document.Statement]);
const statementBySid = (document, sid) => statementsIn(document).find((s) => s.Sid === sid);
const resourcesOf = (statement) => statement === undefined ? [] : (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).filter((r) => typeof r === 'string');
function s3Uri(objectArn) {
    const match = /^arn:[\w-]+:s3:::([^/]+)\/(?:(.*)\/)?\*$/.exec(objectArn);
    return match ? { bucket: match[1], prefix: match[2] ?? '' } : undefined;
}
/**
 * External Audit Storage's parameters read back from its policy (its name is the user's
 * choice, so it is known by its statements). The three S3 locations are listed in Teleport's
 * order (recordings, events, results) and deduplicated, so fewer than three means some are
 * shared; the result is kept only when it writes the very same document.
 */
function auditStorageDeclaration(name, document, scope) {
    if (!AUDIT_STORAGE_SIDS.every((sid) => statementBySid(document, sid)))
        return undefined;
    const objects = resourcesOf(statementBySid(document, 'ReadWriteSessionsAndEvents'))
        .map(s3Uri)
        .filter((uri) => uri !== undefined);
    const athena = /^arn:[\w-]+:athena:([\w-]+):\d*:workgroup\/(.+)$/.exec(resourcesOf(statementBySid(document, 'AllowAthenaQuery'))[0] ?? '');
    const [region, workgroup] = [athena?.[1] ?? scope.region, athena?.[2]];
    const table = resourcesOf(statementBySid(document, 'FullAccessOnGlueTable'))
        .map((arn) => /:table\/([^/]+)\/(.+)$/.exec(arn))
        .find(Boolean);
    if (objects.length === 0 || !workgroup || !table)
        return undefined;
    const [sessions, events = sessions, results = events] = objects;
    const declaration = {
        key: 'external-audit-storage',
        params: {
            sessionRecordingsUri: sessions,
            auditEventsUri: events,
            athenaResultsUri: results,
            athenaWorkgroup: workgroup,
            glueDatabase: table[1],
            glueTable: table[2],
            policyName: name,
        },
    };
    return samePolicy(featurePolicy(declaration, { ...scope, region }).document, document) ? { declaration, region } : undefined;
}
/** deploy-service's policy, under any name (Teleport's --policy), known by its two statements: the task role is the one it passes. */
function deployServiceDeclaration(name, document, scope) {
    const passed = resourcesAllowing(document, ['iam:PassRole']);
    const taskRole = passed?.length === 1 ? /^arn:[\w-]+:iam::\d{12}:role\/([\w+=,.@-]+)$/.exec(passed[0])?.[1] : undefined;
    if (taskRole === undefined)
        return undefined;
    const declaration = { key: 'deploy-service', params: { taskRole, policyName: name } };
    return samePolicy(featurePolicy(declaration, scope).document, document) ? declaration : undefined;
}
/** Teleport's fixed-name features without parameters in their documents, and the declaration that writes each. */
const FIXED_NAME_FEATURES = ['ec2-ssm', 'ec2-instance-connect-endpoint', 'eks', 'rds', 'aws-app-access', 'identity-center'].map((key) => key === 'ec2-ssm'
    ? { key, params: { regions: undefined, document: config_features/* DEFAULT_SSM_DOCUMENT */.W4 } }
    : key === 'aws-app-access'
        ? { key, params: { roles: [] } }
        : { key, params: {} });
const actionsOf = (statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((a) => typeof a === 'string');
/** The resources of the statement allowing exactly these actions (in any order), if there is one. */
function resourcesAllowing(document, actions) {
    const wanted = [...actions].sort().join();
    const statement = statementsIn(document).find((s) => s.Effect === 'Allow' && [...new Set(actionsOf(s))].sort().join() === wanted);
    return statement && resourcesOf(statement);
}
/** What Teleport's `access-graph aws-iam` wrote, read back: the bucket statement on the bucket's ARN alone. */
function teleportAccessGraph(sources) {
    const ours = accessGraph(sources);
    const objects = `${sources.cloudTrailBucketArn}/*`;
    const statements = statementsIn(ours).map((s) => Array.isArray(s.Resource) && s.Resource.includes(objects) ? { ...s, Resource: [sources.cloudTrailBucketArn] } : s);
    return { ...ours, Statement: statements };
}
/** Access Graph's event sources read back from its policy (Teleport's or this action's form). */
function accessGraphFrom(document) {
    const queue = resourcesAllowing(document, ACCESS_GRAPH_SQS)?.[0];
    const bucket = resourcesAllowing(document, ACCESS_GRAPH_S3_DOWNLOAD)?.find((arn) => /^arn:[\w-]+:s3:::[^/]+$/.test(arn));
    const match = queue === undefined ? null : /^arn:[\w-]+:sqs:([\w-]+):(\d{12}):(.+)$/.exec(queue);
    if (!match || bucket === undefined)
        return undefined;
    const sources = {
        sqsQueueUrl: `https://sqs.${match[1]}.amazonaws.com/${match[2]}/${match[3]}`,
        cloudTrailBucketArn: bucket,
        kmsKeyArns: resourcesAllowing(document, KMS_DECRYPT) ?? [],
    };
    const declaration = { key: 'access-graph', params: { eventSources: sources } };
    if (samePolicy(accessGraph(sources), document))
        return { declaration };
    if (samePolicy(teleportAccessGraph(sources), document)) {
        return { declaration, note: `it is Teleport's form, whose bucket statement cannot read objects: apply adds ${bucket}/* to it` };
    }
    return undefined;
}
/** Session summaries' model read back from its policy; Teleport's account-bearing foundation-model ARN is read as the model ID it came from. */
function sessionSummariesFrom(document, scope) {
    const resources = resourcesAllowing(document, BEDROCK_INVOKE);
    if (resources?.length !== 1)
        return undefined;
    const [resource] = resources;
    const foundation = /^arn:[\w-]+:bedrock:\*:(\d{12})?:foundation-model\/(.+)$/.exec(resource);
    const declaration = { key: 'session-summaries', params: { model: foundation ? foundation[2] : resource } };
    const wanted = featurePolicy(declaration, scope).document;
    if (samePolicy(wanted, document))
        return { declaration };
    if (foundation?.[1] && samePolicy({ ...wanted, Statement: [{ ...statementsIn(wanted)[0], Resource: [resource] }] }, document)) {
        return {
            declaration,
            note: `its resource is Teleport's form, ${resource}, which no foundation model's ARN matches: apply writes ${bedrockResource(foundation[2], scope.partition)}`,
        };
    }
    return undefined;
}
/**
 * Which feature a live inline policy is: Teleport's name with Teleport's content (compared as
 * apply compares it), or External Audit Storage by its statements. ec2-ssm's document and
 * regions are not in its policy: the caller finds them.
 */
function recognisePolicy(name, document, scope) {
    for (const declaration of FIXED_NAME_FEATURES) {
        const wanted = featurePolicy(declaration, scope);
        if (wanted.name !== name)
            continue;
        return samePolicy(wanted.document, document) ? { kind: 'feature', declaration } : { kind: 'differs', feature: declaration.key };
    }
    const withParameters = name === 'AccessGraphSyncAccess'
        ? {
            feature: 'access-graph',
            found: samePolicy(accessGraph(undefined), document)
                ? { declaration: { key: 'access-graph', params: { eventSources: undefined } } }
                : accessGraphFrom(document),
        }
        : name === SESSION_SUMMARIES_POLICY
            ? { feature: 'session-summaries', found: sessionSummariesFrom(document, scope) }
            : undefined;
    if (withParameters) {
        const { feature, found } = withParameters;
        return found ? { kind: 'feature', ...found } : { kind: 'differs', feature };
    }
    const deploy = deployServiceDeclaration(name, document, scope);
    if (deploy)
        return { kind: 'feature', declaration: deploy };
    const auditStorage = auditStorageDeclaration(name, document, scope);
    if (auditStorage && auditStorage.region !== scope.region)
        return { kind: 'other-region', feature: 'external-audit-storage', region: auditStorage.region };
    if (auditStorage) {
        return {
            kind: 'feature',
            declaration: auditStorage.declaration,
            note: 'its three S3 locations are read back from the policy, where shared ones appear once: check which is which',
        };
    }
    const feature = Object.hasOwn(TELEPORT_POLICY_NAMES, name) ? TELEPORT_POLICY_NAMES[name] : undefined;
    // Teleport's default names of the features whose policy name is the user's: another content, not an older name.
    if (feature === 'external-audit-storage' || feature === 'deploy-service')
        return { kind: 'differs', feature };
    if (feature)
        return { kind: 'older-name', feature };
    return { kind: 'other' };
}

;// CONCATENATED MODULE: ./src/engine/import-entry.ts












function s3Text(uri) {
    return `s3://${uri.bucket}${uri.prefix ? `/${uri.prefix}` : ''}`;
}
/** A feature declaration as the config file's `features` mapping writes it. */
function featureValue(declaration) {
    switch (declaration.key) {
        case 'ec2-ssm': {
            const { regions, document } = declaration.params;
            const params = { ...(regions ? { regions } : {}), ...(document !== config_features/* DEFAULT_SSM_DOCUMENT */.W4 ? { document } : {}) };
            return Object.keys(params).length > 0 ? params : null;
        }
        case 'external-audit-storage': {
            const p = declaration.params;
            return {
                'audit-events-uri': s3Text(p.auditEventsUri),
                'session-recordings-uri': s3Text(p.sessionRecordingsUri),
                'athena-results-uri': s3Text(p.athenaResultsUri),
                'athena-workgroup': p.athenaWorkgroup,
                'glue-database': p.glueDatabase,
                'glue-table': p.glueTable,
                ...(p.policyName !== config_features/* DEFAULT_AUDIT_STORAGE_POLICY */.bW ? { 'policy-name': p.policyName } : {}),
            };
        }
        case 'access-graph': {
            const sources = declaration.params.eventSources;
            if (!sources)
                return null;
            return {
                'sqs-queue-url': sources.sqsQueueUrl,
                'cloudtrail-bucket-arn': sources.cloudTrailBucketArn,
                ...(sources.kmsKeyArns.length > 0 ? { 'kms-key-arns': sources.kmsKeyArns } : {}),
            };
        }
        case 'session-summaries':
            return { model: declaration.params.model };
        case 'deploy-service': {
            const { taskRole, policyName } = declaration.params;
            return { 'task-role': taskRole, ...(policyName !== config_features/* DEFAULT_DEPLOY_SERVICE_POLICY */.Np ? { 'policy-name': policyName } : {}) };
        }
        default:
            return null;
    }
}
/** Tags a person added besides Teleport's, that the entry can declare: IAM's own and Teleport's are not theirs to declare. */
function extraTags(tags) {
    return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('teleport.dev/') && !key.toLowerCase().startsWith('aws:')));
}
/** Keeps the tags present with the same value on every one of `others` as well. */
function commonTags(tags, others) {
    return Object.fromEntries(Object.entries(tags).filter(([key, value]) => others.every((other) => other[key] === value)));
}
/** ec2-ssm's document: where it is kept (and whether one must be adopted), among the regions looked at. */
async function findDocuments(reads, names, regions, integration, notes) {
    const { aws, identity } = reads;
    for (const name of names) {
        const found = await Promise.all(regions.map((region) => observeDocument(aws, region, name, `arn:${identity.partition}:ssm:${region}:${identity.account}:document/${name}`)));
        const present = found.filter((d) => d !== undefined);
        const mine = present.filter((d) => d.tags[INTEGRATION_TAG] === undefined || d.tags[INTEGRATION_TAG] === integration);
        for (const other of present.filter((d) => !mine.includes(d))) {
            notes.push(`SSM document ${name} in ${other.region} is tagged ${INTEGRATION_TAG}=${other.tags[INTEGRATION_TAG]}: that integration's, not declared here.`);
        }
        if (mine.length > 0)
            return { name, documents: mine };
    }
    return undefined;
}
/** The order a person reads an entry in: who, what it may take over, what it grants, then discovery. */
const KEY_ORDER = [
    'integration',
    'role-name',
    'roles-anywhere',
    'account-id',
    'role-description',
    'adopt-existing-role',
    'adopt-existing-provider',
    'adopt-existing-document',
    'features',
    'tags',
    'discovery',
    'adopt-existing-discovery',
];
function inKeyOrder(entry) {
    const rank = (key) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);
    return Object.fromEntries(Object.entries(entry).sort(([a], [b]) => rank(a) - rank(b)));
}
/** One integration's entry from what is live, or why it cannot have one. */
async function readEntry(candidate, reads) {
    const { aws, identity, clusterName, provider } = reads;
    const name = candidate.integration.metadata.name;
    const role = await observeRole(aws, candidate.roleName);
    // The account is pinned: applied with another account's credentials, the entry is skipped, not created there.
    const entry = { integration: name, 'role-name': candidate.roleName, 'account-id': identity.account };
    const notes = [];
    let commentedDiscovery;
    const imported = () => ({ integration: name, roleArn: candidate.roleArn, entry: inKeyOrder(entry), notes, commentedDiscovery, pending: [] });
    if (!role) {
        notes.push(`Role ${candidate.roleName} does not exist: Teleport cannot use this integration, and apply creates the role.`);
        return imported();
    }
    const owner = role.tags[INTEGRATION_TAG];
    if (owner !== undefined && owner !== name) {
        return { integration: name, reason: `its role ${role.name} is tagged ${INTEGRATION_TAG}=${owner}: that integration's; one role per entry` };
    }
    const cluster = role.tags[CLUSTER_TAG];
    if (cluster !== undefined && cluster !== clusterName) {
        return { integration: name, reason: `its role ${role.name} is tagged ${CLUSTER_TAG}=${cluster}, not ${clusterName}: it is another cluster's` };
    }
    if (owner === undefined)
        entry['adopt-existing-role'] = true;
    if (provider && provider.tags[CLUSTER_TAG] === undefined)
        entry['adopt-existing-provider'] = true;
    if (role.description !== inputs/* DEFAULT_ROLE_DESCRIPTION */.uR && role.description !== '')
        entry['role-description'] = role.description;
    const scope = { partition: identity.partition, account: identity.account, region: aws.region };
    const [policyNames, managed] = await Promise.all([listPolicyNames(aws, role.name), listManagedPolicyArns(aws, role.name)]);
    const documents = await Promise.all(policyNames.map(async (policy) => [policy, await readRolePolicy(aws, role.name, policy)]));
    const features = [];
    for (const [policy, document] of documents) {
        if (!document)
            continue;
        const found = recognisePolicy(policy, document, scope);
        if (found.kind === 'feature') {
            features.push(found.declaration);
            if (found.note)
                notes.push(`Feature ${found.declaration.key} (inline policy ${policy}): ${found.note}.`);
        }
        else if (found.kind === 'differs') {
            notes.push(`Inline policy ${policy} is Teleport's for feature ${found.feature} but differs from Teleport's document (changed by hand?): ` +
                `not declared, because apply would rewrite it. Declare ${found.feature} once Teleport's document will do.`);
        }
        else if (found.kind === 'other-region') {
            notes.push(`Inline policy ${policy} is External Audit Storage's for region ${found.region} (its Athena and Glue ARNs), and this action writes it ` +
                `for the job's region (${aws.region}): not declared. Import, plan and apply with AWS_REGION ${found.region} to declare it.`);
        }
        else if (found.kind === 'older-name') {
            notes.push(`Inline policy ${policy} is an older name of Teleport's policy for ${found.feature}: not declared (apply writes the current name). Kept as it is.`);
        }
        else if (policy !== 'TeleportDiscovery') {
            notes.push(`Inline policy ${policy} is not one of Teleport's feature policies: not declared, kept as it is (this action never touches it).`);
        }
    }
    for (const arn of managed)
        notes.push(`Managed policy ${arn} is attached to the role: not declared, kept as it is (this action never attaches or detaches one).`);
    const wanted = teleportTrustStatement(reads.providerArn, reads.settings.issuer.host);
    const extraStatements = statementsOf(role.trustPolicy).filter((statement) => !statementCovers(statement, wanted));
    if (extraStatements.length > 0) {
        notes.push(`The trust policy has ${extraStatements.length} statement(s) besides Teleport's: not declared, and kept by every apply (the trust policy is merged, never replaced).`);
    }
    // Teleport's side of discovery, when it can be declared; otherwise shown beside the entry.
    // This action's own first: it is the one to declare, the others are commented out or noted.
    const ours = (config) => ownershipOf(config.metadata.labels, name) === 'ours';
    const references = (reads.discoveryConfigs ?? []).filter((config) => referencesIntegration(config, name)).sort((a, b) => Number(ours(b)) - Number(ours(a)));
    const ec2SsmDocuments = new Set([config_features/* DEFAULT_SSM_DOCUMENT */.W4]);
    // Where the integration's EC2 matchers enroll, its document is looked for too.
    const documentRegions = new Set(reads.regions);
    for (const matcher of references.flatMap((config) => config.spec?.aws ?? [])) {
        if (matcher?.integration !== name || !(Array.isArray(matcher.types) ? matcher.types : [matcher.types]).includes('ec2'))
            continue;
        for (const region of Array.isArray(matcher.regions) ? matcher.regions : [matcher.regions]) {
            if (typeof region === 'string' && regions/* REGION */.Z.test(region) && (0,regions/* partitionOfRegion */.c)(region) === identity.partition)
                documentRegions.add(region);
        }
    }
    for (const config of references) {
        const found = discoveryDeclarationOf(config, name);
        const where = `discovery_config ${config.metadata.name}`;
        if ('reason' in found) {
            notes.push(`${where} uses this integration but cannot be declared: ${found.reason}. Left as it is.`);
            continue;
        }
        const document = found.declaration['ssm-document'];
        if (typeof document === 'string' && document !== config_features/* AWS_RUN_SHELL_SCRIPT */.fd)
            ec2SsmDocuments.add(document);
        if (ours(config) && entry.discovery === undefined)
            entry.discovery = found.declaration;
        else if (!ours(config) && entry.discovery === undefined && commentedDiscovery === undefined) {
            commentedDiscovery = {
                reason: `${where} was made in the web UI or by hand (it has no labels of this action): declaring it takes it over, ` +
                    'and the first apply writes its labels and the join token. To do that, uncomment these lines:',
                declaration: { discovery: found.declaration, 'adopt-existing-discovery': true },
            };
        }
        else
            notes.push(`${where} also uses this integration: an entry declares one discovery_config, so it is left as it is.`);
    }
    const ec2Ssm = features.find((f) => f.key === 'ec2-ssm');
    const taggedAlike = [];
    if (ec2Ssm) {
        const kept = await findDocuments(reads, [...ec2SsmDocuments], [...documentRegions], name, notes);
        ec2Ssm.params = kept ? { regions: kept.documents.map((d) => d.region), document: kept.name } : { regions: undefined, document: config_features/* AWS_RUN_SHELL_SCRIPT */.fd };
        if (kept?.documents.some((d) => d.tags[INTEGRATION_TAG] === undefined))
            entry['adopt-existing-document'] = true;
        taggedAlike.push(...(kept?.documents.map((d) => d.tags) ?? []));
        if (!kept)
            notes.push(`No SSM document ${[...ec2SsmDocuments].join(' or ')} in ${[...documentRegions].join(', ')}: ec2-ssm is declared with AWS-RunShellScript.`);
    }
    if (features.length > 0)
        entry.features = Object.fromEntries(features.map((f) => [f.key, featureValue(f)]));
    // The EC2 matchers' document is said only where it is not the one discovery would take anyway.
    for (const discovery of [entry.discovery, commentedDiscovery?.declaration.discovery]) {
        if (discovery?.['ssm-document'] === (ec2Ssm ? ec2Ssm.params.document : config_features/* AWS_RUN_SHELL_SCRIPT */.fd))
            delete discovery['ssm-document'];
    }
    // Extra tags go on the role, the provider (when this entry tags it) and the documents: declare those all of them carry.
    if (provider && (provider.tags[INTEGRATION_TAG] ?? name) === name)
        taggedAlike.push(provider.tags);
    const tags = commonTags(extraTags(role.tags), taggedAlike);
    if (Object.keys(tags).length > 0)
        entry.tags = tags;
    return imported();
}

;// CONCATENATED MODULE: ./src/engine/import-ra.ts


/** Every trust anchor and profile of the region by ARN: two lists for however many integrations. */
async function readRaNames(aws) {
    const [anchors, profiles] = await Promise.all([
        allRaPages(aws, 'ListTrustAnchors', '/trustanchors', 'trustAnchors'),
        allRaPages(aws, 'ListProfiles', '/profiles', 'profiles'),
    ]);
    const named = [...anchors.map((a) => ({ name: a.name, arn: a.trustAnchorArn })), ...profiles.map((p) => ({ name: p.name, arn: p.profileArn }))];
    return new Map(named.map((n) => [n.arn, n.name]));
}
const ARN = /^arn:(aws[a-z-]*):(rolesanywhere|iam):([a-z0-9-]*):(\d{12}):(?:trust-anchor|profile|role)\/(.+)$/;
function readRaEntry(integration, names, identity, region) {
    const name = integration.metadata.name;
    const ra = integration.spec?.aws_ra;
    const sync = ra?.profile_sync_config ?? {};
    const anchorArn = ra?.trust_anchor_arn ?? '';
    const anchor = ARN.exec(anchorArn);
    if (!anchor)
        return { integration: name, reason: `its trust_anchor_arn "${anchorArn}" is not a Roles Anywhere trust anchor ARN` };
    if (anchor[4] !== identity.account) {
        return {
            integration: name,
            reason: `its trust anchor is in account ${anchor[4]}, the credentials are for ${identity.account}: import it with that account's`,
        };
    }
    if (anchor[3] !== region)
        return { integration: name, reason: `its trust anchor is in ${anchor[3]}, the job's region is ${region}: import it from a job in ${anchor[3]}` };
    const anchorName = names.get(anchorArn);
    if (!anchorName)
        return { integration: name, reason: `its trust anchor ${anchorArn} does not exist: Teleport cannot use this integration` };
    const profileName = sync.profile_arn ? names.get(sync.profile_arn) : undefined;
    if (sync.profile_arn && !profileName)
        return { integration: name, reason: `its sync profile ${sync.profile_arn} does not exist` };
    const roleName = sync.role_arn ? ARN.exec(sync.role_arn)?.[5] : undefined;
    const declaration = {
        ...(anchorName !== roles_anywhere/* DEFAULT_TRUST_ANCHOR */.Zm ? { 'trust-anchor': anchorName } : {}),
        ...(roleName && roleName !== roles_anywhere/* DEFAULT_SYNC_ROLE */.vl ? { 'sync-role': roleName } : {}),
        ...(profileName && profileName !== roles_anywhere/* DEFAULT_SYNC_PROFILE */.qX ? { 'sync-profile': profileName } : {}),
        ...(sync.enabled === false ? { 'profile-sync': false } : {}),
        ...(sync.profile_accepts_role_session_name ? { 'accept-role-session-name': true } : {}),
        ...((sync.profile_name_filters ?? []).length > 0 ? { 'profile-filters': sync.profile_name_filters } : {}),
    };
    return {
        integration: name,
        roleArn: sync.role_arn ?? `arn:${identity.partition}:iam::${identity.account}:role/${roles_anywhere/* DEFAULT_SYNC_ROLE */.vl}`,
        entry: { integration: name, 'account-id': identity.account, 'roles-anywhere': Object.keys(declaration).length > 0 ? declaration : true },
        notes: [],
        commentedDiscovery: undefined,
        pending: [],
    };
}

;// CONCATENATED MODULE: ./src/engine/import.ts
/**
 * mode import: the config file that declares what is live. Reads every aws-oidc integration
 * whose role is in the caller's account (each one's entry: import-entry.ts); writes nothing
 * anywhere. The file is then planned exactly as the next plan will plan it, so "a plan shows
 * no changes" is checked, not hoped: what would still change is said beside the entry.
 */











/** The policy import's self-check plans each entry with: read-only, like plan mode. */
const PLAN_STEP = (tctlPath) => (name) => (name === 'mode' ? 'plan' : name === 'tctl-path' ? tctlPath : '');
const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;
function import_roleArnOf(integration) {
    const arn = integration.spec?.aws_oidc?.role_arn;
    return typeof arn === 'string' ? arn : '';
}
const isImported = (read) => 'entry' in read;
const isNotImported = (read) => !('entry' in read);
/** Changes the discovery declaration makes: a plan that shows any keeps it commented out instead. */
const isDiscoveryChange = (change) => change.resource === 'teleport-discovery-config' ||
    change.resource === 'teleport-join-token' ||
    ((change.action === 'create-role-policy' || change.action === 'update-role-policy') && change.feature === 'discovery');
/**
 * Member roles made another way (Teleport's Terraform module leaves them to the user): the file
 * declares rollout none, so the first plan creates no StackSet; saying how to switch.
 */
function declareRolloutNone(entry) {
    const matchers = entry.entry.discovery?.matchers ?? [];
    const scoped = matchers.filter((m) => m.organization && m.organization.rollout === undefined);
    if (scoped.length === 0)
        return false;
    for (const matcher of scoped)
        matcher.organization.rollout = 'none';
    entry.notes.push("No StackSet of this action's rolls the member role out: the file declares rollout: none (member roles made another way; coverage not verified). " +
        'Remove it to have apply roll the member role out by StackSet and check coverage (docs/organizations.md).');
    return true;
}
/** The entry as the written file will hold it, parsed by the config file's own rules. */
function parseEntry(entry, { settings }) {
    const text = renderConfigFile({ header: [], clusterUrl: settings.issuer.host, clusterName: settings.clusterName, entries: [entry] });
    try {
        return (0,config_file/* parseConfigFile */.me)(settings.configPath, text, PLAN_STEP(settings.tctlPath)).entries[0];
    }
    catch (error) {
        if (error instanceof errors/* InputErrors */.G)
            return error;
        throw error;
    }
}
/** The discovery declaration, kept as a comment beside the entry instead, with why. */
function keepDiscoveryAsComment(entry, why) {
    const discovery = entry.entry.discovery;
    delete entry.entry.discovery;
    entry.commentedDiscovery = {
        reason: `This action's discovery_config for the integration is not declared: a plan would change it (${why}). To declare it, uncomment:`,
        declaration: { discovery },
    };
}
/**
 * Plans the entry as the next plan will: what it would change becomes `pending`; a declared
 * discovery that would change anything is kept as a comment; an entry the plan refuses, or
 * that does not validate, is not imported.
 */
async function selfCheck(entry, checking) {
    const { deps, shared } = checking;
    for (;;) {
        const parsed = parseEntry(entry, checking);
        if (parsed instanceof errors/* InputErrors */.G) {
            const problem = parsed.errors.map((e) => e.problem).join('; ');
            if (entry.entry.discovery !== undefined) {
                keepDiscoveryAsComment(entry, `it does not validate: ${problem}`);
                continue;
            }
            if (entry.entry.tags !== undefined) {
                entry.notes.push(`The role's extra tags are not declared: ${problem}.`);
                delete entry.entry.tags;
                continue;
            }
            return { integration: entry.integration, reason: `its entry would not validate: ${problem}` };
        }
        let plan;
        try {
            plan = await observeAndPlan(parsed.settings, { aws: deps.aws, tctl: deps.tctl, logger: deps.logger, shared });
        }
        catch (error) {
            if (entry.entry.discovery === undefined)
                throw error;
            keepDiscoveryAsComment(entry, (0,errors/* errorMessage */.gJ)(error));
            continue;
        }
        if (plan.observed.teleportError)
            throw plan.observed.teleportError;
        if (plan.changes.some((c) => c.action === 'create-stack-set') && declareRolloutNone(entry))
            continue;
        const discoveryRefusals = plan.refusals.filter((r) => r.resource === 'teleport-discovery-config' || r.resource === 'teleport-join-token');
        const discoveryChanges = plan.changes.filter(isDiscoveryChange);
        if (entry.entry.discovery !== undefined && discoveryRefusals.length + discoveryChanges.length > 0) {
            keepDiscoveryAsComment(entry, [...discoveryRefusals.map((r) => r.message), ...discoveryChanges.map((c) => `${c.action} ${c.target}: ${c.reason}`)].join('; '));
            continue;
        }
        if (plan.refusals.length > 0)
            return { integration: entry.integration, reason: plan.refusals.map((r) => r.message).join(' ') };
        entry.pending = plan.changes.map((c) => `${c.action} ${c.target}: ${c.reason}`);
        return entry;
    }
}
function header(result, settings, region, now) {
    const { identity, clusterName, entries, notImported, warnings } = result;
    const planned = entries.every((e) => e.pending.length === 0)
        ? 'A plan with this file (run in the same region) shows no changes.'
        : 'A plan with this file (run in the same region) shows no changes, except where an entry says it would.';
    return [
        `Teleport AWS OIDC integrations, written by teleport-aws-oidc-integration-action's mode: import on ${now.toISOString()} ` +
            `from AWS account ${identity.account} (as ${identity.arn}, region ${region}) and Teleport cluster ${clusterName}.`,
        planned,
        'Review it in a pull request; the notes above an entry are what it does not declare. Schema: schema/config.schema.json.',
        ...warnings,
        ...notImported.map((n) => `Not imported: ${n.integration}: ${n.reason}.`),
        ...(settings.integration ? [`Only integration ${settings.integration} was looked at (the integration input).`] : []),
    ];
}
/** Reads what is live and builds the config file that declares it; writes nothing anywhere. */
async function importIntegrations(settings, deps, now = new Date()) {
    const { aws, tctl, logger } = deps;
    const identity = await aws.identity();
    logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
    if (settings.accountId !== undefined && settings.accountId !== identity.account) {
        throw new Error(`The AWS credentials are for account ${identity.account} (${identity.arn}), but account-id is ${settings.accountId}. ` +
            'Nothing was imported. Assume a role in the right account, or correct account-id.');
    }
    // Read through the reads the self-check's plans share, so those plans read none of them again.
    const shared = new SharedReads();
    const [clusterName, integrations, discoveryConfigs] = await Promise.all([
        settings.clusterName ?? shared.read(clusterInfoKey(settings.issuer.url), () => readClusterInfo(settings.issuer.url)).then((info) => info.clusterName),
        shared.read(INTEGRATIONS_KEY, () => tctl.list()),
        shared
            .read(DISCOVERY_CONFIGS_KEY, () => tctl.listAll('discovery_config'))
            .catch((error) => {
            if (error instanceof TctlError)
                return error;
            throw error;
        }),
    ]);
    const warnings = discoveryConfigs instanceof TctlError ? [`discovery_configs were not read (${discoveryConfigs.message.split('.')[0]}): no entry declares discovery.`] : [];
    const awsOidc = integrations.filter((i) => i?.sub_kind === 'aws-oidc').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const awsRa = integrations
        .filter((i) => i?.sub_kind === 'aws-ra' && (settings.integration === undefined || i.metadata.name === settings.integration))
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const importable = [...awsOidc.map((i) => i.metadata.name), ...awsRa.map((i) => i.metadata.name)];
    if (settings.integration !== undefined && !importable.includes(settings.integration)) {
        throw new Error(`Teleport has no aws-oidc or aws-ra integration "${settings.integration}" (it has ${importable.join(', ') || 'none'}). Nothing was imported.`);
    }
    const notImported = [];
    const candidates = [];
    const roleOwners = new Map();
    for (const integration of awsOidc.filter((i) => settings.integration === undefined || i.metadata.name === settings.integration)) {
        const name = integration.metadata.name;
        const roleArn = import_roleArnOf(integration);
        const match = ROLE_ARN.exec(roleArn);
        if (!match) {
            notImported.push({ integration: name, reason: `its role_arn "${roleArn}" is not an IAM role ARN` });
        }
        else if (match[1] !== identity.partition || match[2] !== identity.account) {
            notImported.push({
                integration: name,
                reason: `its role is in account ${match[2]}, the credentials are for ${identity.account}: import it with that account's`,
            });
        }
        else if (roleOwners.has(match[3].toLowerCase())) {
            notImported.push({
                integration: name,
                reason: `it uses role ${match[3]}, as integration ${roleOwners.get(match[3].toLowerCase())} does: one role per entry`,
            });
        }
        else {
            roleOwners.set(match[3].toLowerCase(), name);
            candidates.push({ integration, roleArn, roleName: match[3] });
        }
    }
    const providerArn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
    const regions = settings.regions.length > 0 ? settings.regions : [...new Set([aws.region, PARTITION_HOME_REGION[identity.partition] ?? aws.region])];
    const reads = {
        aws,
        identity,
        clusterName,
        settings,
        provider: candidates.length > 0 ? await shared.read(providerKey(providerArn), () => observeProvider(aws, providerArn)) : undefined,
        providerArn,
        regions,
        discoveryConfigs: discoveryConfigs instanceof TctlError ? undefined : discoveryConfigs,
    };
    // Reads only, like a check: as many at once, IAM's own bound (and its slowing on throttling) in the client.
    const read = [];
    await pool(candidates.map((candidate, index) => ({ candidate, index })), ENTRY_CONCURRENCY, async ({ candidate, index }) => void (read[index] = await readEntry(candidate, reads)));
    // aws-ra integrations: their trust anchor and profile named from the region's two lists.
    if (awsRa.length > 0) {
        const names = await readRaNames(aws);
        read.push(...awsRa.map((integration) => readRaEntry(integration, names, identity, aws.region)));
    }
    const checking = { settings, deps, shared };
    const checked = [];
    const readEntries = read.filter(isImported);
    await pool(readEntries.map((entry, index) => ({ entry, index })), ENTRY_CONCURRENCY, async ({ entry, index }) => void (checked[index] = await selfCheck(entry, checking)));
    notImported.push(...read.filter(isNotImported), ...checked.filter(isNotImported));
    const entries = checked.filter(isImported);
    const result = { identity, clusterName, entries, notImported, regions, warnings };
    const text = renderConfigFile({
        header: header(result, settings, aws.region, now),
        clusterUrl: settings.issuer.host,
        clusterName: settings.clusterName,
        entries,
    });
    // Every entry validated on its own; the whole file must too (names and roles once).
    if (entries.length > 0)
        (0,config_file/* parseConfigFile */.me)(settings.configPath, text, PLAN_STEP(settings.tctlPath));
    return { ...result, text };
}

;// CONCATENATED MODULE: ./src/report/import.ts
/** mode import's job summary: what was imported, what the file does not declare, and the file itself. Pure. */

function import_verdict(result, file) {
    const count = `${result.entries.length} integration${result.entries.length === 1 ? '' : 's'} imported`;
    const skipped = result.notImported.length > 0 ? `, ${result.notImported.length} not imported` : '';
    if (file.status === 'empty')
        return `nothing to import${skipped}: no file written`;
    if (file.status === 'exists')
        return `${count}${skipped}; ${file.path} already exists and was not overwritten: the file is below`;
    return `${count}${skipped} into ${file.path}`;
}
function featuresOf(entry) {
    const features = entry.features;
    return features ? Object.keys(features).join(', ') : '-';
}
function adopted(entry) {
    const flags = Object.keys(entry).filter((key) => key.startsWith('adopt-existing-') && entry[key] === true);
    return flags.length > 0 ? flags.join(', ') : '-';
}
function renderImport(result, file, runUrl) {
    const parts = [
        '## Teleport AWS OIDC integration: import',
        `Account <code>${escapeHtml(result.identity.account)}</code> · cluster <code>${escapeHtml(result.clusterName)}</code> · SSM documents looked for in ${escapeHtml(result.regions.join(', '))}`,
        `**${escapeHtml(import_verdict(result, file))}**`,
    ];
    if (result.warnings.length > 0)
        parts.push(result.warnings.map((w) => `**Warning:** ${escapeHtml(w)}`).join('\n\n'));
    if (result.entries.length > 0) {
        parts.push([
            '| Integration | Role | Features | Adopts | Discovery | A plan would change |',
            '| --- | --- | --- | --- | --- | --- |',
            ...result.entries.map((e) => {
                const discovery = e.entry.discovery ? 'declared' : e.commentedDiscovery ? 'commented out (see below)' : '-';
                return `| ${escapeHtml(e.integration)} | <code>${escapeHtml(e.roleArn)}</code> | ${escapeHtml(featuresOf(e.entry))} | ${escapeHtml(adopted(e.entry))} | ${discovery} | ${e.pending.length === 0 ? 'nothing' : String(e.pending.length)} |`;
            }),
        ].join('\n'));
    }
    const notes = result.entries.flatMap((e) => [
        ...e.notes.map((note) => `- **${escapeHtml(e.integration)}**: ${escapeHtml(note)}`),
        ...(e.commentedDiscovery
            ? [`- **${escapeHtml(e.integration)}**: ${escapeHtml(e.commentedDiscovery.reason)} (the lines are in the file, commented out)`]
            : []),
    ]);
    if (notes.length > 0)
        parts.push(`### Not declared (kept as it is)\n\n${notes.join('\n')}`);
    const pending = result.entries.flatMap((e) => e.pending.map((change) => `- **${escapeHtml(e.integration)}**: ${escapeHtml(change)}`));
    if (pending.length > 0)
        parts.push(`### What a plan with this file would still change\n\n${pending.join('\n')}`);
    if (result.notImported.length > 0) {
        parts.push(`### Not imported\n\n${result.notImported.map((n) => `- **${escapeHtml(n.integration)}**: ${escapeHtml(n.reason)}`).join('\n')}`);
    }
    if (file.status !== 'empty')
        parts.push(`### <code>${escapeHtml(file.path)}</code>\n\n\`\`\`\`yaml\n${result.text.trimEnd()}\n\`\`\`\``);
    if (runUrl)
        parts.push(`[Workflow run](${runUrl})`);
    return capLength(parts.join('\n\n') + '\n');
}

;// CONCATENATED MODULE: ./src/action.ts
/** The GitHub Action: a thin adapter between the runner (@actions/*) and the engine. */















/** tctl through @actions/exec: silent (we log what matters), never throwing on exit codes. */
const execRunner = async (command, args, stdin) => {
    const result = await (0,exec/* getExecOutput */.H)(command, args, {
        input: stdin === undefined ? undefined : Buffer.from(stdin),
        ignoreReturnCode: true,
        silent: true,
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
};
function loggerFor(secrets) {
    return {
        info: (message) => core.info(secrets.redact(message)),
        debug: (message) => core.debug(secrets.redact(message)),
        warning: (message) => core.warning(secrets.redact(message)),
        group: (title) => core.startGroup(secrets.redact(title)),
        endGroup: () => core.endGroup(),
    };
}
/**
 * StackSet operations are polled at AWS's pace; the end-to-end tests shorten it (docs/testing.md).
 * Not an input: users keep AWS's pace.
 */
function operationPollMs() {
    const ms = Number(process.env.TELEPORT_ACTION_TEST_OPERATION_POLL_MS);
    return Number.isInteger(ms) && ms > 0 ? ms : undefined;
}
/** Tests only: the spacing of Roles Anywhere calls (its rate limit's 1,000 ms otherwise). */
function rolesAnywhereIntervalMs() {
    const raw = process.env.TELEPORT_ACTION_TEST_ROLES_ANYWHERE_INTERVAL_MS;
    const ms = Number(raw);
    return raw !== undefined && raw !== '' && Number.isInteger(ms) && ms >= 0 ? ms : undefined;
}
/** The job's region, as configure-aws-credentials exports it. */
function jobRegion() {
    return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
}
/** The run's annotations, at most as many as GitHub shows, secrets redacted. */
function emitAnnotations(annotations, secrets) {
    for (const annotation of capAnnotations(annotations))
        core[annotation.level](secrets.redact(annotation.message), { title: secrets.redact(annotation.title) });
}
function runUrl() {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
    return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
async function commentOnPullRequest(settings, report, token, secrets) {
    const eventName = process.env.GITHUB_EVENT_NAME ?? '';
    if (!PULL_REQUEST_EVENTS.includes(eventName)) {
        core.debug(`no pull-request comment: the event is ${eventName}`);
        return;
    }
    // The GitHub client is loaded only here: most runs never comment.
    const github = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const { payload, repo } = github.context;
    if (!payload.pull_request) {
        core.debug('no pull-request comment: the event has no pull request');
        return;
    }
    if (settings.commentOnPr === 'false')
        return;
    if (settings.commentOnPr === 'changes-only' && !report.somethingToSay) {
        core.info('no pull-request comment: no changes (comment-on-pr: changes-only)');
        return;
    }
    if (!token) {
        core.warning('No pull-request comment: github-token is empty. Leave it at its default (${{ github.token }}) or pass a token.', {
            title: 'Pull-request comment skipped',
        });
        return;
    }
    const marker = (0,comment/* commentMarker */.Ql)(report.label, report.account);
    const body = (0,comment/* truncateComment */.sL)(report.markdown, runUrl(), comment/* COMMENT_LIMIT */.W$ - marker.length - 1);
    try {
        const octokit = github.getOctokit(token);
        const outcome = await (0,comment/* upsertComment */.lB)(octokit, { ...repo, issueNumber: payload.pull_request.number }, marker, body);
        core.info(`pull-request comment ${outcome.action}: ${outcome.url ?? outcome.id}`);
    }
    catch (error) {
        const hint = (0,comment/* isPermissionProblem */.nj)(error)
            ? 'The token may not comment on this pull request (a pull request from a fork gets a read-only token). ' +
                'Give the job `permissions: pull-requests: write`; fork pull requests cannot be commented on with GITHUB_TOKEN.'
            : 'The GitHub API call failed.';
        core.warning(secrets.redact(`Could not write the pull-request comment: ${(0,errors/* errorMessage */.gJ)(error)}. ${hint} The job summary has the full report.`), {
            title: 'Pull-request comment skipped',
        });
    }
}
/** drift-issue: the issue follows the check's verdict; a token or repository that cannot gives a warning, never another verdict. */
async function keepDriftIssue(report, token, secrets) {
    const title = 'Drift issue not updated';
    if (!report.complete) {
        // Partial findings would close an issue, or call differences gone, that are not.
        core.warning('The drift issue was left as it is: the check could not read everything (see the errors above).', { title });
        return;
    }
    if (!token) {
        core.warning('drift-issue is set but github-token is empty: leave it at its default (${{ github.token }}) or pass a token.', { title });
        return;
    }
    const [github, { syncDriftIssue, driftIssueProblem }] = await Promise.all([__webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413)), __webpack_require__.e(/* import() */ 899).then(__webpack_require__.bind(__webpack_require__, 7899))]);
    try {
        const outcome = await syncDriftIssue(github.getOctokit(token), { ...github.context.repo, ...report, report: report.markdown, runUrl: runUrl() });
        if (outcome.action !== 'none')
            core.notice(`Drift issue #${outcome.number} ${outcome.action}: ${outcome.url ?? ''}`, { title: `Drift issue ${outcome.action}` });
        else
            core.info('drift issue: nothing to do (no drift, and no open drift issue)');
    }
    catch (error) {
        const problem = driftIssueProblem(error) ?? 'the GitHub API call failed';
        core.warning(secrets.redact(`Could not update the drift issue: ${problem} (${(0,errors/* errorMessage */.gJ)(error)}). The job summary has the report.`), { title });
    }
}
/**
 * The job summary, or the log where a runner has none (GitHub Enterprise Server before 3.6,
 * local runners): a warning says so, never a failure after everything was reconciled.
 */
async function writeSummary(markdown) {
    let problem;
    if (!process.env.GITHUB_STEP_SUMMARY) {
        problem = 'this runner gives no job summary (GITHUB_STEP_SUMMARY is not set: GitHub Enterprise Server before 3.6, or a local runner)';
    }
    else {
        try {
            await core.summary.addRaw(markdown).write();
            return;
        }
        catch (error) {
            problem = `the job summary could not be written (${(0,errors/* errorMessage */.gJ)(error)})`;
        }
    }
    core.warning(`No job summary: ${problem}. The report follows in the log.`, { title: 'Job summary skipped' });
    core.startGroup('Report');
    core.info(markdown);
    core.endGroup();
}
/** A run that threw: the error annotation and, as for every run, the job summary, both with the fix. */
async function fail(mode, subject, error, secrets) {
    const message = secrets.redact((0,errors/* errorMessage */.gJ)(error));
    await writeSummary(secrets.redact(renderFailure(mode, subject, message, runUrl()))).catch(() => undefined);
    core.setFailed(message);
}
/** Runs with inputs already validated (src/main.ts), so a bad input never loads the AWS SDK. */
async function run(settings, token, secrets) {
    try {
        const logger = loggerFor(secrets);
        const aws = new Aws({
            region: jobRegion(),
            logger,
            mode: settings.mode,
            operationPollMs: operationPollMs(),
            rolesAnywhereIntervalMs: rolesAnywhereIntervalMs(),
        });
        const tctl = settings.skipTeleport ? undefined : new Tctl(settings.tctlPath, execRunner);
        const found = await runAction(settings, { aws, tctl, logger }, { runUrl: runUrl() });
        const result = { ...found, markdown: secrets.redact(found.markdown) };
        for (const [name, value] of Object.entries(result.outputs))
            core.setOutput(name, value);
        emitAnnotations(result.annotations, secrets);
        await writeSummary(result.markdown);
        logger.info(`AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctl?.calls.length ?? 0}`);
        const somethingToSay = result.changes.length > 0 || result.drift;
        await commentOnPullRequest(settings, { label: settings.integration, account: result.identity.account, somethingToSay, markdown: result.markdown }, token, secrets);
        if (settings.driftIssue) {
            const findings = result.findings.map((f) => `${f.resource}: ${f.target}`);
            await keepDriftIssue({
                subject: settings.integration,
                account: result.identity.account,
                drift: result.drift,
                findings,
                markdown: result.markdown,
                complete: result.complete,
            }, token, secrets);
        }
        if (result.failure)
            core.setFailed(secrets.redact(result.failure));
    }
    catch (error) {
        await fail(settings.mode, `Integration <code>${escapeHtml(settings.integration)}</code>`, error, secrets);
    }
}
/** A config file: every entry of the caller's account, one summary, one comment, one verdict. */
async function runConfigFile(config, step, token, secrets) {
    try {
        const logger = loggerFor(secrets);
        const aws = new Aws({
            region: jobRegion(),
            logger,
            mode: step.mode,
            operationPollMs: operationPollMs(),
            rolesAnywhereIntervalMs: rolesAnywhereIntervalMs(),
        });
        const tctls = [];
        const tctlFor = (entry) => {
            if (entry.settings.skipTeleport)
                return undefined;
            const tctl = new Tctl(entry.settings.tctlPath, execRunner);
            tctls.push(tctl);
            return tctl;
        };
        const { account, outcomes } = await runConfig(config, { aws, logger, tctlFor }, { runUrl: runUrl() });
        const markdown = secrets.redact(renderOverview(config.path, step.mode, account, outcomes, runUrl()));
        const results = outcomes.flatMap((o) => (o.status !== 'skipped' && o.result ? [{ name: o.entry.name, result: o.result }] : []));
        const changes = results.flatMap(({ name, result }) => result.changes.map((change) => ({ entry: name, ...change })));
        const drift = results.some(({ result }) => result.drift);
        core.setOutput('results', resultsJson(outcomes));
        core.setOutput('account-id', account);
        core.setOutput('changes', String(changes.length > 0));
        core.setOutput('plan', JSON.stringify(changes));
        core.setOutput('drift', String(drift));
        const annotations = [
            ...results.flatMap(({ name, result }) => result.annotations.map((a) => ({ ...a, title: `[${name}] ${a.title}` }))),
            ...outcomes.flatMap((o) => o.status === 'skipped'
                ? [
                    {
                        level: 'notice',
                        title: `[${o.entry.name}] skipped`,
                        message: `Entry ${o.entry.name} is ${o.reason}: run it with that account's credentials.`,
                    },
                ]
                : o.status === 'failed' && !o.result
                    ? [{ level: 'error', title: `[${o.entry.name}] failed`, message: o.error }]
                    : []),
        ];
        emitAnnotations(annotations, secrets);
        await writeSummary(markdown);
        logger.info(`AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctls.reduce((n, t) => n + t.calls.length, 0)}`);
        await commentOnPullRequest(step, { label: `config ${config.path}`, account, somethingToSay: changes.length > 0 || drift, markdown }, token, secrets);
        if (step.driftIssue) {
            const findings = results.flatMap(({ name, result }) => result.findings.map((f) => `[${name}] ${f.resource}: ${f.target}`));
            const complete = outcomes.every((o) => o.status === 'skipped' || (o.result?.complete ?? false));
            await keepDriftIssue({ subject: `config ${config.path}`, account, drift, findings, markdown, complete }, token, secrets);
        }
        const failed = outcomes.filter((o) => o.status === 'failed');
        if (failed.length > 0) {
            core.setFailed(secrets.redact(`${failed.length} of ${outcomes.length} entries failed:\n${failed.map((o) => `- ${o.entry.name}: ${o.error}`).join('\n')}`));
        }
    }
    catch (error) {
        await fail(step.mode, `Config <code>${escapeHtml(config.path)}</code>`, error, secrets);
    }
}
/**
 * mode import: the file is written in the workspace, never over an existing one (then it is
 * shown in the log and the summary instead); nothing is written anywhere else.
 */
async function runImport(settings, secrets) {
    try {
        const logger = loggerFor(secrets);
        const aws = new Aws({ region: jobRegion(), logger, mode: 'import' });
        const tctl = new Tctl(settings.tctlPath, execRunner);
        const result = await importIntegrations(settings, { aws, tctl, logger });
        const file = external_node_path_default().resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), settings.configPath);
        let outcome = { status: 'empty', path: settings.configPath };
        if (result.entries.length > 0) {
            try {
                (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(file), { recursive: true });
                // 'wx': fails when the file exists, even one made since this run started.
                (0,external_node_fs_.writeFileSync)(file, result.text, { flag: 'wx' });
                outcome = { status: 'written', path: settings.configPath };
            }
            catch (error) {
                if (error.code !== 'EEXIST')
                    throw error;
                outcome = { status: 'exists', path: settings.configPath };
                core.warning(`${settings.configPath} already exists: it was not overwritten. The imported file is in the job summary and below.`, {
                    title: 'Config file not written',
                });
                core.startGroup(`Imported config (${settings.configPath} not overwritten)`);
                core.info(result.text);
                core.endGroup();
            }
        }
        else {
            core.warning(`Nothing was imported${result.notImported.length > 0 ? ' (see the job summary for why)' : ': Teleport has no aws-oidc integration'}; no file was written.`, {
                title: 'Nothing imported',
            });
        }
        core.setOutput('config', outcome.status === 'written' ? settings.configPath : '');
        core.setOutput('imported', JSON.stringify(result.entries.map((e) => e.integration)));
        core.setOutput('account-id', result.identity.account);
        const annotations = [
            ...result.entries.flatMap((e) => [
                ...e.notes.map((note) => ({ level: 'notice', title: `[${e.integration}] not declared`, message: note })),
                ...e.pending.map((change) => ({ level: 'warning', title: `[${e.integration}] a plan would change`, message: change })),
            ]),
            ...result.notImported.map((n) => ({ level: 'warning', title: `[${n.integration}] not imported`, message: n.reason })),
            ...result.warnings.map((message) => ({ level: 'warning', title: 'Import incomplete', message })),
        ];
        emitAnnotations(annotations, secrets);
        await writeSummary(secrets.redact(renderImport(result, outcome, runUrl())));
        logger.info(`AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctl.calls.length} (${tctl.calls.filter((c) => c.write).length} writes)`);
    }
    catch (error) {
        await fail('import', `Config <code>${escapeHtml(settings.configPath)}</code>`, error, secrets);
    }
}


/***/ }),

/***/ 4231:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C4: () => (/* binding */ ownLogin),
/* harmony export */   Ql: () => (/* binding */ commentMarker),
/* harmony export */   W$: () => (/* binding */ COMMENT_LIMIT),
/* harmony export */   lB: () => (/* binding */ upsertComment),
/* harmony export */   nj: () => (/* binding */ isPermissionProblem),
/* harmony export */   sL: () => (/* binding */ truncateComment)
/* harmony export */ });
/* unused harmony export ACTIONS_BOT */
/** GitHub rejects comment bodies over 65,536 characters ("Body is too long"). */
const COMMENT_LIMIT = 65_536;
/** The login GitHub shows for comments made with the workflow's GITHUB_TOKEN. */
const ACTIONS_BOT = 'github-actions[bot]';
function commentMarker(integration, account) {
    return `<!-- teleport-aws-oidc-integration integration="${integration.replace(/-->/g, '')}" account="${account}" -->`;
}
/** Cuts the body below the limit on a line boundary, and says so, pointing to the job summary. */
function truncateComment(body, runUrl, limit = COMMENT_LIMIT) {
    if (body.length <= limit)
        return body;
    const note = `\n\n**This comment was truncated** (GitHub allows ${limit} characters): see the full report in the job summary${runUrl ? ` of [the workflow run](${runUrl})` : ''}.\n`;
    const room = limit - note.length;
    const cut = body.lastIndexOf('\n', room);
    return body.slice(0, cut > 0 ? cut : room) + note;
}
/** Statuses that mean "this token may not comment here": a warning, never a failed step. */
function isPermissionProblem(error) {
    const status = error.status;
    return status === 401 || status === 403 || status === 404;
}
/** Who the token writes as: what our own comments and issues are found by. */
async function ownLogin(octokit) {
    try {
        const { data } = await octokit.rest.users.getAuthenticated();
        return data.login;
    }
    catch (error) {
        // An installation token (GITHUB_TOKEN) may not read /user: its comments are the Actions bot's.
        if (isPermissionProblem(error))
            return ACTIONS_BOT;
        throw error;
    }
}
/**
 * Finds our previous comment by marker AND author (so nobody can take it over by pasting
 * the marker into their own comment), then updates it, or creates one.
 */
async function upsertComment(octokit, target, marker, body) {
    const login = await ownLogin(octokit);
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        per_page: 100,
    });
    const previous = comments.find((comment) => comment.user?.login === login && (comment.body ?? '').includes(marker));
    const text = `${marker}\n${body}`;
    if (previous) {
        const { data } = await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: previous.id, body: text });
        return { action: 'updated', id: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body: text });
    return { action: 'created', id: data.id, url: data.html_url };
}


/***/ })

};
