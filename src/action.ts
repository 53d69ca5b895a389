/** The GitHub Action: a thin adapter between the runner (@actions/*) and the engine. */
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { Aws } from './engine/aws.js';
import { capAnnotations } from './engine/annotations.js';
import { errorMessage } from './engine/errors.js';
import { parseSettings } from './engine/inputs.js';
import { Tctl, type CommandRunner } from './engine/integration.js';
import type { Logger } from './engine/logger.js';
import { runAction } from './engine/run.js';

/** tctl through @actions/exec: silent (we log what matters), never throwing on exit codes. */
const execRunner: CommandRunner = async (command, args, stdin) => {
  const result = await getExecOutput(command, args, {
    input: stdin === undefined ? undefined : Buffer.from(stdin),
    ignoreReturnCode: true,
    silent: true,
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
};

const logger: Logger = { info: core.info, debug: core.debug, warning: core.warning };

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

export async function run(): Promise<void> {
  try {
    const settings = parseSettings((name) => core.getInput(name));
    const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
    const aws = new Aws({ region, logger });
    const tctl = settings.skipTeleport ? undefined : new Tctl(settings.tctlPath, execRunner);
    const result = await runAction(settings, { aws, tctl, logger }, { runUrl: runUrl() });

    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    for (const annotation of capAnnotations(result.annotations)) {
      core[annotation.level](annotation.message, { title: annotation.title });
    }
    await core.summary.addRaw(result.markdown).write();
    core.info(`AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctl?.calls.length ?? 0}`);
    if (result.failure) core.setFailed(result.failure);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
