/** Shared set-up for the integration tests: moto behind the recording proxy, the tctl stand-in. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { Aws } from '../../src/clients/aws.js';
import type { EngineDeps } from '../../src/engine/engine.js';
import { parseSettings, type Settings } from '../../src/config/inputs.js';
import { spawnRunner, Tctl, type CommandRunner } from '../../src/clients/tctl.js';
import type { Logger } from '../../src/logger.js';
import type { RetryPolicy } from '../../src/clients/retry.js';
import { AwsProxy } from './aws-proxy.js';
import { workerMotoUrl } from './worker.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TCTL_STANDIN = path.join(ROOT, '__tests__/support/fake-tctl/tctl');
const STANDIN_MODULE = path.join(ROOT, '__tests__/support/fake-tctl/standin.mjs');

/**
 * In-process engine runs call the tctl stand-in's logic directly (the same code its script runs):
 * a process start per call was most of these tests' time. dist/index.js runs, the tctl client's
 * own tests and any other path still spawn a process.
 */
export const standInRunner: CommandRunner = async (command, args, stdin) => {
  if (command !== TCTL_STANDIN) return spawnRunner(command, args, stdin);
  const { tctl } = (await import(STANDIN_MODULE)) as {
    tctl: (call: { argv: string[]; env: NodeJS.ProcessEnv; stdin?: string }) => Promise<{ exitCode: number; stdout: string; stderr: string }>;
  };
  return tctl({ argv: args, env: process.env, stdin });
};

export const BASE_INPUTS: Record<string, string> = {
  'cluster-url': 'localhost',
  integration: 'aws-test',
  'role-name': 'teleport-test-role',
  'cluster-name': 'teleport.example.com',
};

export const ACCOUNT = '123456789012';
/** The provider every test issuer (https://localhost) gets. */
export const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/localhost`;
/** The ownership tags of BASE_INPUTS' integration, as IAM lists them. */
export const OWNED_TAGS = [
  { Key: 'teleport.dev/cluster', Value: 'teleport.example.com' },
  { Key: 'teleport.dev/origin', Value: 'integration_awsoidc' },
  { Key: 'teleport.dev/integration', Value: 'aws-test' },
];

export function settingsFor(inputs: Record<string, string> = {}): Settings {
  const all = { ...BASE_INPUTS, ...inputs };
  return parseSettings((name) => all[name] ?? '');
}

export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  info = (message: string) => void this.lines.push(`info: ${message}`);
  debug = (message: string) => void this.lines.push(`debug: ${message}`);
  warning = (message: string) => void this.lines.push(`warning: ${message}`);
  group = (title: string) => void this.lines.push(`group: ${title}`);
  endGroup = () => void this.lines.push('endgroup');
}

export interface Harness {
  proxy: AwsProxy;
  /** A client straight to moto, for out-of-band changes the proxy does not record. */
  direct: (region?: string) => IAMClient;
  tctlDir: () => string;
  deps: (options?: {
    region?: string;
    skipTeleport?: boolean;
    retry?: Partial<RetryPolicy>;
    iamPageSize?: number;
    rolesAnywhereIntervalMs?: number;
  }) => EngineDeps & { aws: Aws; tctl: Tctl | undefined; logger: CapturingLogger; slept: number[] };
  tctlWrites: () => number;
  /** The environment a dist/index.js run needs to reach moto (through the proxy), the issuer and the tctl stand-in. */
  stepEnv: (extra?: Record<string, string>) => Record<string, string>;
  storedIntegration: (name: string) => { spec: { aws_oidc: { role_arn: string } } } | undefined;
  /** Every tctl call so far, as argv. */
  tctlCalls: () => { argv: string[]; write: boolean }[];
  /** A resource as the stand-in stores it (what `tctl get` prints, without the array). */
  stored: <T = Record<string, any>>(kind: string, name: string) => T | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Changes a stored resource out of band (someone in the web UI, or the Discovery Service writing status). */
  editStored: (kind: string, name: string, edit: (resource: Record<string, any>) => void) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Creates a resource through the stand-in (not logged as the action's), as a person with tctl would. */
  seed: (resource: object) => void;
}

/** Registers the hooks: a fresh moto state, proxy log and tctl folder before every test. */
export function useHarness(): Harness {
  const motoUrl = workerMotoUrl();
  const proxy = new AwsProxy(motoUrl);
  let tctlDir = '';
  // A worker runs several files one after another (isolate: false): what a file sets, it puts back.
  const names = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'TCTL_STANDIN_DIR'];
  const before = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  beforeAll(async () => {
    await proxy.start();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    });
  });
  afterAll(async () => {
    await proxy.stop();
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  beforeEach(async () => {
    const response = await fetch(`${motoUrl}/moto-api/reset`, { method: 'POST' });
    if (!response.ok) throw new Error('moto reset failed');
    proxy.clear();
    tctlDir = mkdtempSync(path.join(os.tmpdir(), 'tctl-standin-'));
    process.env.TCTL_STANDIN_DIR = tctlDir;
  });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  return {
    proxy,
    direct: (region = 'us-east-1') => new IAMClient({ endpoint: motoUrl, region, credentials }),
    tctlDir: () => tctlDir,
    deps: (options = {}) => {
      const logger = new CapturingLogger();
      // Retries sleep for no time but every wait is recorded, so backoff can be checked.
      const slept: number[] = [];
      const sleep = async (ms: number) => void slept.push(ms);
      // Roles Anywhere's pacing (one call per family a second) is its own test's; elsewhere it would only slow the suite.
      const aws = new Aws({
        region: options.region ?? 'us-east-1',
        logger,
        retry: { sleep, ...options.retry },
        iamPageSize: options.iamPageSize,
        rolesAnywhereIntervalMs: options.rolesAnywhereIntervalMs ?? 0,
      });
      const tctl = options.skipTeleport ? undefined : new Tctl(TCTL_STANDIN, standInRunner);
      return { aws, tctl, logger, slept };
    },
    stepEnv: (extra = {}) => ({
      AWS_ENDPOINT_URL: proxy.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      NODE_EXTRA_CA_CERTS: inject('issuer').caFile,
      TCTL_STANDIN_DIR: tctlDir,
      ...extra,
    }),
    tctlWrites: () => {
      const log = path.join(tctlDir, 'calls.log');
      if (!existsSync(log)) return 0;
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .filter((line) => (JSON.parse(line) as { write: boolean }).write).length;
    },
    tctlCalls: () => {
      const log = path.join(tctlDir, 'calls.log');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { argv: string[]; write: boolean });
    },
    stored: (kind, name) => {
      const file = path.join(tctlDir, `${kind}-${encodeURIComponent(name)}.json`);
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    },
    editStored: (kind, name, edit) => {
      const file = path.join(tctlDir, `${kind}-${encodeURIComponent(name)}.json`);
      const resource = JSON.parse(readFileSync(file, 'utf8'));
      edit(resource);
      writeFileSync(file, JSON.stringify(resource));
    },
    seed: (resource) => {
      // Through a separate log, so the action's call counts stay its own.
      const result = spawnSync(TCTL_STANDIN, ['create', '--force'], { input: JSON.stringify(resource), encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`seeding failed: ${result.stderr}`);
      const log = path.join(tctlDir, 'calls.log');
      const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
      writeFileSync(log, lines.slice(0, -1).join('\n') + (lines.length > 1 ? '\n' : ''));
    },
    storedIntegration: (name) => {
      // Read through the stand-in itself (not logged as a write), as a user would with tctl get.
      const result = spawnSync(TCTL_STANDIN, ['get', `integration/${name}`, '--format=json'], { encoding: 'utf8' });
      return result.status === 0 ? JSON.parse(result.stdout)[0] : undefined;
    },
  };
}
