import type { DiscoveredCounts, DiscoveryConfigResource } from '../../model/teleport.js';
/**
 * Is discovery working? Read from what Teleport's Discovery Service writes: our
 * discovery_config's `status`, and the `user_task`s it opens when enrollment fails. Pure.
 */

/** A user task as `tctl get user_tasks --format=json` prints it; snake_case or lowerCamelCase (protojson prints either). */
export interface UserTaskResource {
  kind?: string;
  metadata?: { name?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface HealthProblem {
  /** `state` for the discovery_config's state, else the user task's issue type. */
  kind: string;
  message: string;
}

export interface DiscoveryHealth {
  /** The discovery_config's state, shortened (RUNNING, SYNCING, ERROR, UNSPECIFIED), or `missing`. */
  state: string;
  errorMessage: string | undefined;
  lastSync: string | undefined;
  /** Per resource kind (aws_ec2, ...), for this integration. */
  counts: Record<string, DiscoveredCounts>;
  /** Open user tasks of this integration, per issue type. */
  openTasks: { issueType: string; taskType: string; affected: number; what: string; regions: string[]; tasks: number; hint: string }[];
  problems: HealthProblem[];
}

const field = (object: Record<string, unknown> | undefined, snake: string): unknown => {
  if (!object) return undefined;
  if (snake in object) return object[snake];
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return object[camel];
};
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** What to do, per issue type Teleport opens (lib/usertasks descriptions); unknown ones are shown as they are. */
const HINTS: Record<string, string> = {
  'ec2-ssm-agent-not-registered':
    'the instances are not registered with AWS Systems Manager: run the SSM agent on them and give their instance profile AmazonSSMManagedInstanceCore',
  'ec2-ssm-agent-connection-lost': 'their SSM agent stopped reporting: check that it runs and reaches the SSM endpoints',
  'ec2-ssm-unsupported-os': "SSM cannot run Teleport's installer on their operating system (Linux only)",
  'ec2-ssm-script-failure': "the install script failed on them: open the invocation URL in Teleport's user task for the script output",
  'ec2-ssm-invocation-failure':
    'SSM could not run the document on them: check that the SSM document exists in that region and that the role may ssm:SendCommand',
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
function affectedOf(spec: Record<string, unknown>): { count: number; what: string; region: string | undefined } {
  for (const [key, itemsKey, what] of [
    ['discover_ec2', 'instances', 'instance'],
    ['discover_eks', 'clusters', 'cluster'],
    ['discover_rds', 'databases', 'database'],
  ] as const) {
    const part = field(spec, key) as Record<string, unknown> | undefined;
    if (part) {
      const items = field(part, itemsKey) as Record<string, unknown> | undefined;
      return { count: Object.keys(items ?? {}).length, what, region: text(field(part, 'region')) };
    }
  }
  return { count: 0, what: 'resource', region: undefined };
}

const STATE_PREFIX = 'DISCOVERY_CONFIG_STATE_';

export function discoveryHealth(config: DiscoveryConfigResource | undefined, tasks: UserTaskResource[], integration: string, group: string): DiscoveryHealth {
  const problems: HealthProblem[] = [];
  const status = config?.status;
  const rawState = text(status?.state) ?? `${STATE_PREFIX}UNSPECIFIED`;
  const state = config ? rawState.replace(STATE_PREFIX, '') : 'missing';
  const errorMessage = text(status?.error_message);
  if (config && state === 'ERROR') {
    problems.push({ kind: 'state', message: `discovery_config ${config.metadata.name} is in ERROR: ${errorMessage ?? 'no message'}` });
  } else if (config && state === 'UNSPECIFIED') {
    problems.push({
      kind: 'state',
      message:
        `No Discovery Service of group "${group}" has reported on discovery_config ${config.metadata.name}: run one with discovery_service.discovery_group: "${group}" ` +
        '(Teleport Cloud runs one in cloud-discovery-group), or correct group.',
    });
  }
  const counts = status?.integration_discovered_resources?.[integration] ?? {};

  const byIssue = new Map<string, DiscoveryHealth['openTasks'][number]>();
  for (const task of tasks) {
    const spec = task.spec ?? {};
    if (field(spec, 'integration') !== integration || (text(field(spec, 'state')) ?? '').toUpperCase() !== 'OPEN') continue;
    const issueType = text(field(spec, 'issue_type')) ?? 'unknown';
    const affected = affectedOf(spec);
    const entry = byIssue.get(issueType) ?? {
      issueType,
      taskType: text(field(spec, 'task_type')) ?? 'unknown',
      affected: 0,
      what: affected.what,
      regions: [],
      tasks: 0,
      hint: HINTS[issueType] ?? `see the ${text(field(spec, 'task_type')) ?? 'discovery'} task in Teleport's web UI`,
    };
    entry.affected += affected.count;
    entry.tasks += 1;
    if (affected.region && !entry.regions.includes(affected.region)) entry.regions.push(affected.region);
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
  return { state, errorMessage, lastSync: text(status?.last_sync_time), counts, openTasks, problems };
}
