/** A config-file run in one report: an overview table, then each entry's own report, collapsed. Pure. */
import type { Mode } from '../config/inputs.js';
import { capLength, escapeHtml } from './summary.js';

/** What the overview reads of one entry's run (the engine's outcome of an entry has this shape). */
interface EntryResult {
  report: { verdict: string };
  changes: { action: string; target: string }[];
  drift: boolean;
  markdown: string;
  outputs: Record<string, string>;
}
type Entry = { name: string; accountId: string | undefined };
export type EntryOutcome =
  | { entry: Entry; status: 'done'; result: EntryResult }
  | { entry: Entry; status: 'failed'; result: EntryResult | undefined; error: string }
  | { entry: Entry; status: 'skipped'; reason: string };

function verdict(outcome: EntryOutcome): string {
  if (outcome.status === 'skipped') return `skipped: ${outcome.reason}`;
  if (outcome.status === 'failed' && !outcome.result) return `failed: ${outcome.error}`;
  return outcome.result!.report.verdict;
}

export function renderOverview(file: string, mode: Mode, account: string, outcomes: EntryOutcome[], runUrl?: string): string {
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const skipped = outcomes.filter((o) => o.status === 'skipped').length;
  const lines = [
    `## Teleport AWS OIDC integrations: ${escapeHtml(mode)}`,
    `Config <code>${escapeHtml(file)}</code> · account <code>${escapeHtml(account)}</code>`,
    `**${outcomes.length - skipped} entries run, ${failed} failed, ${skipped} skipped (other accounts)**`,
    '| Entry | Account | Verdict | Changes | Drift |',
    '| --- | --- | --- | --- | --- |',
    ...outcomes.map((o) => {
      const result = o.status === 'skipped' ? undefined : o.result;
      const entryAccount = o.entry.accountId ?? (o.status === 'skipped' ? '-' : account);
      return `| ${escapeHtml(o.entry.name)} | ${escapeHtml(entryAccount)} | ${escapeHtml(verdict(o))} | ${result ? result.changes.length : '-'} | ${result ? (result.drift ? 'yes' : 'no') : '-'} |`;
    }),
  ];
  const sections = outcomes
    .filter((o) => o.status !== 'skipped' && o.result)
    .map(
      (o) =>
        `<details><summary>${escapeHtml(o.entry.name)}: ${escapeHtml(verdict(o))}</summary>\n\n${(o as { result: { markdown: string } }).result.markdown}\n</details>`,
    );
  return capLength(
    [lines.slice(0, 3).join('\n\n'), lines.slice(3).join('\n'), ...sections, ...(runUrl ? [`[Workflow run](${runUrl})`] : [])].join('\n\n') + '\n',
  );
}

/** The `results` output: per entry, what it ended as. */
export function resultsJson(outcomes: EntryOutcome[]): string {
  return JSON.stringify(
    Object.fromEntries(
      outcomes.map((o) => {
        if (o.status === 'skipped') return [o.entry.name, { status: 'skipped', account: o.entry.accountId, reason: o.reason }];
        const outputs = o.result?.outputs;
        return [
          o.entry.name,
          {
            status: o.status,
            account: outputs?.['account-id'],
            'provider-arn': outputs?.['provider-arn'],
            'role-arn': outputs?.['role-arn'],
            changes: o.result ? o.result.changes.map(({ action, target }) => ({ action, target })) : [],
            drift: o.result?.drift ?? false,
            features: outputs ? (JSON.parse(outputs.features) as unknown) : {},
            discovery: outputs?.discovery ? (JSON.parse(outputs.discovery) as unknown) : {},
            ...(o.status === 'failed' ? { error: o.error } : {}),
          },
        ];
      }),
    ),
  );
}
