/** mode import's job summary: what was imported, what the file does not declare, and the file itself. Pure. */
import { capLength, escapeHtml } from './summary.js';
import type { ImportResult } from '../model/import-result.js';

/** Where the file went: written, or left alone because one was there. */
export type FileOutcome = { status: 'written'; path: string } | { status: 'exists'; path: string } | { status: 'empty'; path: string };

function verdict(result: ImportResult, file: FileOutcome): string {
  const count = `${result.entries.length} integration${result.entries.length === 1 ? '' : 's'} imported`;
  const skipped = result.notImported.length > 0 ? `, ${result.notImported.length} not imported` : '';
  if (file.status === 'empty') return `nothing to import${skipped}: no file written`;
  if (file.status === 'exists') return `${count}${skipped}; ${file.path} already exists and was not overwritten: the file is below`;
  return `${count}${skipped} into ${file.path}`;
}

function featuresOf(entry: Record<string, unknown>): string {
  const features = entry.features as Record<string, unknown> | undefined;
  return features ? Object.keys(features).join(', ') : '-';
}

function adopted(entry: Record<string, unknown>): string {
  const flags = Object.keys(entry).filter((key) => key.startsWith('adopt-existing-') && entry[key] === true);
  return flags.length > 0 ? flags.join(', ') : '-';
}

export function renderImport(result: ImportResult, file: FileOutcome, runUrl?: string): string {
  const parts = [
    '## Teleport AWS OIDC integration: import',
    `Account <code>${escapeHtml(result.identity.account)}</code> · cluster <code>${escapeHtml(result.clusterName)}</code> · SSM documents looked for in ${escapeHtml(result.regions.join(', '))}`,
    `**${escapeHtml(verdict(result, file))}**`,
  ];
  if (result.warnings.length > 0) parts.push(result.warnings.map((w) => `**Warning:** ${escapeHtml(w)}`).join('\n\n'));
  if (result.entries.length > 0) {
    parts.push(
      [
        '| Integration | Role | Features | Adopts | Discovery | A plan would change |',
        '| --- | --- | --- | --- | --- | --- |',
        ...result.entries.map((e) => {
          const discovery = e.entry.discovery ? 'declared' : e.commentedDiscovery ? 'commented out (see below)' : '-';
          return `| ${escapeHtml(e.integration)} | <code>${escapeHtml(e.roleArn)}</code> | ${escapeHtml(featuresOf(e.entry))} | ${escapeHtml(adopted(e.entry))} | ${discovery} | ${e.pending.length === 0 ? 'nothing' : String(e.pending.length)} |`;
        }),
      ].join('\n'),
    );
  }
  const notes = result.entries.flatMap((e) => [
    ...e.notes.map((note) => `- **${escapeHtml(e.integration)}**: ${escapeHtml(note)}`),
    ...(e.commentedDiscovery
      ? [`- **${escapeHtml(e.integration)}**: ${escapeHtml(e.commentedDiscovery.reason)} (the lines are in the file, commented out)`]
      : []),
  ]);
  if (notes.length > 0) parts.push(`### Not declared (kept as it is)\n\n${notes.join('\n')}`);
  const pending = result.entries.flatMap((e) => e.pending.map((change) => `- **${escapeHtml(e.integration)}**: ${escapeHtml(change)}`));
  if (pending.length > 0) parts.push(`### What a plan with this file would still change\n\n${pending.join('\n')}`);
  if (result.notImported.length > 0) {
    parts.push(`### Not imported\n\n${result.notImported.map((n) => `- **${escapeHtml(n.integration)}**: ${escapeHtml(n.reason)}`).join('\n')}`);
  }
  if (file.status !== 'empty') parts.push(`### <code>${escapeHtml(file.path)}</code>\n\n\`\`\`\`yaml\n${result.text.trimEnd()}\n\`\`\`\``);
  if (runUrl) parts.push(`[Workflow run](${runUrl})`);
  return capLength(parts.join('\n\n') + '\n');
}
