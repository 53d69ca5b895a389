/** The demo prints each job summary as a terminal shows it, and writes it as a page. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSummary, writeSummaryPage } from './support/terminal-summary.js';

const SUMMARY = [
  '## Teleport AWS OIDC integration: check',
  '',
  'Integration <code>aws-demo</code> · account <code>123456789012</code>',
  '',
  '| Resource | Target | Status | Reason |',
  '| --- | --- | --- | --- |',
  '| IAM role | <code>arn:aws:iam::1:role/x</code> | drift | trust &quot;a&quot; &amp; b &lt;c&gt;<br>next |',
  '| Tags | <code>t</code> | unchanged | fine |',
  '',
  '<details><summary>Planned changes (1)</summary>',
  '',
  '- `update-role` x',
  '',
  '</details>',
].join('\n');

describe('a job summary in a terminal', () => {
  it('decodes entities, drops tags and aligns the table', () => {
    const text = terminalSummary(SUMMARY);
    expect(text).not.toMatch(/&(quot|amp|lt|gt);|<code>|<br>|<details>|<summary>/);
    expect(text).toContain('Teleport AWS OIDC integration: check\n════');
    expect(text).toContain('Integration aws-demo · account 123456789012');
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('Resource'))!;
    const row = lines.find((l) => l.startsWith('IAM role'))!;
    // Columns line up: each column starts where its header does.
    expect(row.indexOf('drift')).toBe(header.indexOf('Status'));
    expect(row).toContain('trust "a" & b <c> next');
    expect(text).toContain('▸ Planned changes (1)');
  });

  it('writes the summary as an HTML page and as Markdown', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'summary-page-'));
    const page = writeSummaryPage(dir, '01-check', SUMMARY);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('<h2>Teleport AWS OIDC integration: check</h2>');
    expect(html).toMatch(/<table>[\s\S]*<td>IAM role<\/td>/);
    expect(readFileSync(path.join(dir, '01-check.md'), 'utf8')).toBe(SUMMARY);
  });
});
