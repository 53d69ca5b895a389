/** Teleport's `tctl`, run as a child process: reads and writes Teleport resources (integration, discovery_config, token, user_task). */
import { spawn } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

export interface IntegrationResource {
  kind: 'integration';
  sub_kind: string;
  version: string;
  metadata: { name: string; description?: string; labels?: Record<string, string> };
  spec: { aws_oidc: { role_arn: string; [field: string]: unknown } };
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; rejects only when it cannot be started (e.g. ENOENT). */
export type CommandRunner = (command: string, args: string[], stdin?: string) => Promise<CommandResult>;

export const spawnRunner: CommandRunner = (command, args, stdin) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {}); // a program that exits before reading stdin
    child.stdin.end(stdin ?? '');
  });

export class TctlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TctlError';
  }
}

const FIX =
  'Check that a step before this one installs tctl (teleport-actions/setup) and signs in (teleport-actions/auth, which sets ' +
  'TELEPORT_AUTH_SERVER and TELEPORT_IDENTITY_FILE), that the identity may create, update, read and list "integration" ' +
  'resources (and, with discovery, "discovery_config" and "token", and read and list "user_task"), or set skip-teleport: true ' +
  'to reconcile only the AWS side.';

/** When tctl says which rule is missing, name the rule to add to the workflow's Teleport role. */
function missingRule(stderr: string): string {
  const denied = /access denied to perform action "?(\w+)"? on "?([\w_]+)"?/i.exec(stderr);
  if (!denied) return '';
  return ` The workflow's Teleport role lacks the rule { resources: [${denied[2]}], verbs: [${denied[1]}] }: add it (see docs/permissions.md, Teleport).`;
}

/** How tctl says a resource does not exist (Teleport's NotFound: "not found" or "doesn't exist"). */
const MISSING = /not found|doesn't exist|does not exist/i;

/** A `tctl get` that failed for another reason than a missing resource, with the rule to add when Teleport denied it. */
function getFailed(ref: string, result: CommandResult): TctlError {
  return new TctlError(`tctl get ${ref} failed (exit ${result.exitCode}): ${result.stderr.trim()}.${missingRule(result.stderr)} ${FIX}`);
}

/** Teleport's name of a kind, as `tctl create` prints it. */
function kindOf(resource: { kind?: unknown }): string {
  return typeof resource.kind === 'string' ? resource.kind : 'resource';
}

export class Tctl {
  /** Every tctl invocation, with whether it writes: for the log and the tests. */
  readonly calls: { args: string[]; write: boolean }[] = [];

  constructor(
    readonly path: string,
    private readonly run: CommandRunner = spawnRunner,
  ) {}

  private async invoke(args: string[], write: boolean, stdin?: string): Promise<CommandResult> {
    this.calls.push({ args, write });
    try {
      return await this.run(this.path, args, stdin);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const why = code === 'ENOENT' || /Unable to locate executable/i.test(String(error)) ? 'was not found' : `could not be started (${String(error)})`;
      throw new TctlError(`tctl at "${this.path}" ${why}. ${FIX}`);
    }
  }

  /** `tctl get <ref> --format=json`: a JSON array; undefined when tctl says the resource does not exist. */
  private async getJson(ref: string): Promise<unknown[] | undefined> {
    const result = await this.invoke(['get', ref, '--format=json'], false);
    if (result.exitCode !== 0) {
      if (MISSING.test(result.stderr)) return undefined;
      throw getFailed(ref, result);
    }
    const text = result.stdout.trim();
    let items: unknown;
    try {
      items = text === '' ? [] : (JSON.parse(text.slice(Math.max(0, text.indexOf('[')))) as unknown);
    } catch {
      throw new TctlError(`tctl get ${ref} printed something that is not JSON: ${text.slice(0, 200)}`);
    }
    return Array.isArray(items) ? (items as unknown[]) : [items];
  }

  /** One resource (`tctl get <kind>/<name>`); undefined when it does not exist. */
  async getOne<T>(kind: string, name: string): Promise<T | undefined> {
    const items = await this.getJson(`${kind}/${name}`);
    return items?.[0] as T | undefined;
  }

  /**
   * Several resources of one kind by name, in one call (`tctl get <kind>/<a>,<kind>/<b>`), each
   * read by its name as `getOne` reads it; undefined when one of them does not exist, since tctl
   * then fails the whole call. tctl prints several refs only as YAML documents.
   */
  async getMany<T>(kind: string, names: string[]): Promise<T[] | undefined> {
    const refs = names.map((name) => `${kind}/${name}`).join(',');
    const result = await this.invoke(['get', refs], false);
    if (result.exitCode !== 0) {
      if (MISSING.test(result.stderr)) return undefined;
      throw getFailed(refs, result);
    }
    const documents = parseAllDocuments(result.stdout);
    const broken = documents.find((document) => document.errors.length > 0);
    if (broken) throw new TctlError(`tctl get ${refs} printed something that is not YAML: ${broken.errors[0].message}`);
    return documents.map((document) => document.toJS() as T).filter((item) => item !== null && item !== undefined);
  }

  /** Every resource of a kind (`tctl get <kind>`): one call for a run over many. */
  async listAll<T>(kind: string): Promise<T[]> {
    return ((await this.getJson(kind)) ?? []) as T[];
  }

  async get(name: string): Promise<IntegrationResource | undefined> {
    return this.getOne<IntegrationResource>('integration', name);
  }

  /** Every integration (`tctl get integrations`). */
  async list(): Promise<IntegrationResource[]> {
    return this.listAll<IntegrationResource>('integrations');
  }

  /** `tctl rm <kind>/<name>`; a missing one counts as removed (a re-run after a kill). */
  async remove(name: string, kind = 'integration'): Promise<string> {
    const ref = `${kind}/${name}`;
    const result = await this.invoke(['rm', ref], true);
    if (result.exitCode !== 0) {
      if (MISSING.test(result.stderr)) return `${kind === 'integration' ? 'Integration' : kind} "${name}" was already gone`;
      throw new TctlError(
        `tctl rm ${ref} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}.${missingRule(result.stderr)} ${FIX}`,
      );
    }
    return result.stdout.trim();
  }

  /**
   * The cluster's `awsra` CA certificates, PEM (`tctl auth export --type=awsra`): one, or two during
   * a rotation. What the trust anchor must hold (shared/reference/roles-anywhere.md).
   */
  async exportAwsRaCertificates(): Promise<string[]> {
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
  async create<R extends { kind?: unknown }>(resource: R): Promise<string> {
    const result = await this.invoke(['create', '--force'], true, JSON.stringify(resource));
    if (result.exitCode !== 0) {
      throw new TctlError(
        `tctl create --force (${kindOf(resource)}) failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}.${missingRule(result.stderr)} ${FIX}`,
      );
    }
    return result.stdout.trim();
  }
}
