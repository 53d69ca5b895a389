/**
 * The drift issue: one GitHub issue per integration (or config file) and account that a
 * scheduled check opens when it finds drift, updates while drift stays (saying what changed
 * since the last run), closes with a comment once clean, and reopens when drift comes back.
 * Found again by its label and a hidden marker, and by author, never by title.
 */
import type * as github from '@actions/github';
import { COMMENT_LIMIT, isPermissionProblem, ownLogin, truncateComment } from './comment.js';

type Octokit = ReturnType<typeof github.getOctokit>;

export const DRIFT_LABEL = 'teleport-drift';

export function driftIssueMarker(subject: string, account: string): string {
  return `<!-- teleport-aws-oidc-integration drift-issue subject="${subject.replace(/-->/g, '')}" account="${account}" -->`;
}

/** What the last run found, kept in the issue body so the next run can say what changed. */
const FINDINGS = /<!-- findings: (\[.*?\]) -->/s;

function findingsOf(body: string): string[] {
  try {
    return JSON.parse(FINDINGS.exec(body)?.[1] ?? '[]') as string[];
  } catch {
    return [];
  }
}

export interface DriftIssueInput {
  owner: string;
  repo: string;
  /** The integration, or `config <path>`. */
  subject: string;
  account: string;
  drift: boolean;
  /** One line per difference found, stable from run to run. */
  findings: string[];
  /** The job summary's Markdown. */
  report: string;
  runUrl: string | undefined;
}

export interface DriftIssueOutcome {
  action: 'opened' | 'updated' | 'reopened' | 'closed' | 'none';
  number?: number;
  url?: string;
}

function issueBody(input: DriftIssueInput, marker: string): string {
  // The findings line is an HTML comment with no "--": safe to keep next to the report.
  const findings = `<!-- findings: ${JSON.stringify(input.findings).replace(/--/g, '- -')} -->`;
  const head = [
    marker,
    findings,
    `A scheduled check found **${input.findings.length} difference${input.findings.length === 1 ? '' : 's'}** between the live state and the declared one` +
      `${input.runUrl ? ` in [this run](${input.runUrl})` : ''}. Run the workflow with \`mode: apply\` to repair it, or change the declaration. ` +
      'This issue is updated by every check and closed by the first one that finds no drift.',
    '',
  ].join('\n');
  return head + truncateComment(input.report, input.runUrl, COMMENT_LIMIT - head.length - 1);
}

function changeComment(before: string[], now: string[], runUrl: string | undefined): string {
  const added = now.filter((f) => !before.includes(f));
  const gone = before.filter((f) => !now.includes(f));
  const run = runUrl ? `[This run](${runUrl})` : 'This run';
  if (added.length === 0 && gone.length === 0) return `${run} still finds the same ${now.length} difference${now.length === 1 ? '' : 's'}.`;
  const lines = [`${run} finds ${now.length} difference${now.length === 1 ? '' : 's'}; since the last check:`];
  for (const f of added) lines.push(`- new: ${f}`);
  for (const f of gone) lines.push(`- gone: ${f}`);
  return lines.join('\n');
}

/** Opens, updates, reopens or closes the drift issue; what it did. Permission problems are the caller's to report. */
export async function syncDriftIssue(octokit: Octokit, input: DriftIssueInput): Promise<DriftIssueOutcome> {
  const { owner, repo } = input;
  const marker = driftIssueMarker(input.subject, input.account);
  const login = await ownLogin(octokit);
  type Listed = Awaited<ReturnType<typeof octokit.rest.issues.listForRepo>>['data'][number];
  // Ours: our marker, written by us; the newest if a person copied one.
  const ours = (issues: Listed[]) =>
    issues.filter((i) => !i.pull_request && i.user?.login === login && (i.body ?? '').includes(marker)).sort((a, b) => b.number - a.number)[0];
  let issue = ours(await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: DRIFT_LABEL, state: 'all', per_page: 100 }));
  // GitHub drops the labels of a new issue silently when the token may not push: look among ours by author too.
  issue ??= ours(await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, creator: login, state: 'all', per_page: 100 }));

  if (!input.drift) {
    if (!issue || issue.state === 'closed') return { action: 'none', number: issue?.number };
    const run = input.runUrl ? `[This run](${input.runUrl})` : 'This run';
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: `${run} finds no drift any more: closing.` });
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', number: issue.number, url: issue.html_url };
  }

  const body = issueBody(input, marker);
  if (!issue) {
    const title = `Drift in the Teleport AWS integration: ${input.subject} (account ${input.account})`;
    const { data } = await octokit.rest.issues.create({ owner, repo, title, body, labels: [DRIFT_LABEL] });
    return { action: 'opened', number: data.number, url: data.html_url };
  }
  const before = findingsOf(issue.body ?? '');
  const reopened = issue.state === 'closed';
  await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, body, ...(reopened ? { state: 'open' as const } : {}) });
  const comment = reopened ? `Drift is back. ${changeComment([], input.findings, input.runUrl)}` : changeComment(before, input.findings, input.runUrl);
  await octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: comment });
  return { action: reopened ? 'reopened' : 'updated', number: issue.number, url: issue.html_url };
}

/** 403 (no issues: write), 410 or 404 (issues disabled): a warning with the fix, never the step's failure. */
export function driftIssueProblem(error: unknown): string | undefined {
  const status = (error as { status?: number }).status;
  if (status === 410) return 'issues are disabled in this repository: enable them (Settings, Features, Issues) or set drift-issue: false';
  if (status === 404) return 'the repository has no issues, or the token cannot see them: enable issues, or give the job `permissions: issues: write`';
  if (isPermissionProblem(error)) return 'the token may not write issues: give the job `permissions: issues: write`';
  return undefined;
}
