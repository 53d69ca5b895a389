/**
 * Writes a config file (the `config` input's format, schema/config.schema.json) with the
 * comments a reviewer needs: a header, notes above an entry, and a declaration left commented
 * out below it, indented so that removing `# ` declares it.
 */
import { Document, isScalar, visit, type YAMLMap, type YAMLSeq } from 'yaml';

export interface WrittenEntry {
  /** The entry's keys and values, as the config file holds them. */
  entry: Record<string, unknown>;
  /** Said above the entry: what the file does not declare, and why. */
  notes: string[];
  /** Written commented out below the entry: keys to add to it, and why they are not. */
  commentedDiscovery: { reason: string; declaration: Record<string, unknown> } | undefined;
  /** What a plan right after would still change. */
  pending: string[];
}

export interface ConfigFileContent {
  header: string[];
  clusterUrl: string;
  clusterName: string | undefined;
  entries: WrittenEntry[];
}

const WIDTH = 110;

/** Prose wrapped for a comment; each paragraph keeps its first line flush and indents the rest. */
function wrap(paragraph: string, indent = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/)) {
    if (line !== '' && line.length + word.length + 1 > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

const comment = (lines: string[]): string => lines.map((line) => ` ${line}`).join('\n');

/** Lists of plain values on one line (`regions: [us-east-1, eu-west-1]`), as people write them. */
function flowScalarLists(doc: Document): Document {
  visit(doc, {
    Seq(_, node) {
      if (node.items.length > 0 && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return doc;
}

const yamlText = (doc: Document): string => flowScalarLists(doc).toString({ nullStr: '', lineWidth: 0, flowCollectionPadding: false });

export function renderConfigFile(content: ConfigFileContent): string {
  const doc = new Document({
    'cluster-url': content.clusterUrl,
    ...(content.clusterName ? { 'cluster-name': content.clusterName } : {}),
    integrations: content.entries.map((e) => e.entry),
  });
  doc.commentBefore = comment(content.header.flatMap((line) => (line === '' ? [''] : wrap(line, ''))));
  const items = (doc.get('integrations', true) as YAMLSeq).items as YAMLMap[];
  content.entries.forEach((written, index) => {
    const above = [
      ...written.notes.flatMap((note) => wrap(`Note: ${note}`)),
      ...written.pending.flatMap((change) => wrap(`A plan with this file would still: ${change}`)),
    ];
    if (above.length > 0) items[index].commentBefore = comment(above);
    const commented = written.commentedDiscovery;
    if (commented) {
      const yaml = yamlText(new Document(commented.declaration)).trimEnd().split('\n');
      items[index].comment = comment([...wrap(commented.reason), ...yaml]);
    }
  });
  return yamlText(doc);
}
