/** The `tags` input and tag values given as inputs, checked against IAM's rules. */
import { InputError } from '../errors.js';

export const MAX_TAGS = 50;

// IAM's tag character set: letters, digits, spaces and _ . : / = + - @
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function tagValueProblem(value: string): string | undefined {
  if (value.length > 256) return `is ${value.length} characters long; a tag value holds at most 256`;
  if (!TAG_CHARS.test(value)) return 'has characters a tag value cannot hold (allowed: letters, digits, spaces and _ . : / = + - @)';
  return undefined;
}

/** Parses the multiline `key=value` input; blank lines and `#` comments are skipped. */
export function parseExtraTags(raw: string): Tags {
  const input = 'tags';
  const example = '|\n    team=platform\n    cost-center=1234';
  const tags: Tags = {};
  const lines = raw.split(/\r?\n/);
  lines.forEach((line, index) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    const where = `line ${index + 1} ("${text}")`;
    const eq = text.indexOf('=');
    if (eq <= 0) throw new InputError(input, `${where} is not key=value`, example);
    const key = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    if (key.length > 128) throw new InputError(input, `${where}: the key is ${key.length} characters long; at most 128`, example);
    if (!TAG_CHARS.test(key)) throw new InputError(input, `${where}: the key has characters a tag key cannot hold`, example);
    if (key.toLowerCase().startsWith('aws:')) throw new InputError(input, `${where}: keys starting with "aws:" are reserved by AWS`, example);
    if (key.startsWith('teleport.dev/')) {
      throw new InputError(input, `${where}: "${key}" is set by the action itself (teleport.dev/* tags mark ownership) and cannot be overridden`, example);
    }
    const valueProblem = tagValueProblem(value);
    if (valueProblem) throw new InputError(input, `${where}: the value ${valueProblem}`, example);
    if (key in tags) throw new InputError(input, `${where}: the key "${key}" is given twice`, example);
    tags[key] = value;
  });
  const total = Object.keys(tags).length + 3;
  if (total > MAX_TAGS) {
    throw new InputError(input, `${total} tags in all with the 3 teleport.dev/* tags; IAM allows at most ${MAX_TAGS} per resource`, example);
  }
  return tags;
}

/** Tags by key, as every layer holds them (IAM's lists are converted at the edge, resources/aws/tags.ts). */
export type Tags = Record<string, string>;
