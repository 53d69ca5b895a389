import { describe, expect, it } from 'vitest';
import { capAnnotations, type Annotation } from '../src/report/annotations.js';
import type { Change } from '../src/model/changes.js';
import { jsonDiff, renderReport, SUMMARY_LIMIT, type RunReport } from '../src/report/summary.js';

function drift(n: number, level: Annotation['level'] = 'error'): Annotation[] {
  return Array.from({ length: n }, (_, i) => ({ level, title: `Drift: item ${i + 1}`, message: `item ${i + 1} differs` }));
}

describe('capAnnotations', () => {
  it('keeps 10 or fewer of a kind as they are', () => {
    expect(capAnnotations(drift(10))).toEqual(drift(10));
  });
  it('25 drift items give 9 of them plus a 10th that counts the rest and points to the summary', () => {
    const capped = capAnnotations(drift(25));
    expect(capped).toHaveLength(10);
    expect(capped.slice(0, 9)).toEqual(drift(9));
    expect(capped[9]).toEqual({
      level: 'error',
      title: '16 more errors',
      message: '16 more error annotations are not shown (GitHub shows 10 per kind): see the job summary for all of them.',
    });
  });
  it('caps each kind on its own', () => {
    const capped = capAnnotations([...drift(12, 'warning'), ...drift(11, 'notice'), ...drift(3)]);
    expect(capped.filter((a) => a.level === 'error')).toHaveLength(3);
    expect(capped.filter((a) => a.level === 'warning')).toHaveLength(10);
    expect(capped.filter((a) => a.level === 'notice')).toHaveLength(10);
    expect(capped.filter((a) => a.level === 'notice')[9].title).toBe('2 more notices');
  });
  it('cuts messages at 4096 characters', () => {
    const [one] = capAnnotations([{ level: 'notice', title: 't', message: 'x'.repeat(5000) }]);
    expect(one.message.length).toBe(4096);
  });
});

const base: RunReport = {
  mode: 'plan',
  integration: 'aws<prod>',
  account: '123456789012',
  cluster: 'a|b',
  rows: [{ resource: 'IAM role', target: 'arn:aws:iam::1:role/<script>alert(1)</script>', status: 'would change', reason: 'tag "x" & | pipes\nnew line' }],
  changes: [],
  verdict: '1 change to apply',
};

describe('renderReport', () => {
  it('escapes every value so nothing renders as HTML or breaks the table', () => {
    const markdown = renderReport(base);
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markdown).toContain('aws&lt;prod&gt;');
    expect(markdown).toContain('a&#124;b');
    expect(markdown).toContain('tag &quot;x&quot; &amp; &#124; pipes<br>new line');
    const tableRow = markdown.split('\n').find((l) => l.startsWith('| IAM role'))!;
    expect(tableRow.split(' | ')).toHaveLength(4);
  });

  it('shows a changed trust policy as a collapsible before/after diff', () => {
    const change: Change = {
      action: 'update-trust-policy',
      resource: 'trust-policy',
      target: 'arn:aws:iam::1:role/r',
      reason: 'missing',
      before: { Version: '2012-10-17', Statement: [{ Sid: 'Keep' }] },
      after: { Version: '2012-10-17', Statement: [{ Sid: 'Keep' }, { Sid: 'Teleport' }] },
    };
    const markdown = renderReport({ ...base, changes: [change] });
    expect(markdown).toContain('<details><summary>Trust policy of arn:aws:iam::1:role/r: before / after</summary>');
    expect(markdown).toMatch(/\+\s+\{\n\+\s+&quot;Sid&quot;: &quot;Teleport&quot;/);
    expect(markdown).not.toMatch(/-\s+&quot;Sid&quot;: &quot;Keep&quot;/);
  });

  it('stays below the summary limit whatever it is given', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ resource: `r${i}`, target: 'x'.repeat(60), status: 'drift' as const, reason: 'y'.repeat(60) }));
    const markdown = renderReport({ ...base, rows });
    expect(markdown.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(markdown).toContain('The report was cut here');
    expect(SUMMARY_LIMIT).toBeLessThan((1024 * 1024) / 2);
  });
});

describe('jsonDiff', () => {
  it('marks added and removed lines only', () => {
    expect(jsonDiff({ a: 1 }, { a: 2 })).toBe('  {\n-   "a": 1\n+   "a": 2\n  }');
  });
  it('keeps unchanged lines as context', () => {
    expect(jsonDiff({ a: 1, b: 2 }, { a: 1, b: 2, c: 3 })).toBe('  {\n    "a": 1,\n-   "b": 2\n+   "b": 2,\n+   "c": 3\n  }');
  });
});
