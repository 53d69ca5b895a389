/** The GitHub Action: a thin adapter between the runner (@actions/*) and the engine. */
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { COMMENT_LIMIT, commentMarker, isPermissionProblem, truncateComment, upsertComment } from './report/comment.js';
import { Aws } from './clients/aws.js';
import { capAnnotations } from './report/annotations.js';
import { errorMessage } from './errors.js';
import type { Settings } from './config/inputs.js';
import { Tctl, type CommandRunner } from './clients/tctl.js';
import type { Logger } from './logger.js';
import { runAction, type RunResult } from './engine/run.js';
import type { Secrets } from './secrets.js';

/** tctl through @actions/exec: silent (we log what matters), never throwing on exit codes. */
const execRunner: CommandRunner = async (command, args, stdin) => {
  const result = await getExecOutput(command, args, {
    input: stdin === undefined ? undefined : Buffer.from(stdin),
    ignoreReturnCode: true,
    silent: true,
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
};

function loggerFor(secrets: Secrets): Logger {
  return {
    info: (message) => core.info(secrets.redact(message)),
    debug: (message) => core.debug(secrets.redact(message)),
    warning: (message) => core.warning(secrets.redact(message)),
  };
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

/** Comments on pull requests only; a token that may not comment gives a warning, never a failure. */
async function commentOnPullRequest(settings: Settings, result: RunResult, token: string, secrets: Secrets): Promise<void> {
  const eventName = process.env.GITHUB_EVENT_NAME ?? '';
  if (!PULL_REQUEST_EVENTS.includes(eventName)) {
    core.debug(`no pull-request comment: the event is ${eventName}`);
    return;
  }
  // The GitHub client is loaded only here: most runs never comment.
  const github = await import('@actions/github');
  const { payload, repo } = github.context;
  if (!payload.pull_request) {
    core.debug('no pull-request comment: the event has no pull request');
    return;
  }
  if (settings.commentOnPr === 'false') return;
  if (settings.commentOnPr === 'changes-only' && result.changes.length === 0 && !result.drift) {
    core.info('no pull-request comment: no changes (comment-on-pr: changes-only)');
    return;
  }
  if (!token) {
    core.warning('No pull-request comment: github-token is empty. Leave it at its default (${{ github.token }}) or pass a token.', {
      title: 'Pull-request comment skipped',
    });
    return;
  }
  const marker = commentMarker(settings.integration, result.identity.account);
  const body = truncateComment(result.markdown, runUrl(), COMMENT_LIMIT - marker.length - 1);
  try {
    const octokit = github.getOctokit(token);
    const outcome = await upsertComment(octokit, { ...repo, issueNumber: payload.pull_request.number }, marker, body);
    core.info(`pull-request comment ${outcome.action}: ${outcome.url ?? outcome.id}`);
  } catch (error) {
    const hint = isPermissionProblem(error)
      ? 'The token may not comment on this pull request (a pull request from a fork gets a read-only token). ' +
        'Give the job `permissions: pull-requests: write`; fork pull requests cannot be commented on with GITHUB_TOKEN.'
      : 'The GitHub API call failed.';
    core.warning(secrets.redact(`Could not write the pull-request comment: ${errorMessage(error)}. ${hint} The job summary has the full report.`), {
      title: 'Pull-request comment skipped',
    });
  }
}

/**
 * The job summary, or the log where a runner has none (GitHub Enterprise Server before 3.6,
 * local runners): a warning says so, never a failure after everything was reconciled.
 */
async function writeSummary(markdown: string): Promise<void> {
  let problem: string | undefined;
  if (!process.env.GITHUB_STEP_SUMMARY) {
    problem = 'this runner gives no job summary (GITHUB_STEP_SUMMARY is not set: GitHub Enterprise Server before 3.6, or a local runner)';
  } else {
    try {
      await core.summary.addRaw(markdown).write();
      return;
    } catch (error) {
      problem = `the job summary could not be written (${errorMessage(error)})`;
    }
  }
  core.warning(`No job summary: ${problem}. The report follows in the log.`, { title: 'Job summary skipped' });
  core.startGroup('Report');
  core.info(markdown);
  core.endGroup();
}

/** Runs with inputs already validated (src/main.ts), so a bad input never loads the AWS SDK. */
export async function run(settings: Settings, token: string, secrets: Secrets): Promise<void> {
  try {
    const logger = loggerFor(secrets);
    const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
    const aws = new Aws({ region, logger });
    const tctl = settings.skipTeleport ? undefined : new Tctl(settings.tctlPath, execRunner);
    const found = await runAction(settings, { aws, tctl, logger }, { runUrl: runUrl() });
    const result = { ...found, markdown: secrets.redact(found.markdown) };

    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    for (const annotation of capAnnotations(result.annotations)) {
      core[annotation.level](secrets.redact(annotation.message), { title: secrets.redact(annotation.title) });
    }
    await writeSummary(result.markdown);
    logger.info(`AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctl?.calls.length ?? 0}`);
    await commentOnPullRequest(settings, result, token, secrets);
    if (result.failure) core.setFailed(secrets.redact(result.failure));
  } catch (error) {
    core.setFailed(secrets.redact(errorMessage(error)));
  }
}
