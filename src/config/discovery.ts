/**
 * The `discovery` input: Teleport's side of AWS discovery for this integration, as YAML. It
 * becomes a `discovery_config` whose every matcher names the integration, an IAM join `token`
 * when a matcher discovers EC2, and the permissions the matchers need on the role. Every
 * problem is an InputError naming `discovery` and the line, before any call.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { InputError } from '../errors.js';
import { REGION } from './regions.js';

/** Teleport's AWS matcher types (api/types/matchers_aws.go). */
export const DISCOVERY_TYPES = ['ec2', 'eks', 'rds', 'rdsproxy', 'redshift', 'redshift-serverless', 'elasticache', 'memorydb', 'opensearch', 'docdb'] as const;
export type DiscoveryType = (typeof DISCOVERY_TYPES)[number];

export const ALL_REGIONS = '*';
export const DEFAULT_SCRIPT_NAME = 'default-installer';

export interface DiscoveryMatcher {
  types: DiscoveryType[];
  /** Region names, or ['*'] for every enabled region. */
  regions: string[];
  /** Key → accepted values; {'*': ['*']} matches every resource. */
  tags: Record<string, string[]>;
  /** EKS: the IAM role or user Teleport gives access to the clusters it enrolls. */
  setupAccessForArn: string | undefined;
  /** EKS: also discover apps in the enrolled clusters. */
  kubeAppDiscovery: boolean;
  /** EC2 across the member accounts of an AWS Organization; undefined: the caller's account only. */
  organization: OrganizationScope | undefined;
}

/** How member roles reach the accounts in scope: our StackSet, or made another way (coverage then not verified). */
export const ROLLOUTS = ['stackset', 'none'] as const;
export type Rollout = (typeof ROLLOUTS)[number];

/** Which accounts of the organization a matcher discovers in, and the role it assumes in each. */
export interface OrganizationScope {
  /** A pin: the credentials' organization must be this one. */
  id: string | undefined;
  /** ['*'], or root and unit ids (a unit covers its nested units). */
  include: string[];
  /** Unit ids taken out of `include` (exclude wins). */
  exclude: string[];
  /** The member role's name, the same in every account. */
  memberRole: string;
  rollout: Rollout;
}

/** The Terraform module's default member role name (integrations/terraform-modules/teleport/discovery/aws). */
export const DEFAULT_MEMBER_ROLE = 'teleport-organization-discovery-child-account-role';
/** Root and unit ids as Organizations writes them (the module's validation). */
export const UNIT_ID = /^(r-[a-z0-9]{4,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const MEMBER_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export interface DiscoveryDeclaration {
  /** The Discovery Service's discovery_group. */
  group: string;
  /** The discovery_config's name; undefined: the integration's name. */
  name: string | undefined;
  /** The EC2 join token's name; undefined: `<integration>-ec2`. */
  joinToken: string | undefined;
  /** Extra labels on both Teleport resources. */
  labels: Record<string, string>;
  /** EC2: the installer script Teleport runs. */
  scriptName: string;
  /** EC2: the install suffix, for instances that join several clusters. */
  installSuffix: string | undefined;
  /** EC2: the SSM document; undefined: ec2-ssm's document where it declares one, else AWS-RunShellScript. */
  ssmDocument: string | undefined;
  matchers: DiscoveryMatcher[];
}

const INPUT = 'discovery';
const EXAMPLE = '|\n    group: cloud-discovery-group\n    matchers:\n      - types: [ec2]\n        regions: [us-east-1]\n        tags: { env: prod }';
const KEYS = ['group', 'name', 'join-token', 'labels', 'script-name', 'install-suffix', 'ssm-document', 'matchers'];
const MATCHER_KEYS = ['types', 'regions', 'tags', 'setup-access-for-arn', 'kube-app-discovery', 'organization'];
const ORGANIZATION_KEYS = ['id', 'units', 'member-role', 'rollout'];
const UNITS_KEYS = ['include', 'exclude'];
// Teleport resource names: letters, digits and . _ - (no slashes: they are tctl references).
const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const LABEL_KEY = /^[A-Za-z0-9/._:*-]{1,63}$/;
const SCRIPT_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const INSTALL_SUFFIX = /^[a-z0-9-]{1,32}$/;
const DOCUMENT_NAME = /^[A-Za-z0-9_.-]{3,128}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

class Reader {
  readonly lines = new LineCounter();

  fail(node: Node | null | undefined, problem: string): never {
    const where = node?.range ? `line ${this.lines.linePos(node.range[0]).line}: ` : '';
    throw new InputError(INPUT, `${where}${problem}`, EXAMPLE);
  }

  text(node: Node | null | undefined, what: string): string {
    const value: unknown = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') this.fail(node, `${what} must be a single value`);
    return String(value).trim();
  }

  /** A mapping's pairs by key, refusing keys outside `known`. */
  pairs(node: Node | null | undefined, what: string, known: string[]): Map<string, Pair<Node, Node>> {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping (key: value)`);
    const pairs = new Map<string, Pair<Node, Node>>();
    for (const pair of (node as YAMLMap<Node, Node>).items) {
      const key = this.text(pair.key, `${what}: a key`);
      if (!known.includes(key)) this.fail(pair.key, `${what}: unknown key "${key}" (known: ${known.join(', ')})`);
      pairs.set(key, pair);
    }
    return pairs;
  }

  /** A list of single values; a lone scalar counts as a one-item list. */
  list(node: Node | null | undefined, what: string): string[] {
    const items = isSeq(node) ? (node.items as Node[]) : [node];
    return items.map((item) => this.text(item, what));
  }
}

function parseTags(reader: Reader, node: Node | null | undefined, where: string): Record<string, string[]> {
  if (node === undefined || node === null) return { '*': ['*'] };
  if (!isMap(node)) reader.fail(node, `${where}: tags must be a mapping of key to a value or a list of values (env: prod)`);
  const tags: Record<string, string[]> = {};
  for (const pair of (node as YAMLMap<Node, Node>).items) {
    const key = reader.text(pair.key, `${where}: a tag key`);
    if (key === '') reader.fail(pair.key, `${where}: a tag key is empty`);
    const values = reader.list(pair.value, `${where}: tag ${key}'s value`);
    if (values.length === 0 || values.some((v) => v === '')) reader.fail(pair.value ?? pair.key, `${where}: tag ${key} needs a value ("*" for any)`);
    tags[key] = [...new Set(values)];
  }
  if (Object.keys(tags).length === 0) reader.fail(node, `${where}: tags is empty; leave it out to match every resource`);
  return tags;
}

function parseMatcher(reader: Reader, node: Node, index: number): DiscoveryMatcher {
  const where = `matchers[${index}]`;
  const pairs = reader.pairs(node, where, MATCHER_KEYS);
  const value = (key: string) => pairs.get(key)?.value;
  if (!pairs.has('types')) reader.fail(node, `${where}: types is required (one or more of ${DISCOVERY_TYPES.join(', ')})`);
  const types: DiscoveryType[] = [];
  for (const type of reader.list(value('types'), `${where}: a type`)) {
    if (!(DISCOVERY_TYPES as readonly string[]).includes(type))
      reader.fail(value('types'), `${where}: "${type}" is not a discovery type (known: ${DISCOVERY_TYPES.join(', ')})`);
    if (!types.includes(type as DiscoveryType)) types.push(type as DiscoveryType);
  }
  if (types.length === 0) reader.fail(value('types'), `${where}: types is empty`);
  let regions = [ALL_REGIONS];
  if (pairs.has('regions')) {
    regions = [...new Set(reader.list(value('regions'), `${where}: a region`).flatMap((r) => r.split(/[\s,]+/).filter(Boolean)))];
    if (regions.length === 0) reader.fail(value('regions'), `${where}: regions is empty; leave it out (or write ["*"]) for every enabled region`);
    for (const region of regions) {
      if (region !== ALL_REGIONS && !REGION.test(region)) reader.fail(value('regions'), `${where}: "${region}" is not an AWS region name (or "*")`);
    }
    if (regions.includes(ALL_REGIONS) && regions.length > 1)
      reader.fail(value('regions'), `${where}: "*" already means every region; list regions or "*", not both`);
  }
  const eksOnly = (key: string) => {
    if (pairs.has(key) && !types.includes('eks')) reader.fail(pairs.get(key)!.key, `${where}: ${key} only applies to eks matchers`);
  };
  eksOnly('setup-access-for-arn');
  eksOnly('kube-app-discovery');
  const arn = pairs.has('setup-access-for-arn') ? reader.text(value('setup-access-for-arn'), `${where}: setup-access-for-arn`) : undefined;
  if (arn !== undefined && !PRINCIPAL_ARN.test(arn)) {
    reader.fail(value('setup-access-for-arn'), `${where}: setup-access-for-arn "${arn}" is not an IAM role or user ARN (arn:aws:iam::123456789012:role/name)`);
  }
  let kubeAppDiscovery = false;
  if (pairs.has('kube-app-discovery')) {
    const raw = value('kube-app-discovery');
    const flag: unknown = isScalar(raw) ? raw.value : undefined;
    if (typeof flag !== 'boolean') reader.fail(raw, `${where}: kube-app-discovery must be true or false`);
    kubeAppDiscovery = flag;
  }
  let organization: OrganizationScope | undefined;
  if (pairs.has('organization')) {
    // Teleport walks an organization for EC2 only (the Terraform module refuses the other types).
    const others = types.filter((t) => t !== 'ec2');
    if (others.length > 0)
      reader.fail(
        value('types'),
        `${where}: organization discovers ec2 only (Teleport has no organization mode for ${others.join(', ')}): put those types in a matcher of their own`,
      );
    organization = parseOrganization(reader, value('organization'), `${where}: organization`);
  }
  return { types, regions, tags: parseTags(reader, value('tags'), where), setupAccessForArn: arn, kubeAppDiscovery, organization };
}

function parseOrganization(reader: Reader, node: Node | null | undefined, where: string): OrganizationScope {
  const pairs = reader.pairs(node, where, ORGANIZATION_KEYS);
  const value = (key: string) => pairs.get(key)?.value;
  const id = pairs.has('id') ? reader.text(value('id'), `${where}: id`) : undefined;
  if (id !== undefined && !ORGANIZATION_ID.test(id)) reader.fail(value('id'), `${where}: id "${id}" is not an organization id (o-abcd123456)`);
  let include = ['*'];
  let exclude: string[] = [];
  if (pairs.has('units')) {
    const units = reader.pairs(value('units'), `${where}: units`, UNITS_KEYS);
    if (units.has('include')) {
      const node = units.get('include')!.value;
      include = [...new Set(reader.list(node, `${where}: units include`))];
      if (include.length === 0) reader.fail(node, `${where}: units include is empty; leave it out (or write ['*']) for every account`);
      if (include.includes('*') && include.length > 1)
        reader.fail(node, `${where}: units include: "*" already means the whole organization; write "*" or ids, not both`);
      for (const unit of include) {
        if (unit !== '*' && !UNIT_ID.test(unit)) reader.fail(node, `${where}: units include: "${unit}" is not a root or unit id (r-abcd, ou-abcd-12345678)`);
      }
    }
    if (units.has('exclude')) {
      const node = units.get('exclude')!.value;
      exclude = [...new Set(reader.list(node, `${where}: units exclude`))];
      for (const unit of exclude) {
        if (unit.includes('*')) reader.fail(node, `${where}: units exclude: "${unit}": exclude takes exact unit ids, no wildcard`);
        if (!UNIT_ID.test(unit)) reader.fail(node, `${where}: units exclude: "${unit}" is not a root or unit id (r-abcd, ou-abcd-12345678)`);
      }
    }
  }
  const memberRole = pairs.has('member-role') ? reader.text(value('member-role'), `${where}: member-role`) : DEFAULT_MEMBER_ROLE;
  if (memberRole === '') reader.fail(value('member-role'), `${where}: member-role is empty; leave it out for ${DEFAULT_MEMBER_ROLE}`);
  if (!MEMBER_ROLE_NAME.test(memberRole))
    reader.fail(value('member-role'), `${where}: member-role "${memberRole}" is not an IAM role name (letters, digits and +=,.@_-, at most 64)`);
  const rollout = pairs.has('rollout') ? reader.text(value('rollout'), `${where}: rollout`) : 'stackset';
  if (!(ROLLOUTS as readonly string[]).includes(rollout))
    reader.fail(
      value('rollout'),
      `${where}: rollout "${rollout}" is not one of ${ROLLOUTS.join(', ')} (stackset: this action rolls the member role out; none: you make it another way)`,
    );
  return { id, include, exclude, memberRole, rollout: rollout as Rollout };
}

/** The organization the discovery reaches into, when a matcher declares one (every such matcher declares the same). */
export function organizationOf(declaration: DiscoveryDeclaration | undefined): OrganizationScope | undefined {
  return declaration?.matchers.find((m) => m.organization)?.organization;
}

function named(reader: Reader, pairs: Map<string, Pair<Node, Node>>, key: string, pattern: RegExp, rule: string): string | undefined {
  if (!pairs.has(key)) return undefined;
  const node = pairs.get(key)!.value;
  const text = reader.text(node, key);
  if (!pattern.test(text)) reader.fail(node, `${key} "${text}" is not valid (${rule})`);
  return text;
}

/** The names Discovery Services publish their static configuration under (sub_kind synthetic): never a declared discovery_config's. */
export const SYNTHETIC_NAME_PREFIX = 'synthetic-';
export const SYNTHETIC_NAMESPACE = `the ${SYNTHETIC_NAME_PREFIX} namespace, where Discovery Services publish read-only copies of their static configuration`;

/** Parses the `discovery` input; undefined when it is empty. */
export function parseDiscovery(raw: string): DiscoveryDeclaration | undefined {
  if (raw.trim() === '') return undefined;
  const reader = new Reader();
  const document = parseDocument(raw, { lineCounter: reader.lines, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const { line, col } = reader.lines.linePos(error.pos[0]);
    throw new InputError(INPUT, `line ${line}, column ${col}: is not valid YAML (${error.message.split('\n')[0]})`, EXAMPLE);
  }
  const root = document.contents as Node | null;
  const pairs = reader.pairs(root, 'discovery', KEYS);
  const value = (key: string) => pairs.get(key)?.value;
  if (!pairs.has('group'))
    reader.fail(
      root,
      'group is required: the discovery_group of the Teleport Discovery Service that runs these matchers (Teleport Cloud: cloud-discovery-group)',
    );
  const group = reader.text(value('group'), 'group');
  if (group === '') reader.fail(value('group'), 'group is empty');
  if (!pairs.has('matchers')) reader.fail(root, 'matchers is required: at least one { types: [ec2], regions: [us-east-1] }');
  const matcherNodes = value('matchers');
  if (!isSeq(matcherNodes) || matcherNodes.items.length === 0) reader.fail(matcherNodes ?? root, 'matchers must be a list of at least one matcher');
  const matchers = (matcherNodes as unknown as { items: Node[] }).items.map((node, index) => parseMatcher(reader, node, index));

  const labels: Record<string, string> = {};
  if (pairs.has('labels')) {
    const labelPairs = value('labels');
    if (!isMap(labelPairs)) reader.fail(labelPairs, 'labels must be a mapping (team: platform)');
    for (const pair of (labelPairs as YAMLMap<Node, Node>).items) {
      const key = reader.text(pair.key, 'a label key');
      if (!LABEL_KEY.test(key)) reader.fail(pair.key, `label "${key}" is not a valid label key (letters, digits and / . _ : - *)`);
      if (key.startsWith('teleport.dev/')) reader.fail(pair.key, `label "${key}": teleport.dev/ labels are the ones this action writes to mark what it owns`);
      labels[key] = reader.text(pair.value, `label ${key}'s value`);
    }
  }
  const scoped = matchers.map((m, index) => [m.organization, index] as const).filter(([o]) => o !== undefined);
  for (const [scope, index] of scoped.slice(1)) {
    if (JSON.stringify(scope) !== JSON.stringify(scoped[0][0]))
      reader.fail(
        (matcherNodes as unknown as { items: Node[] }).items[index],
        `matchers[${index}]: organization differs from matchers[${scoped[0][1]}]'s: one integration rolls out one member role to one scope, so every organization matcher declares the same organization`,
      );
  }
  if (scoped.length > 0 && pairs.has('ssm-document') && reader.text(value('ssm-document'), 'ssm-document') !== 'AWS-RunShellScript') {
    reader.fail(
      value('ssm-document'),
      'ssm-document: an organization matcher runs AWS-RunShellScript, the AWS-managed document every member account already has',
    );
  }
  const declaredName = pairs.has('name') ? reader.text(value('name'), 'name') : undefined;
  if (declaredName?.startsWith(SYNTHETIC_NAME_PREFIX)) reader.fail(value('name'), `name "${declaredName}" is in ${SYNTHETIC_NAMESPACE}: choose another name`);
  const hasEc2 = matchers.some((m) => m.types.includes('ec2'));
  for (const key of ['join-token', 'script-name', 'install-suffix', 'ssm-document']) {
    if (pairs.has(key) && !hasEc2) reader.fail(pairs.get(key)!.key, `${key} only applies when a matcher discovers ec2`);
  }
  return {
    group,
    name: named(reader, pairs, 'name', RESOURCE_NAME, 'letters, digits and . _ -'),
    joinToken: named(reader, pairs, 'join-token', RESOURCE_NAME, 'letters, digits and . _ -'),
    labels,
    scriptName: named(reader, pairs, 'script-name', SCRIPT_NAME, "an installer script's name: letters, digits and . _ -") ?? DEFAULT_SCRIPT_NAME,
    installSuffix: named(reader, pairs, 'install-suffix', INSTALL_SUFFIX, 'lower-case letters, digits and -, at most 32'),
    ssmDocument: named(reader, pairs, 'ssm-document', DOCUMENT_NAME, 'an SSM document name: 3 to 128 letters, digits, _ - .'),
    matchers,
  };
}
