/**
 * A local HTTP server standing in for the GitHub REST API (pointed at with GITHUB_API_URL),
 * following GitHub's documented request and response shapes for what the action calls:
 * GET /user, list / create / update issue comments (with Link-header pagination), and issues:
 * list by label and state (pull requests excluded from nothing, as GitHub's own list), create
 * with labels, update body and state; with `issuesDisabled`, every issue call answers 410
 * "Issues are disabled for this repo", as GitHub does.
 *
 * Tokens decide who calls: "ghs_*" are installation tokens like GITHUB_TOKEN (GET /user
 * answers 403 "Resource not accessible by integration"; comments are github-actions[bot]'s),
 * "ghs_readonly" is the read-only token of a fork pull request (writes answer 403), and
 * "ghp_<login>" is a personal token of <login>.
 */
import http from 'node:http';

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
  created_at: string;
  updated_at: string;
}

const NOT_ACCESSIBLE = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' };

export interface StoredIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: { name: string }[];
  user: { login: string; type: string };
  html_url: string;
}

export class GitHubStandIn {
  comments: (StoredComment & { issue?: number })[] = [];
  issues: StoredIssue[] = [];
  issuesDisabled = false;
  /** The token may not push: GitHub drops the labels of the issues it creates. */
  dropLabels = false;
  requests: { method: string; path: string; login: string }[] = [];
  url = '';
  private nextId = 1000;
  private server: http.Server | undefined;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as import('node:net').AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  reset(): void {
    this.comments = [];
    this.issues = [];
    this.issuesDisabled = false;
    this.dropLabels = false;
    this.requests = [];
  }

  addIssue(login: string, fields: { title: string; body: string; labels?: string[] }): StoredIssue {
    const number = this.issues.length + 100;
    const issue: StoredIssue = {
      number,
      title: fields.title,
      body: fields.body,
      state: 'open',
      state_reason: null,
      labels: (fields.labels ?? []).map((name) => ({ name })),
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.com/acme/infra/issues/${number}`,
    };
    this.issues.push(issue);
    return issue;
  }

  /** The comments of one issue (those added without a number count for every issue). */
  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === undefined || c.issue === issue);
  }

  addComment(login: string, body: string, issue?: number): StoredComment {
    const id = this.nextId++;
    const now = new Date().toISOString();
    const comment = {
      id,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.com/acme/infra/pull/7#issuecomment-${id}`,
      created_at: now,
      updated_at: now,
    };
    this.comments.push({ ...comment, issue });
    return comment;
  }

  writes(): { method: string; path: string }[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const token = String(req.headers.authorization ?? '').replace(/^(token|Bearer) /i, '');
    const installation = token.startsWith('ghs_');
    const login = installation ? 'github-actions[bot]' : token.replace(/^ghp_/, '');
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, login });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (!token) return send(401, { message: 'Requires authentication', status: '401' });
    if (req.method === 'GET' && url.pathname === '/user') {
      return installation ? send(403, NOT_ACCESSIBLE) : send(200, { login, id: 1, type: 'User' });
    }
    const issues = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(url.pathname);
    const issue = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(url.pathname);
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString()) as { body?: string; title?: string; labels?: string[]; state?: 'open' | 'closed'; state_reason?: string })
      : {};
    if (this.issuesDisabled && (issues || issue)) {
      return send(410, { message: 'Issues are disabled for this repo', documentation_url: 'https://docs.github.com/rest/issues', status: '410' });
    }
    if (req.method !== 'GET' && token === 'ghs_readonly') return send(403, NOT_ACCESSIBLE);
    if (body.body !== undefined && body.body.length > 65_536) {
      return send(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
        status: '422',
      });
    }
    if (issues && req.method === 'GET') {
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const state = url.searchParams.get('state') ?? 'open';
      const creator = url.searchParams.get('creator');
      const found = this.issues.filter(
        (i) =>
          (state === 'all' || i.state === state) &&
          labels.every((label) => i.labels.some((l) => l.name === label)) &&
          (creator === null || i.user.login === creator),
      );
      return send(200, found);
    }
    if (issues && req.method === 'POST') {
      // "Only users with push access can set labels for new issues. Labels are silently dropped otherwise."
      const labels = this.dropLabels ? [] : body.labels;
      return send(201, this.addIssue(login, { title: body.title ?? '', body: body.body ?? '', labels }));
    }
    if (issue && req.method === 'PATCH') {
      const found = this.issues.find((i) => i.number === Number(issue[3]));
      if (!found) return send(404, { message: 'Not Found', status: '404' });
      if (body.body !== undefined) found.body = body.body;
      if (body.state) {
        found.state = body.state;
        found.state_reason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
      }
      return send(200, found);
    }
    if (list && req.method === 'POST' && this.issues.some((i) => i.number === Number(list[3]))) {
      return send(201, this.addComment(login, body.body ?? '', Number(list[3])));
    }
    if (list && req.method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(this.comments.length / perPage));
      const headers: Record<string, string> = {};
      if (page < last) {
        const link = (p: number) => `<${this.url}${url.pathname}?per_page=${perPage}&page=${p}>`;
        headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
      }
      return send(200, this.comments.slice((page - 1) * perPage, page * perPage), headers);
    }
    if (list && req.method === 'POST') return send(201, this.addComment(login, body.body ?? ''));
    if (one && req.method === 'PATCH') {
      const comment = this.comments.find((c) => c.id === Number(one[3]));
      if (!comment) return send(404, { message: 'Not Found', status: '404' });
      if (comment.user.login !== login) return send(403, { message: 'You cannot edit this comment', status: '403' });
      comment.body = body.body ?? comment.body;
      comment.updated_at = new Date().toISOString();
      return send(200, comment);
    }
    return send(404, { message: 'Not Found', status: '404' });
  }
}
