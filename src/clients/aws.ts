import { IAMClient } from '@aws-sdk/client-iam';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DEFAULT_RETRY, realSleep, withRetry, type RetryPolicy } from './retry.js';
import type { Logger } from '../logger.js';
import { proxyAgents } from './proxy.js';
import { explainAwsError } from './aws-errors.js';
import { AdaptiveLimit } from './limit.js';
import { FamilyPacer, familyOf, RolesAnywhereClient, type RaRequest } from './rolesanywhere.js';

/** Roles Anywhere's pace: about one request per second per API family. */
export const ROLES_ANYWHERE_INTERVAL_MS = 1_000;

/** Through the configured HTTP proxy, if any (the SDK itself honours no proxy variable). */
function clientOptions(region: string) {
  const agents = proxyAgents();
  return { region, maxAttempts: 1, ...(agents ? { requestHandler: agents } : {}) };
}

/** Home region of each partition: where global IAM resources show in the Tagging API. */
export const PARTITION_HOME_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-cn': 'cn-north-1',
};

export interface CallerIdentity {
  account: string;
  partition: string;
  arn: string;
}

export interface AwsCall {
  service: 'iam' | 'sts' | 'tagging' | 'ssm' | 'organizations' | 'cloudformation' | 'rolesanywhere';
  action: string;
  region: string;
}

/** True for an AWS error of that code; the SDK names some classes with an `Exception` suffix. */
export function isAwsError(error: unknown, code: string): boolean {
  if (!(error instanceof Error)) return false;
  const named = error.name === code || error.name === `${code}Exception`;
  const meta = error as { Code?: string; code?: string };
  return named || meta.Code === code || meta.code === code;
}

const THROTTLING_CODES = ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'];
const RETRYABLE_CODES = [...THROTTLING_CODES, 'ServiceFailure', 'ServiceUnavailable', 'InternalFailure', 'InternalError', 'ConcurrentModification'];
const RETRYABLE_NETWORK = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'TimeoutError'];
export function isThrottling(error: unknown): boolean {
  if (THROTTLING_CODES.some((code) => isAwsError(error, code))) return true;
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 429;
}

/**
 * IAM calls in flight at once, at most: IAM is global and low-rate, shared by every entry of a
 * run. Room for one integration's whole round of reads (every feature declared: 12 IAM reads).
 */
export const IAM_CONCURRENCY = 16;
/** ListRoles, ListRolePolicies and the role attachment lists: AWS's largest page. */
export const IAM_PAGE_SIZE = 1000;
/** AWS's pace for a StackSet operation: minutes for a large organization, asked about every 10 s. */
export const OPERATION_POLL_MS = 10_000;

/** Throttling, 5xx, concurrent modification and dropped connections are worth another try. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (RETRYABLE_CODES.some((code) => isAwsError(error, code))) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  const code = (error as { code?: string }).code;
  return RETRYABLE_NETWORK.includes(code ?? '') || RETRYABLE_NETWORK.includes(error.name);
}

type AnyCommand = { constructor: { name: string }; input: unknown };
type Sendable = { send(command: never): Promise<unknown>; config: { region: () => Promise<string> } };

export interface AwsOptions {
  /** The job's region (AWS_REGION); IAM and STS calls go there, which also selects the partition. */
  region: string;
  retry?: Partial<RetryPolicy>;
  logger: Logger;
  /** The mode, to name its policy (policies/<mode>.json) when AWS denies something. */
  mode?: string;
  /** Page size of IAM lists (tests make it small to reach later pages). */
  iamPageSize?: number;
  /** How often a running StackSet operation is asked about (AWS's pace by default; tests shorten it). */
  operationPollMs?: number;
  /** The spacing of Roles Anywhere calls of one API family (1,000 ms: its rate limit; tests shorten it). */
  rolesAnywhereIntervalMs?: number;
}

/**
 * The AWS clients behind one `send` that retries transient failures with our own
 * jittered backoff (the SDK's own retry is off, so the sleep can be injected) and records
 * every call made, for the log and the least-privilege check.
 */
export class Aws {
  readonly region: string;
  readonly calls: AwsCall[] = [];
  readonly iam: IAMClient;
  readonly sts: STSClient;
  private readonly tagging = new Map<string, ResourceGroupsTaggingAPIClient>();
  private readonly ssm = new Map<string, SSMClient>();
  private readonly organizations = new Map<string, OrganizationsClient>();
  private readonly cloudformation = new Map<string, CloudFormationClient>();
  private readonly services = new WeakMap<object, AwsCall['service']>();
  private readonly policy: RetryPolicy;
  /** Bounds IAM calls in flight and halves the bound when IAM throttles. */
  readonly iamLimit = new AdaptiveLimit(IAM_CONCURRENCY);
  readonly iamPageSize: number;
  readonly operationPollMs: number;
  private readonly rolesAnywhereClients = new Map<string, RolesAnywhereClient>();
  private readonly rolesAnywherePacer: FamilyPacer;

  constructor(private readonly options: AwsOptions) {
    this.region = options.region;
    this.policy = { ...DEFAULT_RETRY, sleep: realSleep, ...options.retry };
    this.iamPageSize = options.iamPageSize ?? IAM_PAGE_SIZE;
    this.operationPollMs = options.operationPollMs ?? OPERATION_POLL_MS;
    this.rolesAnywherePacer = new FamilyPacer(options.rolesAnywhereIntervalMs ?? ROLES_ANYWHERE_INTERVAL_MS);
    this.iam = new IAMClient(clientOptions(options.region));
    this.sts = new STSClient(clientOptions(options.region));
    this.services.set(this.iam, 'iam');
    this.services.set(this.sts, 'sts');
  }

  private regional<C extends object>(clients: Map<string, C>, region: string, service: AwsCall['service'], make: () => C): C {
    let client = clients.get(region);
    if (!client) {
      client = make();
      clients.set(region, client);
      this.services.set(client, service);
    }
    return client;
  }

  // The Tagging API (check mode) and SSM (ec2-ssm) clients are loaded only by runs that use them.
  async taggingClient(region: string): Promise<ResourceGroupsTaggingAPIClient> {
    const { ResourceGroupsTaggingAPIClient } = await import('@aws-sdk/client-resource-groups-tagging-api');
    return this.regional(this.tagging, region, 'tagging', () => new ResourceGroupsTaggingAPIClient(clientOptions(region)));
  }

  async ssmClient(region: string): Promise<SSMClient> {
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    return this.regional(this.ssm, region, 'ssm', () => new SSMClient(clientOptions(region)));
  }

  // Organizations and StackSets: only runs that discover across an organization load them.
  async organizationsClient(): Promise<OrganizationsClient> {
    const { OrganizationsClient } = await import('@aws-sdk/client-organizations');
    // A global service: the SDK signs for its one endpoint whatever the job's region.
    return this.regional(this.organizations, this.region, 'organizations', () => new OrganizationsClient(clientOptions(this.region)));
  }

  async cloudFormationClient(region: string): Promise<CloudFormationClient> {
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    return this.regional(this.cloudformation, region, 'cloudformation', () => new CloudFormationClient(clientOptions(region)));
  }

  /**
   * One Roles Anywhere call (clients/rolesanywhere.ts), paced per API family, retried and logged
   * as the SDK's calls are, its errors explained the same way.
   */
  async rolesAnywhere<Output>(action: string, request: RaRequest, region: string = this.region): Promise<Output> {
    let client = this.rolesAnywhereClients.get(region);
    if (!client) {
      client = new RolesAnywhereClient(region, this.sts.config.credentials, this.sts.config.sha256);
      this.rolesAnywhereClients.set(region, client);
    }
    const raClient = client;
    const input = `${request.method} ${request.path} ${JSON.stringify(request.body ?? request.query ?? {})}`;
    return this.tracked(
      'rolesanywhere',
      action,
      region,
      input,
      (call) => this.rolesAnywherePacer.run(familyOf(action), call),
      () => raClient.send<Output>(request),
    );
  }

  /** Waits as the retry policy does (tests inject a sleep that only records). */
  sleep(ms: number): Promise<void> {
    return this.policy.sleep(ms);
  }

  async send<Output>(client: Sendable, command: AnyCommand): Promise<Output> {
    const action = command.constructor.name.replace(/Command$/, '');
    const service = this.services.get(client);
    if (!service) throw new Error(`${action} was sent through a client this wrapper did not make`);
    const region = service === 'iam' || service === 'sts' ? this.region : await client.config.region();
    // A slot per attempt: a call waiting out its backoff holds none.
    const bound = <T>(call: () => Promise<T>) => (service === 'iam' ? this.iamLimit.run(call, isThrottling) : call());
    return this.tracked(service, action, region, JSON.stringify(command.input), bound, async () => (await client.send(command as never)) as Output);
  }

  /**
   * Every call, whatever speaks it: retried on transient failures with our backoff, each attempt
   * logged and counted (within `bound`: IAM's limit, Roles Anywhere's pace), and a final failure
   * explained with the fix (no credentials, expired or invalid ones, a denied action).
   */
  private async tracked<Output>(
    service: AwsCall['service'],
    action: string,
    region: string,
    input: string,
    bound: (call: () => Promise<Output>) => Promise<Output>,
    attempt: () => Promise<Output>,
  ): Promise<Output> {
    try {
      return await withRetry(
        `${service}:${action}`,
        () =>
          bound(() => {
            this.calls.push({ service, action, region });
            this.options.logger.debug(`aws ${service}:${action} ${region} ${input}`);
            return attempt();
          }),
        isTransient,
        this.policy,
        (error, n, delay) => this.options.logger.info(`${service}:${action} failed (${(error as Error).name}); retry ${n} in ${delay} ms`),
      );
    } catch (error) {
      throw explainAwsError(error, `${service === 'tagging' ? 'tag' : service}:${action}`, { mode: this.options.mode ?? 'apply' }) ?? error;
    }
  }

  /**
   * Retries reads that answer NoSuchEntity right after our own create: IAM is eventually
   * consistent, so "not found" then means "not visible yet", never "gone".
   */
  async afterCreate<T>(what: string, read: () => Promise<T>, alsoRetry: (error: unknown) => boolean = () => false): Promise<T> {
    const notVisibleYet = (error: unknown) => isAwsError(error, 'NoSuchEntity') || alsoRetry(error);
    return withRetry(what, read, notVisibleYet, {
      ...this.policy,
      attempts: Math.max(this.policy.attempts, 10),
    });
  }

  private identityOnce: Promise<CallerIdentity> | undefined;

  /** The caller identity, asked once per run however many integrations the run reconciles. */
  identity(): Promise<CallerIdentity> {
    this.identityOnce ??= this.readIdentity();
    return this.identityOnce;
  }

  private async readIdentity(): Promise<CallerIdentity> {
    const output = await this.send<{ Account?: string; Arn?: string }>(this.sts, new GetCallerIdentityCommand({}));
    const arn = output.Arn ?? '';
    const partition = arn.split(':')[1];
    if (!output.Account || !partition) throw new Error(`sts:GetCallerIdentity returned no account or ARN (${arn})`);
    return { account: output.Account, partition, arn };
  }

  writes(): AwsCall[] {
    return this.calls.filter((call) => !/^(Get|List|Describe)/.test(call.action));
  }
}

/** Every item of a paginated IAM list (IsTruncated and Marker), page after page. */
export async function allIamPages<Page extends { IsTruncated?: boolean; Marker?: string }, Item>(
  fetch: (marker: string | undefined) => Promise<Page>,
  items: (page: Page) => Item[],
): Promise<Item[]> {
  const all: Item[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    all.push(...items(page));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return all;
}

/** Every item of a list paginated by NextToken (Organizations, CloudFormation), page after page. */
export async function allTokenPages<Page extends { NextToken?: string }, Item>(
  fetch: (token: string | undefined) => Promise<Page>,
  items: (page: Page) => Item[],
): Promise<Item[]> {
  const all: Item[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...items(page));
    token = page.NextToken;
  } while (token);
  return all;
}
