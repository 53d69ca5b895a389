export const id = 899;
export const ids = [899];
export const modules = {

/***/ 7899:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DRIFT_LABEL: () => (/* binding */ DRIFT_LABEL),
/* harmony export */   driftIssueMarker: () => (/* binding */ driftIssueMarker),
/* harmony export */   driftIssueProblem: () => (/* binding */ driftIssueProblem),
/* harmony export */   syncDriftIssue: () => (/* binding */ syncDriftIssue)
/* harmony export */ });
/* harmony import */ var _comment_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4231);

const DRIFT_LABEL = 'teleport-drift';
function driftIssueMarker(subject, account) {
    return `<!-- teleport-aws-oidc-integration drift-issue subject="${subject.replace(/-->/g, '')}" account="${account}" -->`;
}
/** What the last run found, kept in the issue body so the next run can say what changed. */
const FINDINGS = /<!-- findings: (\[.*?\]) -->/s;
function findingsOf(body) {
    try {
        return JSON.parse(FINDINGS.exec(body)?.[1] ?? '[]');
    }
    catch {
        return [];
    }
}
function issueBody(input, marker) {
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
    return head + (0,_comment_js__WEBPACK_IMPORTED_MODULE_0__/* .truncateComment */ .sL)(input.report, input.runUrl, _comment_js__WEBPACK_IMPORTED_MODULE_0__/* .COMMENT_LIMIT */ .W$ - head.length - 1);
}
function changeComment(before, now, runUrl) {
    const added = now.filter((f) => !before.includes(f));
    const gone = before.filter((f) => !now.includes(f));
    const run = runUrl ? `[This run](${runUrl})` : 'This run';
    if (added.length === 0 && gone.length === 0)
        return `${run} still finds the same ${now.length} difference${now.length === 1 ? '' : 's'}.`;
    const lines = [`${run} finds ${now.length} difference${now.length === 1 ? '' : 's'}; since the last check:`];
    for (const f of added)
        lines.push(`- new: ${f}`);
    for (const f of gone)
        lines.push(`- gone: ${f}`);
    return lines.join('\n');
}
/** Opens, updates, reopens or closes the drift issue; what it did. Permission problems are the caller's to report. */
async function syncDriftIssue(octokit, input) {
    const { owner, repo } = input;
    const marker = driftIssueMarker(input.subject, input.account);
    const login = await (0,_comment_js__WEBPACK_IMPORTED_MODULE_0__/* .ownLogin */ .C4)(octokit);
    // Ours: our marker, written by us; the newest if a person copied one.
    const ours = (issues) => issues.filter((i) => !i.pull_request && i.user?.login === login && (i.body ?? '').includes(marker)).sort((a, b) => b.number - a.number)[0];
    let issue = ours(await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: DRIFT_LABEL, state: 'all', per_page: 100 }));
    // GitHub drops the labels of a new issue silently when the token may not push: look among ours by author too.
    issue ??= ours(await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, creator: login, state: 'all', per_page: 100 }));
    if (!input.drift) {
        if (!issue || issue.state === 'closed')
            return { action: 'none', number: issue?.number };
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
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, body, ...(reopened ? { state: 'open' } : {}) });
    const comment = reopened ? `Drift is back. ${changeComment([], input.findings, input.runUrl)}` : changeComment(before, input.findings, input.runUrl);
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: comment });
    return { action: reopened ? 'reopened' : 'updated', number: issue.number, url: issue.html_url };
}
/** 403 (no issues: write), 410 or 404 (issues disabled): a warning with the fix, never the step's failure. */
function driftIssueProblem(error) {
    const status = error.status;
    if (status === 410)
        return 'issues are disabled in this repository: enable them (Settings, Features, Issues) or set drift-issue: false';
    if (status === 404)
        return 'the repository has no issues, or the token cannot see them: enable issues, or give the job `permissions: issues: write`';
    if ((0,_comment_js__WEBPACK_IMPORTED_MODULE_0__/* .isPermissionProblem */ .nj)(error))
        return 'the token may not write issues: give the job `permissions: issues: write`';
    return undefined;
}


/***/ })

};
