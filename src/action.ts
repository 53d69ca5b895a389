/** The GitHub Action: a thin adapter between the runner (@actions/*) and the engine. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { COMMENT_LIMIT, commentMarker, isPermissionProblem, truncateComment, upsertComment } from './report/comment.js';
import { Aws } from './clients/aws.js';
import { capAnnotations, type Annotation } from './report/annotations.js';
import { errorMessage } from './errors.js';
import type { Settings } from './config/inputs.js';
import { Tctl, type CommandRunner } from './clients/tctl.js';
import type { Logger } from './logger.js';
import { runAction } from './engine/run.js';
import { runConfig } from './engine/run-config.js';
import type { ConfigEntry, ConfigFile } from './config/config-file.js';
import { renderOverview, resultsJson } from './report/overview.js';
import { escapeHtml, renderFailure } from './report/summary.js';
import type { Secrets } from './secrets.js';
import type { ImportSettings } from './config/import-inputs.js';
import { importIntegrations } from './engine/import.js';
import { renderImport, type FileOutcome } from './report/import.js';

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
    group: (title) => core.startGroup(secrets.redact(title)),
    endGroup: () => core.endGroup(),
  };
}

/**
 * StackSet operations are polled at AWS's pace; the end-to-end tests shorten it (docs/testing.md).
 * Not an input: users keep AWS's pace.
 */
function operationPollMs(): number | undefined {
  const ms = Number(process.env.TELEPORT_ACTION_TEST_OPERATION_POLL_MS);
  return Number.isInteger(ms) && ms > 0 ? ms : undefined;
}

/** Tests only: the spacing of Roles Anywhere calls (its rate limit's 1,000 ms otherwise). */
function rolesAnywhereIntervalMs(): number | undefined {
  const raw = process.env.TELEPORT_ACTION_TEST_ROLES_ANYWHERE_INTERVAL_MS;
  const ms = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(ms) && ms >= 0 ? ms : undefined;
}

/** The job's region, as configure-aws-credentials exports it. */
function jobRegion(): string {
  return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** The run's annotations, at most as many as GitHub shows, secrets redacted. */
function emitAnnotations(annotations: Annotation[], secrets: Secrets): void {
  for (const annotation of capAnnotations(annotations)) core[annotation.level](secrets.redact(annotation.message), { title: secrets.redact(annotation.title) });
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

/** Comments on pull requests only; a token that may not comment gives a warning, never a failure. */
interface Commentable {
  /** Names the sticky comment with the account: an integration, or a config file. */
  label: string;
  account: string;
  somethingToSay: boolean;
  markdown: string;
}

async function commentOnPullRequest(settings: Settings, report: Commentable, token: string, secrets: Secrets): Promise<void> {
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
  if (settings.commentOnPr === 'changes-only' && !report.somethingToSay) {
    core.info('no pull-request comment: no changes (comment-on-pr: changes-only)');
    return;
  }
  if (!token) {
    core.warning('No pull-request comment: github-token is empty. Leave it at its default (${{ github.token }}) or pass a token.', {
      title: 'Pull-request comment skipped',
    });
    return;
  }
  const marker = commentMarker(report.label, report.account);
  const body = truncateComment(report.markdown, runUrl(), COMMENT_LIMIT - marker.length - 1);
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

interface DriftReport {
  /** The integration, or `config <path>`. */
  subject: string;
  account: string;
  drift: boolean;
  findings: string[];
  markdown: string;
  /** Every entry was read completely. */
  complete: boolean;
}

/** drift-issue: the issue follows the check's verdict; a token or repository that cannot gives a warning, never another verdict. */
async function keepDriftIssue(report: DriftReport, token: string, secrets: Secrets): Promise<void> {
  const title = 'Drift issue not updated';
  if (!report.complete) {
    // Partial findings would close an issue, or call differences gone, that are not.
    core.warning('The drift issue was left as it is: the check could not read everything (see the errors above).', { title });
    return;
  }
  if (!token) {
    core.warning('drift-issue is set but github-token is empty: leave it at its default (${{ github.token }}) or pass a token.', { title });
    return;
  }
  const [github, { syncDriftIssue, driftIssueProblem }] = await Promise.all([import('@actions/github'), import('./report/drift-issue.js')]);
  try {
    const outcome = await syncDriftIssue(github.getOctokit(token), { ...github.context.repo, ...report, report: report.markdown, runUrl: runUrl() });
    if (outcome.action !== 'none')
      core.notice(`Drift issue #${outcome.number} ${outcome.action}: ${outcome.url ?? ''}`, { title: `Drift issue ${outcome.action}` });
    else core.info('drift issue: nothing to do (no drift, and no open drift issue)');
  } catch (error) {
    const problem = driftIssueProblem(error) ?? 'the GitHub API call failed';
    core.warning(secrets.redact(`Could not update the drift issue: ${problem} (${errorMessage(error)}). The job summary has the report.`), { title });
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

/** A run that threw: the error annotation and, as for every run, the job summary, both with the fix. */
async function fail(mode: Settings['mode'], subject: string, error: unknown, secrets: Secrets): Promise<void> {
  const message = secrets.redact(errorMessage(error));
  await writeSummary(secrets.redact(renderFailure(mode, subject, message, runUrl()))).catch(() => undefined);
  core.setFailed(message);
}

/** Runs with inputs already validated (src/main.ts), so a bad input never loads the AWS SDK. */
export async function run(settings: Settings, token: string, secrets: Secrets): Promise<void> {
  try {
    const logger = loggerFor(secrets);
    const aws = new Aws({
      region: jobRegion(),
      logger,
      mode: settings.mode,
      operationPollMs: operationPollMs(),
      rolesAnywhereIntervalMs: rolesAnywhereIntervalMs(),
    });
    const tctl = settings.skipTeleport ? undefined : new Tctl(settings.tctlPath, execRunner);
    const found = await runAction(settings, { aws, tctl, logger }, { runUrl: runUrl() });
    const result = { ...found, markdown: secrets.redact(found.markdown) };

    for (const [name, value] of Object.entries(result.outputs)) core.setOutput(name, value);
    emitAnnotations(result.annotations, secrets);
    await writeSummary(result.markdown);
    logger.info(`AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctl?.calls.length ?? 0}`);
    const somethingToSay = result.changes.length > 0 || result.drift;
    await commentOnPullRequest(
      settings,
      { label: settings.integration, account: result.identity.account, somethingToSay, markdown: result.markdown },
      token,
      secrets,
    );
    if (settings.driftIssue) {
      const findings = result.findings.map((f) => `${f.resource}: ${f.target}`);
      await keepDriftIssue(
        {
          subject: settings.integration,
          account: result.identity.account,
          drift: result.drift,
          findings,
          markdown: result.markdown,
          complete: result.complete,
        },
        token,
        secrets,
      );
    }
    if (result.failure) core.setFailed(secrets.redact(result.failure));
  } catch (error) {
    await fail(settings.mode, `Integration <code>${escapeHtml(settings.integration)}</code>`, error, secrets);
  }
}

/** A config file: every entry of the caller's account, one summary, one comment, one verdict. */
export async function runConfigFile(config: ConfigFile, step: Settings, token: string, secrets: Secrets): Promise<void> {
  try {
    const logger = loggerFor(secrets);
    const aws = new Aws({
      region: jobRegion(),
      logger,
      mode: step.mode,
      operationPollMs: operationPollMs(),
      rolesAnywhereIntervalMs: rolesAnywhereIntervalMs(),
    });
    const tctls: Tctl[] = [];
    const tctlFor = (entry: ConfigEntry) => {
      if (entry.settings.skipTeleport) return undefined;
      const tctl = new Tctl(entry.settings.tctlPath, execRunner);
      tctls.push(tctl);
      return tctl;
    };
    const { account, outcomes } = await runConfig(config, { aws, logger, tctlFor }, { runUrl: runUrl() });
    const markdown = secrets.redact(renderOverview(config.path, step.mode, account, outcomes, runUrl()));
    const results = outcomes.flatMap((o) => (o.status !== 'skipped' && o.result ? [{ name: o.entry.name, result: o.result }] : []));
    const changes = results.flatMap(({ name, result }) => result.changes.map((change) => ({ entry: name, ...change })));
    const drift = results.some(({ result }) => result.drift);
    core.setOutput('results', resultsJson(outcomes));
    core.setOutput('account-id', account);
    core.setOutput('changes', String(changes.length > 0));
    core.setOutput('plan', JSON.stringify(changes));
    core.setOutput('drift', String(drift));
    const annotations: Annotation[] = [
      ...results.flatMap(({ name, result }) => result.annotations.map((a) => ({ ...a, title: `[${name}] ${a.title}` }))),
      ...outcomes.flatMap((o): Annotation[] =>
        o.status === 'skipped'
          ? [
              {
                level: 'notice' as const,
                title: `[${o.entry.name}] skipped`,
                message: `Entry ${o.entry.name} is ${o.reason}: run it with that account's credentials.`,
              },
            ]
          : o.status === 'failed' && !o.result
            ? [{ level: 'error' as const, title: `[${o.entry.name}] failed`, message: o.error }]
            : [],
      ),
    ];
    emitAnnotations(annotations, secrets);
    await writeSummary(markdown);
    logger.info(`AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctls.reduce((n, t) => n + t.calls.length, 0)}`);
    await commentOnPullRequest(step, { label: `config ${config.path}`, account, somethingToSay: changes.length > 0 || drift, markdown }, token, secrets);
    if (step.driftIssue) {
      const findings = results.flatMap(({ name, result }) => result.findings.map((f) => `[${name}] ${f.resource}: ${f.target}`));
      const complete = outcomes.every((o) => o.status === 'skipped' || (o.result?.complete ?? false));
      await keepDriftIssue({ subject: `config ${config.path}`, account, drift, findings, markdown, complete }, token, secrets);
    }
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length > 0) {
      core.setFailed(
        secrets.redact(
          `${failed.length} of ${outcomes.length} entries failed:\n${failed.map((o) => `- ${o.entry.name}: ${(o as { error: string }).error}`).join('\n')}`,
        ),
      );
    }
  } catch (error) {
    await fail(step.mode, `Config <code>${escapeHtml(config.path)}</code>`, error, secrets);
  }
}

/**
 * mode import: the file is written in the workspace, never over an existing one (then it is
 * shown in the log and the summary instead); nothing is written anywhere else.
 */
export async function runImport(settings: ImportSettings, secrets: Secrets): Promise<void> {
  try {
    const logger = loggerFor(secrets);
    const aws = new Aws({ region: jobRegion(), logger, mode: 'import' });
    const tctl = new Tctl(settings.tctlPath, execRunner);
    const result = await importIntegrations(settings, { aws, tctl, logger });
    const file = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), settings.configPath);
    let outcome: FileOutcome = { status: 'empty', path: settings.configPath };
    if (result.entries.length > 0) {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        // 'wx': fails when the file exists, even one made since this run started.
        writeFileSync(file, result.text, { flag: 'wx' });
        outcome = { status: 'written', path: settings.configPath };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        outcome = { status: 'exists', path: settings.configPath };
        core.warning(`${settings.configPath} already exists: it was not overwritten. The imported file is in the job summary and below.`, {
          title: 'Config file not written',
        });
        core.startGroup(`Imported config (${settings.configPath} not overwritten)`);
        core.info(result.text);
        core.endGroup();
      }
    } else {
      core.warning(
        `Nothing was imported${result.notImported.length > 0 ? ' (see the job summary for why)' : ': Teleport has no aws-oidc integration'}; no file was written.`,
        {
          title: 'Nothing imported',
        },
      );
    }
    core.setOutput('config', outcome.status === 'written' ? settings.configPath : '');
    core.setOutput('imported', JSON.stringify(result.entries.map((e) => e.integration)));
    core.setOutput('account-id', result.identity.account);
    const annotations: Annotation[] = [
      ...result.entries.flatMap((e) => [
        ...e.notes.map((note): Annotation => ({ level: 'notice', title: `[${e.integration}] not declared`, message: note })),
        ...e.pending.map((change): Annotation => ({ level: 'warning', title: `[${e.integration}] a plan would change`, message: change })),
      ]),
      ...result.notImported.map((n): Annotation => ({ level: 'warning', title: `[${n.integration}] not imported`, message: n.reason })),
      ...result.warnings.map((message): Annotation => ({ level: 'warning', title: 'Import incomplete', message })),
    ];
    emitAnnotations(annotations, secrets);
    await writeSummary(secrets.redact(renderImport(result, outcome, runUrl())));
    logger.info(
      `AWS calls: ${aws.calls.length} (${aws.writes().length} writes); tctl calls: ${tctl.calls.length} (${tctl.calls.filter((c) => c.write).length} writes)`,
    );
  } catch (error) {
    await fail('import', `Config <code>${escapeHtml(settings.configPath)}</code>`, error, secrets);
  }
}
