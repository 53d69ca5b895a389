/** The sticky pull-request comment: one per integration and account, updated in place. */
import type * as github from '@actions/github';

/** GitHub rejects comment bodies over 65,536 characters ("Body is too long"). */
export const COMMENT_LIMIT = 65_536;
/** The login GitHub shows for comments made with the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT = 'github-actions[bot]';

export function commentMarker(integration: string, account: string): string {
  return `<!-- teleport-aws-oidc-integration integration="${integration.replace(/-->/g, '')}" account="${account}" -->`;
}

/** Cuts the body below the limit on a line boundary, and says so, pointing to the job summary. */
export function truncateComment(body: string, runUrl: string | undefined, limit = COMMENT_LIMIT): string {
  if (body.length <= limit) return body;
  const note = `\n\n**This comment was truncated** (GitHub allows ${limit} characters): see the full report in the job summary${runUrl ? ` of [the workflow run](${runUrl})` : ''}.\n`;
  const room = limit - note.length;
  const cut = body.lastIndexOf('\n', room);
  return body.slice(0, cut > 0 ? cut : room) + note;
}

export interface CommentOutcome {
  action: 'created' | 'updated';
  id: number;
  url: string | undefined;
}

type Octokit = ReturnType<typeof github.getOctokit>;

/** Statuses that mean "this token may not comment here": a warning, never a failed step. */
export function isPermissionProblem(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 401 || status === 403 || status === 404;
}

/** Who the token writes as: what our own comments and issues are found by. */
export async function ownLogin(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    // An installation token (GITHUB_TOKEN) may not read /user: its comments are the Actions bot's.
    if (isPermissionProblem(error)) return ACTIONS_BOT;
    throw error;
  }
}

/**
 * Finds our previous comment by marker AND author (so nobody can take it over by pasting
 * the marker into their own comment), then updates it, or creates one.
 */
export async function upsertComment(
  octokit: Octokit,
  target: { owner: string; repo: string; issueNumber: number },
  marker: string,
  body: string,
): Promise<CommentOutcome> {
  const login = await ownLogin(octokit);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  const previous = comments.find((comment) => comment.user?.login === login && (comment.body ?? '').includes(marker));
  const text = `${marker}\n${body}`;
  if (previous) {
    const { data } = await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: previous.id, body: text });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body: text });
  return { action: 'created', id: data.id, url: data.html_url };
}
