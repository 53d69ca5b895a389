/** The tctl client against the stand-in: several tokens by name in one call, as tctl prints them (YAML documents). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Tctl, TctlError } from '../src/clients/tctl.js';
import type { JoinTokenResource } from '../src/model/teleport.js';
import { TCTL_STANDIN } from './support/harness.js';

let dir = '';
const token = (name: string) => ({
  kind: 'token',
  version: 'v2',
  metadata: { name },
  spec: { roles: ['Node'], join_method: 'iam', allow: [{ aws_account: '123456789012' }] },
});
const standIn = (args: string[], input?: string) => spawnSync(TCTL_STANDIN, args, { input, encoding: 'utf8', env: { ...process.env, TCTL_STANDIN_DIR: dir } });

afterAll(() => void delete process.env.TCTL_STANDIN_DIR);
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tctl-client-'));
  process.env.TCTL_STANDIN_DIR = dir;
  for (const name of ['a-ec2', 'b-ec2']) expect(standIn(['create', '--force'], JSON.stringify(token(name))).status).toBe(0);
});

describe('Tctl.getMany', () => {
  it('reads several tokens by name in one call, never listing the kind', async () => {
    const tctl = new Tctl(TCTL_STANDIN);
    const found = await tctl.getMany<JoinTokenResource>('token', ['a-ec2', 'b-ec2']);
    expect(found?.map((t) => t.metadata.name)).toEqual(['a-ec2', 'b-ec2']);
    expect(found?.[1].spec).toMatchObject({ join_method: 'iam', roles: ['Node'] });
    expect(tctl.calls.map((c) => c.args.join(' '))).toEqual(['get token/a-ec2,token/b-ec2']);
  });

  it('is undefined when one of them does not exist (tctl fails the whole call)', async () => {
    expect(await new Tctl(TCTL_STANDIN).getMany('token', ['a-ec2', 'gone-ec2'])).toBeUndefined();
  });

  it('names the missing rule when Teleport denies the read', async () => {
    writeFileSync(path.join(dir, 'rules.json'), JSON.stringify({ token: ['create'] }));
    await expect(new Tctl(TCTL_STANDIN).getMany('token', ['a-ec2', 'b-ec2'])).rejects.toThrow(TctlError);
    await expect(new Tctl(TCTL_STANDIN).getMany('token', ['a-ec2', 'b-ec2'])).rejects.toThrow(/\{ resources: \[token\], verbs: \[read\] \}/);
  });

  it('the stand-in refuses JSON for several refs, as tctl does', () => {
    const result = standIn(['get', 'token/a-ec2,token/b-ec2', '--format=json']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('mixed resource types only support YAML formatting');
  });
});
