/**
 * A job summary (GitHub-flavoured Markdown with the HTML GitHub allows) as a terminal shows it:
 * entities decoded, tags dropped or turned into text, tables aligned, and the same summary written
 * as a page (Markdown rendered to HTML by marked) whose path is printed beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';

const ENTITIES: Record<string, string> = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#39;': "'", '&nbsp;': ' ' };

/** Inline HTML and entities as plain text. */
export function plainText(text: string): string {
  return text
    .replace(/<br\s*\/?>/g, ' ')
    .replace(/<summary>(.*?)<\/summary>/g, '▸ $1')
    .replace(/<\/?(code|details|summary|b|strong|em|i|sub|sup|p|span)[^>]*>/g, '')
    .replace(/<a [^>]*>(.*?)<\/a>/g, '$1')
    .replace(/\*\*(.*?)\*\*/g, '$1')
    .replace(/&(quot|amp|lt|gt|#39|nbsp);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** A Markdown table's rows as aligned columns; cells longer than `width` are cut with an ellipsis. */
function table(rows: string[], width = 60): string[] {
  const cells = rows
    .filter((row) => !/^\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(row))
    .map((row) =>
      row
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => {
          const text = plainText(cell.trim());
          return text.length > width ? `${text.slice(0, width - 1)}…` : text;
        }),
    );
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row, index) => {
    const line = row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
    return index === 0 ? `${line}\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : line;
  });
}

export function terminalSummary(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && lines[i].startsWith('|')) rows.push(lines[i++]);
      i--;
      out.push(...table(rows));
    } else if (line.startsWith('```')) {
      // A fenced block (the organization's Mermaid diagram) is kept as it is, indented.
      const fence = line;
      out.push(`  ${fence}`);
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) out.push(`  ${lines[i]}`);
      out.push('  ```');
    } else if (/^#{1,6} /.test(line)) {
      const text = plainText(line.replace(/^#+ /, ''));
      out.push(text, '═'.repeat(Math.min(text.length, 80)));
    } else if (/^<\/?details>$/.test(line.trim())) {
      continue;
    } else {
      out.push(plainText(line));
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Writes the summary as a page and returns its path. */
export function writeSummaryPage(dir: string, name: string, markdown: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.html`);
  const body = marked.parse(markdown, { async: false });
  writeFileSync(
    file,
    `<!doctype html>\n<meta charset="utf-8">\n<title>${name}</title>\n<style>body{font:14px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}code{background:#f6f8fa}</style>\n${body}`,
  );
  writeFileSync(path.join(dir, `${name}.md`), markdown);
  return file;
}
