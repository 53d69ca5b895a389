/**
 * `mode: import`'s inputs: the cluster, the file to write and what to look at. Every other
 * input declares something, and import declares from what is live: one set is an error, so a
 * copied apply step turned into an import cannot silently ignore it. Checked before any call.
 */
import path from 'node:path';
import { collecting, InputError, InputErrors } from '../errors.js';
import { parseIssuer, type Issuer } from './issuer.js';
import {
  DEFAULT_ROLE_DESCRIPTION,
  parseAccountId,
  parseBoolean,
  parseClusterName,
  parseIntegration,
  parseRegions,
  parseTctlPath,
  type InputReader,
} from './inputs.js';

export interface ImportSettings {
  mode: 'import';
  issuer: Issuer;
  /** Undefined: read from <cluster-url>/webapi/find. */
  clusterName: string | undefined;
  /** Only this integration; undefined: every aws-oidc integration whose role is in the caller's account. */
  integration: string | undefined;
  /** Where to look for ec2-ssm's document; empty: the job's region and the partition's home region. */
  regions: string[];
  tctlPath: string;
  accountId: string | undefined;
  /** The file to write, relative to the workspace (as the user gave it). */
  configPath: string;
}

const CONFIG_EXAMPLE = '.github/teleport-integrations.yml';

/** Inputs that declare something: import reads that from what is live. */
const DECLARING_TEXT = ['role-name', 'tags', 'features', 'discovery', 'confirm-destroy', 'fail-on-drift'];
const DECLARING_FLAGS = [
  'adopt-existing-role',
  'adopt-existing-provider',
  'adopt-existing-document',
  'adopt-existing-discovery',
  'destroy',
  'skip-teleport',
  'drift-issue',
  'fail-on-unhealthy',
];

function parseConfigPath(raw: string): string {
  const file = raw.trim();
  if (file === '') throw new InputError('config', 'is empty; mode import writes the config file there', CONFIG_EXAMPLE);
  if (path.isAbsolute(file) || path.normalize(file).split(/[\\/]/).includes('..')) {
    throw new InputError('config', `"${file}" is not a path inside the repository; give one relative to it`, CONFIG_EXAMPLE);
  }
  if (!/\.ya?ml$/i.test(file)) throw new InputError('config', `"${file}" is not a YAML file name (.yml or .yaml)`, CONFIG_EXAMPLE);
  return file;
}

/** Validates import's inputs and reports every problem at once; throws InputErrors. */
export function parseImportSettings(read: InputReader): ImportSettings {
  const errors: InputError[] = [];
  const attempt = collecting(InputError, errors);
  const declaring = (name: string) => new InputError(name, 'is set with mode import, which writes every entry from what is live', `'' (leave it out)`);
  for (const name of DECLARING_TEXT) if (read(name).trim() !== '') errors.push(declaring(name));
  for (const name of DECLARING_FLAGS) if (attempt(() => parseBoolean(name, read(name), false), false)) errors.push(declaring(name));
  const description = read('role-description').trim();
  if (description !== '' && description !== DEFAULT_ROLE_DESCRIPTION) errors.push(declaring('role-description'));
  const integration = read('integration').trim();
  const settings: ImportSettings = {
    mode: 'import',
    issuer: attempt(() => parseIssuer(read('cluster-url')), { url: '', host: '' }),
    clusterName: attempt(() => parseClusterName(read('cluster-name')), undefined),
    integration: integration === '' ? undefined : attempt(() => parseIntegration(integration), undefined),
    regions: attempt(() => parseRegions(read('regions')), []),
    tctlPath: attempt(() => parseTctlPath(read('tctl-path'), false), 'tctl'),
    accountId: attempt(() => parseAccountId(read('account-id')), undefined),
    configPath: attempt(() => parseConfigPath(read('config')), ''),
  };
  if (errors.length > 0) throw new InputErrors(errors);
  return settings;
}
