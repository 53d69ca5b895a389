// The tctl stand-in's logic (the `tctl` script beside it runs it as a process, the way the action
// and dist/index.js call tctl; in-process engine tests call it directly, saving a process start a
// call). What it reproduces of real tctl:
// A stand-in for Teleport's `tctl`, for tests only: no real Teleport auth server can run here.
// It reproduces what the action relies on, as ../shared/reference/teleport.md and discovery.md
// describe real tctl, for four kinds:
// - integration (v1, sub_kind aws-oidc): `create` refuses to overwrite without --force (exit 1,
//   `ERROR: use -f or --force flag to overwrite` and `Integration "<name>" already exists`) and
//   prints `Integration "<name>" has been created|updated`; `--force` replaces the whole spec;
//   `rm` prints `Integration "<name>" removed`.
// - discovery_config (v1): `create --force` prints `DiscoveryConfig "<name>" has been written`,
//   without it `... has been created` (an existing one: exit 1, `discovery_config "<name>" already
//   exists`); `spec.discovery_group` is required; Teleport's defaults are filled on write (EC2:
//   install with join token aws-discovery-iam-token and script default-installer, ssm document
//   TeleportDiscoveryInstaller; tags "*": "*"); tags print as a string for one value and a list
//   otherwise; `status` is the Discovery Service's: never taken from the input, kept across
//   writes; `rm` prints `DiscoveryConfig "<name>" has been deleted`.
// - token (v2): `create` always upserts and prints `provision_token "<name>" has been created`;
//   roles and join_method are required, iam needs allow rules; `rm` prints `token "<name>" has
//   been deleted`.
// - user_task (v1): `create` and `rm` (`user task "<name>" has been deleted`), as tests seed
//   the tasks the Discovery Service would open.
// `get <kind>/<name>,<kind>/<name>` (several refs) prints YAML documents separated by `---`, and
// fails whole when one does not exist (--format=json is refused for several refs, as tctl does).
// `get <kind>/<name> --format=json` prints a JSON ARRAY (with metadata.revision and status, like
// real output) or exits 1 with `ERROR: <kind> "<name>" doesn't exist`; `get <kind>` or its
// plural lists every resource of the kind as one JSON array. Unknown fields are refused.
// State: one JSON file per resource in $TCTL_STANDIN_DIR (`<kind>-<name>.json`); every call is
// appended to $TCTL_STANDIN_DIR/calls.log as {"argv": [...], "write": bool}. A file named `fail`
// in that folder makes every call exit 1 with its content on stderr (an outage or bad identity);
// a file `deny-<kind>` (its content: verbs, one a line; empty for all) makes those calls fail as
// Teleport's RBAC does: `access denied to perform action "<verb>" on "<kind>"`, and so does a
// file `rules.json` ({"<kind>": ["<verb>", ...]}, a Teleport role's allow rules) for every call
// outside it. Each RBAC check is logged to $TCTL_STANDIN_DIR/verbs.log as "<kind> <verb>".
// Integrations in use (lib/services/local/integrations.go): `rm integration/<name>` is refused
// (exit 1) with `ERROR: cannot delete AWS OIDC integration currently referenced by External Audit
// Storage integration` while the file `external_audit_storage-draft.json` or `-cluster.json` in
// that folder has spec.integration_name <name>, and with `... referenced by AWS Identity Center
// integration "<plugin>"` while a file `plugin-<plugin>.json` of type aws-identity-center has
// spec.aws_ic.integration_name <name>. Tests write those files as the web UI's setups would
// leave that state (tctl itself does not create them).
// app_server (v3): `get` and list only; tests write `app_server-<name>.json` as the web UI's AWS
// access enrolment leaves one. From Teleport 18.2.10, `rm integration/<name>` also deletes what
// references it (deleteAssociated, below).
// TCTL_STANDIN_LATENCY_MS makes every call wait that long first, as a call to a remote auth
// server waits for its connection and answer (the benchmark uses it; the tests do not).
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

class Exit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}
const exitWith = (code) => {
  throw new Exit(code);
};

/** One tctl call: its arguments, environment and standard input; what it printed and its exit code. */
export async function tctl({ argv, env, stdin }) {
  const out = [];
  const err = [];
  try {
    await call();
    return { exitCode: 0, stdout: out.join(''), stderr: err.join('') };
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    return { exitCode: error.code, stdout: out.join(''), stderr: err.join('') };
  }

  async function call() {
    const dir = env.TCTL_STANDIN_DIR;
    const fail = (message) => {
      err.push(`ERROR: ${message}\n`);
      throw new Exit(1);
    };
    if (!dir) fail('TCTL_STANDIN_DIR is not set (tctl stand-in)');
    const latency = Number(env.TCTL_STANDIN_LATENCY_MS ?? 0);
    if (latency > 0) await sleep(latency);
    const [command, ...rest] = argv;
    appendFileSync(path.join(dir, 'calls.log'), JSON.stringify({ argv, write: command === 'create' || command === 'rm' }) + '\n');
    if (existsSync(path.join(dir, 'fail'))) {
      err.push(readFileSync(path.join(dir, 'fail'), 'utf8'));
      exitWith(1);
    }
    const identity = env.TELEPORT_IDENTITY_FILE;
    if (identity && !existsSync(identity)) fail(`open ${identity}: no such file or directory`);

    const KINDS = {
      integration: { plural: 'integrations', version: 'v1' },
      discovery_config: { plural: 'discovery_configs', version: 'v1' },
      token: { plural: 'tokens', version: 'v2' },
      user_task: { plural: 'user_tasks', version: 'v1' },
      app_server: { plural: 'app_servers', version: 'v3' },
    };
    const kindOf = (word) => Object.keys(KINDS).find((kind) => kind === word || KINDS[kind].plural === word);
    const fileOf = (kind, name) => path.join(dir, `${kind}-${encodeURIComponent(name)}.json`);
    const load = (kind, name) => (existsSync(fileOf(kind, name)) ? JSON.parse(readFileSync(fileOf(kind, name), 'utf8')) : undefined);
    const all = (kind) =>
      readdirSync(dir)
        .filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
    const ref = (arg) => {
      const match = /^([a-z_]+)(?:\/(.+))?$/.exec(arg ?? '');
      const kind = match && kindOf(match[1]);
      if (!kind) fail(`expected a resource reference such as integration/<name>, got "${arg ?? ''}"`);
      return { kind, name: match[2] };
    };
    function rbac(kind, verb) {
      appendFileSync(path.join(dir, 'verbs.log'), `${kind} ${verb}\n`);
      const rules = path.join(dir, 'rules.json');
      if (existsSync(rules) && !(JSON.parse(readFileSync(rules, 'utf8'))[kind] ?? []).includes(verb)) {
        fail(`access denied to perform action "${verb}" on "${kind}"`);
      }
      const file = path.join(dir, `deny-${kind}`);
      if (!existsSync(file)) return;
      const verbs = readFileSync(file, 'utf8')
        .split('\n')
        .map((v) => v.trim())
        .filter(Boolean);
      if (verbs.length === 0 || verbs.includes(verb)) fail(`access denied to perform action "${verb}" on "${kind}"`);
    }

    const METADATA = ['name', 'description', 'labels', 'revision', 'expires', 'namespace'];
    const ALLOWED = {
      integration: {
        '': ['kind', 'sub_kind', 'version', 'metadata', 'spec', 'status'],
        metadata: METADATA,
        spec: ['aws_oidc', 'aws_ra'],
        'spec.aws_oidc': ['role_arn', 'issuer_s3_uri', 'audience'],
        'spec.aws_ra': ['trust_anchor_arn', 'profile_sync_config'],
        'spec.aws_ra.profile_sync_config': ['enabled', 'profile_arn', 'role_arn', 'profile_accepts_role_session_name', 'profile_name_filters'],
      },
      discovery_config: {
        '': ['kind', 'sub_kind', 'version', 'metadata', 'spec', 'status'],
        metadata: METADATA,
        spec: ['discovery_group', 'aws', 'azure', 'gcp', 'kube', 'access_graph'],
        'spec.aws[]': [
          'types',
          'regions',
          'tags',
          'integration',
          'assume_role',
          'install',
          'ssm',
          'setup_access_for_arn',
          'kube_app_discovery',
          'organization',
        ],
        'spec.aws[].install': [
          'enroll_mode',
          'install_teleport',
          'join_method',
          'join_token',
          'script_name',
          'sshd_config',
          'public_proxy_addr',
          'suffix',
          'update_group',
          'azure',
          'http_proxy_settings',
        ],
        'spec.aws[].ssm': ['document_name'],
        'spec.aws[].assume_role': ['role_arn', 'external_id', 'role_name'],
        // Organization discovery (Teleport 18.7.0+; the token's unit rules 18.8.3+: shared/reference/roles-anywhere.md).
        'spec.aws[].organization': ['organization_id', 'organizational_units'],
        'spec.aws[].organization.organizational_units': ['include', 'exclude'],
      },
      token: {
        '': ['kind', 'version', 'metadata', 'spec', 'status'],
        metadata: METADATA,
        spec: ['roles', 'join_method', 'allow', 'aws_iid_ttl', 'integration', 'suggested_labels', 'bot_name'],
        'spec.allow[]': ['aws_account', 'aws_role', 'aws_arn', 'aws_regions', 'aws_organization_id', 'aws_organizational_units'],
        'spec.allow[].aws_organizational_units': ['include', 'exclude'],
      },
      user_task: {
        '': ['kind', 'version', 'metadata', 'spec', 'status'],
        metadata: METADATA,
        // A protobuf message: protojson reads both the proto names and their lowerCamelCase JSON names.
        spec: ['integration', 'task_type', 'issue_type', 'state', 'discover_ec2', 'discover_eks', 'discover_rds'].flatMap((k) => [
          k,
          k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()),
        ]),
      },
    };
    function checkFields(kind, object, where) {
      const allowed = ALLOWED[kind][where];
      if (!allowed || object === null || typeof object !== 'object') return;
      for (const key of Object.keys(object)) {
        if (!allowed.includes(key)) fail(`unknown field "${where ? `${where.replace(/\[\]/g, '')}.` : ''}${key}"`);
      }
    }
    function checkAll(kind, resource) {
      checkFields(kind, resource, '');
      checkFields(kind, resource.metadata, 'metadata');
      checkFields(kind, resource.spec, 'spec');
      checkFields(kind, resource.spec?.aws_oidc, 'spec.aws_oidc');
      checkFields(kind, resource.spec?.aws_ra, 'spec.aws_ra');
      checkFields(kind, resource.spec?.aws_ra?.profile_sync_config, 'spec.aws_ra.profile_sync_config');
      for (const matcher of kind === 'discovery_config' ? (resource.spec?.aws ?? []) : []) {
        checkFields(kind, matcher, 'spec.aws[]');
        checkFields(kind, matcher.install, 'spec.aws[].install');
        checkFields(kind, matcher.ssm, 'spec.aws[].ssm');
        checkFields(kind, matcher.assume_role, 'spec.aws[].assume_role');
        checkFields(kind, matcher.organization, 'spec.aws[].organization');
        checkFields(kind, matcher.organization?.organizational_units, 'spec.aws[].organization.organizational_units');
        if (matcher.organization) checkOrganization(matcher.organization);
      }
      for (const rule of kind === 'token' ? (resource.spec?.allow ?? []) : []) {
        checkFields(kind, rule, 'spec.allow[]');
        checkFields(kind, rule.aws_organizational_units, 'spec.allow[].aws_organizational_units');
        if (rule.aws_organizational_units) checkUnits(rule.aws_organizational_units, 'aws_organizational_units');
      }
    }
    // The organization's id rules as organizations.md states them (the Terraform module's validation;
    // whether Auth checks them the same way is not stated there, so this is the module's letter):
    // an organization id, include "*" alone or root/unit ids, exclude ids only.
    const UNIT = /^(r-[a-z0-9]{4,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$/;
    function checkUnits(units, where) {
      const include = units.include ?? [];
      if (!Array.isArray(include) || include.length === 0) fail(`${where}.include is required ("*" or unit ids)`);
      if (include.includes('*') && include.length > 1) fail(`${where}.include: "*" cannot be mixed with unit ids`);
      for (const id of include) if (id !== '*' && !UNIT.test(id)) fail(`${where}.include: invalid unit id "${id}"`);
      for (const id of units.exclude ?? []) if (!UNIT.test(id)) fail(`${where}.exclude: invalid unit id "${id}"`);
    }
    function checkOrganization(organization) {
      if (!/^o-[a-z0-9]{10,32}$/.test(organization.organization_id ?? '')) fail('organization.organization_id is required (o-...)');
      checkUnits(organization.organizational_units ?? {}, 'organization.organizational_units');
    }

    /** One value prints as a string, several as a list, as Teleport's Labels type marshals. */
    const printedTags = (tags) =>
      Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, Array.isArray(v) ? (v.length === 1 ? String(v[0]) : v.map(String)) : String(v)]));

    function discoveryConfigDefaults(resource) {
      const name = resource.metadata.name;
      if (!resource.spec?.discovery_group) fail(`discovery config "${name}": missing discovery group`);
      const aws = (resource.spec.aws ?? []).map((matcher) => {
        if (!Array.isArray(matcher.types) || matcher.types.length === 0) fail('at least one AWS discovery service type must be specified');
        if (!Array.isArray(matcher.regions) || matcher.regions.length === 0) fail('discovery service requires at least one region');
        const out = { ...matcher, tags: printedTags(matcher.tags && Object.keys(matcher.tags).length > 0 ? matcher.tags : { '*': '*' }) };
        if (matcher.types.includes('ec2')) {
          out.install = {
            join_method: 'iam',
            join_token: 'aws-discovery-iam-token',
            script_name: 'default-installer',
            install_teleport: true,
            sshd_config: '/etc/ssh/sshd_config',
            ...matcher.install,
          };
          out.ssm = { document_name: 'TeleportDiscoveryInstaller', ...matcher.ssm };
        }
        return out;
      });
      return { ...resource.spec, aws };
    }

    if (command === 'auth' && rest[0] === 'export') {
      // `tctl auth export --type=awsra`: the awsra CA's certificates, PEM, one after another (both
      // during a rotation). Tests choose them in cert_authority-awsra.json ({"certificates": [...]});
      // without it, the cluster's one certificate is the fixture awsra-ca-1.pem.
      const type = rest.find((a) => a.startsWith('--type='))?.slice(7) ?? rest[rest.indexOf('--type') + 1];
      if (type !== 'awsra') fail(`the stand-in exports only --type=awsra, not "${type ?? ''}"`);
      rbac('cert_authority', 'read');
      const chosen = path.join(dir, 'cert_authority-awsra.json');
      const certificates = existsSync(chosen)
        ? JSON.parse(readFileSync(chosen, 'utf8')).certificates
        : [readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/awsra-ca-1.pem'), 'utf8')];
      out.push(certificates.map((c) => c.trim() + '\n').join(''));
      exitWith(0);
    }
    if (command === 'get' && (rest.find((a) => !a.startsWith('-')) ?? '').includes(',')) {
      // Several refs (`tctl get token/a,token/b`): tctl prints them only as YAML documents separated
      // by `---`, each read as a single ref is, and fails the whole call when one does not exist
      // (tool/tctl/common/resource_command.go: GetMany; lib/utils: WriteYAML).
      const json = rest.includes('--format=json') || rest.join(' ').includes('--format json');
      if (json) fail('mixed resource types only support YAML formatting');
      const documents = [];
      for (const one of rest.find((a) => !a.startsWith('-')).split(',')) {
        const { kind, name } = ref(one);
        if (name === undefined) {
          rbac(kind, 'list');
          rbac(kind, 'read');
          documents.push(...all(kind));
          continue;
        }
        rbac(kind, 'read');
        const stored = load(kind, name);
        if (!stored) fail(`${kind} "${name}" doesn't exist`);
        documents.push(stored);
      }
      const { stringify } = await import('yaml');
      out.push(documents.map((d) => stringify(d)).join('---\n'));
    } else if (command === 'get') {
      const target = rest.find((a) => !a.startsWith('-'));
      const format = rest.includes('--format=json') || rest.join(' ').includes('--format json');
      if (!format) fail('the stand-in only supports --format=json for one ref');
      const { kind, name } = ref(target);
      if (name === undefined) {
        // Teleport checks both verbs to list a kind.
        rbac(kind, 'list');
        rbac(kind, 'read');
        out.push(JSON.stringify(all(kind), null, 4) + '\n');
        exitWith(0);
      }
      rbac(kind, 'read');
      const stored = load(kind, name);
      if (!stored) fail(`${kind} "${name}" doesn't exist`);
      out.push(JSON.stringify([stored], null, 4) + '\n');
    } else if (command === 'create') {
      const force = rest.includes('-f') || rest.includes('--force');
      const file = rest.find((a) => !a.startsWith('-'));
      const text = file ? readFileSync(file, 'utf8') : (stdin ?? readFileSync(0, 'utf8'));
      let resource;
      try {
        // Loaded only here: most calls read, and every call is a process start (tests make hundreds).
        const { parse } = await import('yaml');
        resource = parse(text);
      } catch (error) {
        fail(`failed to parse the resource: ${error.message}`);
      }
      const kind = kindOf(resource?.kind);
      if (!kind || resource.kind !== kind) fail(`unsupported resource kind "${resource?.kind}"`);
      if (kind === 'app_server') fail('the stand-in does not create app servers (tests write them as the web UI leaves them)');
      checkAll(kind, resource);
      if (resource.version !== KINDS[kind].version) fail(`unsupported ${kind} version "${resource.version}"`);
      const name = resource.metadata?.name;
      if (!name) fail('missing parameter metadata.name');
      const existing = load(kind, name);
      rbac(kind, existing ? 'update' : 'create');
      const metadata = { ...resource.metadata, revision: randomUUID() };
      let stored;
      let said;
      if (kind === 'integration' && resource.sub_kind === 'aws-ra') {
        // lib/auth/integration/integrationv1/service.go and api/types/integration.go: the name is a
        // DNS-1035 label (apps are <profile>-<integration>.<proxy>), the trust anchor's ARN is required,
        // and an enabled profile sync needs its profile and role ARNs.
        if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) fail(`integration name "${name}" must be a valid DNS-1035 label for aws-ra integrations`);
        const ra = resource.spec?.aws_ra;
        if (!/^arn:aws[a-z-]*:rolesanywhere:[a-z0-9-]+:\d{12}:trust-anchor\/.+$/.test(ra?.trust_anchor_arn ?? ''))
          fail('trust_anchor_arn is required (a Roles Anywhere trust anchor ARN)');
        const sync = ra.profile_sync_config ?? {};
        if (sync.enabled) {
          if (!/^arn:aws[a-z-]*:rolesanywhere:[a-z0-9-]+:\d{12}:profile\/.+$/.test(sync.profile_arn ?? ''))
            fail('profile_sync_config.profile_arn is required when profile sync is enabled');
          if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(sync.role_arn ?? '')) fail('profile_sync_config.role_arn is required when profile sync is enabled');
        }
        if (existing && !force) {
          err.push(`ERROR: use -f or --force flag to overwrite\nIntegration "${name}" already exists\n`);
          exitWith(1);
        }
        stored = { kind, sub_kind: 'aws-ra', version: 'v1', metadata, spec: { aws_ra: { ...ra } }, status: existing?.status ?? {} };
        said = `Integration "${name}" has been ${existing ? 'updated' : 'created'}`;
      } else if (kind === 'integration') {
        if (resource.sub_kind !== 'aws-oidc') fail(`unsupported integration sub_kind "${resource.sub_kind}"`);
        if (!resource.spec?.aws_oidc?.role_arn) fail('missing awsoidc role_arn');
        const audience = resource.spec.aws_oidc.audience ?? '';
        if (!['', 'aws-identity-center'].includes(audience)) fail(`unsupported audience value "${audience}"`);
        if (existing && !force) {
          err.push(`ERROR: use -f or --force flag to overwrite\nIntegration "${name}" already exists\n`);
          exitWith(1);
        }
        stored = { kind, sub_kind: 'aws-oidc', version: 'v1', metadata, spec: { aws_oidc: { ...resource.spec.aws_oidc } }, status: {} };
        said = `Integration "${name}" has been ${existing ? 'updated' : 'created'}`;
      } else if (kind === 'discovery_config') {
        if (existing && !force) fail(`discovery_config "${name}" already exists`);
        // sub_kind synthetic: a Discovery Service publishing its static configuration (tests seed it
        // as that service would; Teleport lets no one else write one), kept as written.
        if (resource.sub_kind !== undefined && resource.sub_kind !== 'synthetic') fail(`unsupported discovery_config sub_kind "${resource.sub_kind}"`);
        const synthetic = resource.sub_kind === 'synthetic';
        stored = {
          kind,
          ...(synthetic ? { sub_kind: 'synthetic' } : {}),
          version: 'v1',
          metadata,
          spec: synthetic ? resource.spec : discoveryConfigDefaults(resource),
          status: existing?.status ?? {},
        };
        said = `DiscoveryConfig "${name}" has been ${force ? 'written' : 'created'}`;
      } else if (kind === 'token') {
        const spec = resource.spec ?? {};
        if (!Array.isArray(spec.roles) || spec.roles.length === 0) fail('provisioning token is missing roles');
        if (!spec.join_method) fail('provisioning token is missing join_method');
        if (spec.join_method === 'iam' && (!Array.isArray(spec.allow) || spec.allow.length === 0)) {
          fail('the "iam" join method requires at least one token allow rule');
        }
        stored = { kind, version: 'v2', metadata, spec };
        said = `provision_token "${name}" has been created`;
      } else {
        if (existing && !force) fail(`user_task "${name}" already exists`);
        stored = { kind, version: 'v1', metadata, spec: resource.spec ?? {}, status: resource.status ?? {} };
        said = `user task "${name}" has been created`;
      }
      writeFileSync(fileOf(kind, name), JSON.stringify(stored));
      out.push(`${said}\n`);
    } else if (command === 'rm') {
      const { kind, name } = ref(rest[0]);
      if (name === undefined) fail('rm needs a resource name, such as integration/<name>');
      rbac(kind, 'delete');
      if (!load(kind, name)) fail(`${kind} "${name}" doesn't exist`);
      if (kind === 'integration') refuseIfInUse(name);
      rmSync(fileOf(kind, name));
      if (kind === 'integration') deleteAssociated(name);
      const said = {
        integration: `Integration "${name}" removed`,
        discovery_config: `DiscoveryConfig "${name}" has been deleted`,
        token: `token "${name}" has been deleted`,
        user_task: `user task "${name}" has been deleted`,
      }[kind];
      out.push(`${said}\n`);
    } else {
      fail(`unknown command "${command ?? ''}" (the stand-in supports get, create and rm)`);
    }

    /**
     * Teleport 18.2.10+ (PR #59607 as merged, lib/auth/integration/integrationv1/awsoidc.go): the
     * AWS matchers that name the integration leave every discovery_config (one left with nothing
     * goes whole), and every app server whose app names it is deleted, through the backend. The
     * cluster's version is the file `server-version` in the folder (default 18.9.0, the issuer
     * stand-in's).
     */
    function deleteAssociated(name) {
      const versionFile = path.join(dir, 'server-version');
      const version = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : '18.9.0';
      const [major, minor, patch] = version.split('.').map(Number);
      if (major * 1e6 + minor * 1e3 + patch < 18_002_010) return;
      // A synthetic config is a Discovery Service's teleport.yaml, which that service publishes again
      // whatever is done to it: left as its next publish would leave it.
      for (const config of all('discovery_config').filter((c) => c.sub_kind !== 'synthetic')) {
        const aws = config.spec?.aws ?? [];
        const kept = aws.filter((m) => m.integration !== name);
        if (kept.length === aws.length) continue;
        const others = ['azure', 'gcp', 'kube'].some((k) => (config.spec?.[k] ?? []).length > 0) || config.spec?.access_graph;
        if (kept.length === 0 && !others) rmSync(fileOf('discovery_config', config.metadata.name));
        else writeFileSync(fileOf('discovery_config', config.metadata.name), JSON.stringify({ ...config, spec: { ...config.spec, aws: kept } }));
      }
      for (const server of all('app_server')) {
        if (server.spec?.app?.spec?.integration === name) rmSync(fileOf('app_server', server.metadata.name));
      }
    }

    /** Teleport's DeleteIntegration checks, in its order: External Audit Storage (draft and cluster), then the AWS Identity Center plugin. */
    function refuseIfInUse(name) {
      const json = (file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      for (const which of ['draft', 'cluster']) {
        const file = `external_audit_storage-${which}.json`;
        if (existsSync(path.join(dir, file)) && json(file).spec?.integration_name === name) {
          fail('cannot delete AWS OIDC integration currently referenced by External Audit Storage integration');
        }
      }
      for (const file of readdirSync(dir).filter((f) => f.startsWith('plugin-') && f.endsWith('.json'))) {
        const plugin = json(file);
        if (plugin.spec?.aws_ic?.integration_name === name) {
          fail(`cannot delete AWS OIDC integration currently referenced by AWS Identity Center integration ${JSON.stringify(plugin.metadata?.name ?? '')}`);
        }
      }
    }
  }
}
