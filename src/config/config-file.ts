/**
 * The `config` input's file: several integrations in one reviewed file. Validated against the
 * shipped JSON Schema (schema/config.schema.json) and then, entry by entry, by the same rules
 * as the single-integration inputs; every error names the file, line, column and key, before
 * any call.
 */
import { isMap, isScalar, LineCounter, parseDocument, stringify, type Document, type Node } from 'yaml';
import schema from '../../schema/config.schema.json' with { type: 'json' };
import { validate } from './generated/config-schema-validator.js';
import { InputError, InputErrors } from '../errors.js';
import { parseSettings, type InputReader, type Settings } from './inputs.js';

export interface ConfigEntry {
  /** The integration's name. */
  name: string;
  /** The account the entry is for; undefined: whichever the credentials are for. */
  accountId: string | undefined;
  settings: Settings;
}

export interface ConfigFile {
  path: string;
  entries: ConfigEntry[];
}

/** The step inputs that a config file replaces; giving both is an error. */
export const REPLACED_BY_CONFIG = ['cluster-url', 'integration', 'role-name'] as const;

const EXAMPLE = `integrations: [{ integration: aws-prod, role-name: teleport-aws-prod }]`;

export interface SchemaProblem {
  /** Where in the document: keys and indexes. */
  path: (string | number)[];
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/** The schema node a schemaPath (#/$defs/entry/additionalProperties) points into, for the keys it knows. */
function schemaAt(pointer: string): Record<string, unknown> | undefined {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], schema) as
    Record<string, unknown> | undefined;
}

/**
 * The file checked against the shipped JSON Schema by Ajv's standalone code, compiled from it
 * at bundle time (scripts/generate-validator.ts), each error said as a person would.
 */
export function validateAgainstSchema(value: unknown): SchemaProblem[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const path: (string | number)[] = error.instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const at = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
    const params = error.params;
    switch (error.keyword) {
      case 'additionalProperties': {
        const known = Object.keys((schemaAt(error.schemaPath.replace(/\/additionalProperties$/, ''))?.properties as object | undefined) ?? {});
        const key = String(params.additionalProperty);
        return { path: [...path, key], message: `unknown key "${key}" (known: ${known.join(', ')})` };
      }
      case 'required':
        return { path, message: `${String(params.missingProperty)} is required` };
      case 'type':
        return { path, message: `must be ${String(params.type).split(',').join(' or ')}, not ${typeOf(at)}` };
      case 'pattern':
        return { path, message: `"${String(at)}" does not match ${String(params.pattern)}` };
      case 'minItems':
        return { path, message: `needs at least ${String(params.limit)} item(s)` };
      default:
        return { path, message: error.message ?? error.keyword };
    }
  });
}

class Located {
  readonly lines = new LineCounter();
  document!: Document;
  constructor(readonly file: string) {}

  where(path: (string | number)[], key = false): string {
    // The key itself for an unknown or bad key; its value otherwise.
    let node = this.document.getIn(path, true) as Node | undefined;
    if (key && path.length > 0) {
      const parent = this.document.getIn(path.slice(0, -1), true);
      if (isMap(parent)) node = (parent.items.find((pair) => isScalar(pair.key) && pair.key.value === path[path.length - 1])?.key as Node) ?? node;
    }
    for (let up = path.length - 1; !node?.range && up >= 0; up--) node = this.document.getIn(path.slice(0, up), true) as Node | undefined;
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }

  error(path: (string | number)[], message: string, key = false): InputError {
    const name =
      path.length > 0
        ? path
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
            .join('')
            .replace(/^\./, '')
        : '(the file)';
    return new InputError('config', `${this.where(path, key)}: ${name}: ${message}`, EXAMPLE);
  }
}

/** The text an entry's value would have as a step input. */
function asInputText(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return stringify(value).trimEnd();
}

function tagsText(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/**
 * Parses and validates the file, then builds each entry's settings with the single-input rules:
 * an entry's key, else the file's default (cluster-url, cluster-name; tags merged), else the
 * step's input. Throws InputErrors listing every problem.
 */
export function parseConfigFile(file: string, text: string, step: InputReader): ConfigFile {
  const at = new Located(file);
  at.document = parseDocument(text, { lineCounter: at.lines, uniqueKeys: true, prettyErrors: false });
  if (at.document.errors.length > 0) {
    const error = at.document.errors[0];
    const { line, col } = at.lines.linePos(error.pos[0]);
    throw new InputErrors([new InputError('config', `${file}:${line}:${col}: is not valid YAML (${error.message.split('\n')[0]})`, EXAMPLE)]);
  }
  const data = at.document.toJS() as unknown;
  const problems = validateAgainstSchema(data);
  if (problems.length > 0) throw new InputErrors(problems.map((p) => at.error(p.path, p.message, p.message.startsWith('unknown key'))));

  const config = data as {
    'cluster-url'?: string;
    'cluster-name'?: string;
    tags?: Record<string, string>;
    discovery?: unknown;
    integrations: Record<string, unknown>[];
  };
  const errors: InputError[] = [];
  const entries: ConfigEntry[] = [];
  config.integrations.forEach((entry, index) => {
    const read: InputReader = (name) => {
      if (name === 'tags') return tagsText({ ...(config.tags ?? {}), ...((entry.tags as Record<string, string> | undefined) ?? {}) });
      if (name in entry) return asInputText(entry[name]);
      if (name === 'cluster-url' || name === 'cluster-name') return config[name] ?? '';
      // The file's default discovery is an aws-oidc entry's: an aws-ra one has none.
      if (name === 'discovery' && config.discovery !== undefined && entry['roles-anywhere'] === undefined) return asInputText(config.discovery);
      // Which entries a destroy takes is the step's confirm-destroy, checked by destroySelection.
      if (name === 'confirm-destroy' && step('mode').trim() === 'destroy') return String(entry.integration);
      return step(name);
    };
    try {
      entries.push({ name: String(entry.integration), accountId: entry['account-id'] as string | undefined, settings: parseSettings(read) });
    } catch (error) {
      if (!(error instanceof InputErrors)) throw error;
      for (const problem of error.errors) {
        const key = problem.input in entry ? problem.input : undefined;
        const path = key ? ['integrations', index, key] : ['integrations', index];
        errors.push(at.error(path, `${key ? '' : `${problem.input}: `}${problem.problem} (example: ${problem.input}: ${problem.example})`));
      }
    }
  });
  // One integration name once; one role per account once (IAM role names are case-insensitive).
  const seenNames = new Map<string, number>();
  const seenRoles = new Map<string, number>();
  config.integrations.forEach((entry, index) => {
    const name = String(entry.integration);
    if (seenNames.has(name))
      errors.push(at.error(['integrations', index, 'integration'], `"${name}" is already entry ${seenNames.get(name)! + 1}'s integration`));
    else seenNames.set(name, index);
    const role = `${(entry['account-id'] as string | undefined) ?? '(any account)'}/${String(entry['role-name']).toLowerCase()}`;
    if (entry['role-name'] === undefined) return;
    if (seenRoles.has(role)) {
      errors.push(
        at.error(
          ['integrations', index, 'role-name'],
          `role "${entry['role-name'] as string}" is already entry ${seenRoles.get(role)! + 1}'s, in the same account`,
        ),
      );
    } else seenRoles.set(role, index);
  });
  // aws-ra entries of one account: a trust anchor, sync role or sync profile of one name is one entry's.
  const seenRa = new Map<string, number>();
  entries.forEach(({ settings, accountId, name }) => {
    const ra = settings.rolesAnywhere;
    if (!ra) return;
    const index = config.integrations.findIndex((e) => String(e.integration) === name);
    for (const [key, value] of [
      ['trust-anchor', ra.trustAnchor],
      ['sync-role', ra.syncRole.toLowerCase()],
      ['sync-profile', ra.syncProfile],
    ] as const) {
      const id = `${accountId ?? '(any account)'}/${key}/${value}`;
      if (seenRa.has(id)) {
        errors.push(at.error(['integrations', index, 'roles-anywhere'], `${key} "${value}" is already entry ${seenRa.get(id)! + 1}'s, in the same account`));
      } else seenRa.set(id, index);
    }
  });
  if (errors.length > 0) throw new InputErrors(errors);
  return { path: file, entries };
}

/** `mode: list`: one matrix item per account (entries without account-id under ""), for `strategy.matrix`. */
export function matrixOf(config: ConfigFile): { include: { account: string; entries: string }[] } {
  const byAccount = new Map<string, string[]>();
  for (const entry of config.entries) byAccount.set(entry.accountId ?? '', [...(byAccount.get(entry.accountId ?? '') ?? []), entry.name]);
  return { include: [...byAccount].map(([account, names]) => ({ account, entries: names.join(',') })) };
}

/**
 * With a config file, confirm-destroy names the entries to destroy (comma-separated), or repeats
 * the file's path for every entry of the account: typed again, so a copied workflow cannot
 * delete by accident. Returns the entries it selects.
 */
export function destroySelection(config: ConfigFile, confirm: string): ConfigEntry[] {
  const typed = confirm.trim();
  const example = `${config.entries[0]?.name ?? 'aws-prod'} (or ${config.path} for every entry)`;
  if (typed === '')
    throw new InputError(
      'confirm-destroy',
      'is empty; with config, name the entries to destroy (comma-separated) or give the config path for all of them',
      example,
    );
  if (typed === config.path) return config.entries;
  const names = typed
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !config.entries.some((entry) => entry.name === name));
  if (unknown.length > 0)
    throw new InputError('confirm-destroy', `names ${unknown.map((n) => `"${n}"`).join(', ')}, not an entry of ${config.path}; nothing is deleted`, example);
  return config.entries.filter((entry) => names.includes(entry.name));
}
