/** IAM policy documents as data: parsed from what IAM returns and compared semantically. */
import type { Json, Statement, PolicyDocument } from '../../model/aws.js';

/**
 * GetRole and ListRoles return the document URL-encoded (RFC 3986) from AWS, while some
 * emulators return it decoded: accept both.
 */
export function parsePolicyDocument(text: string): PolicyDocument {
  const trimmed = text.trim();
  const json = trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed);
  const parsed = JSON.parse(json) as PolicyDocument;
  if (parsed === null || typeof parsed !== 'object' || parsed.Statement === undefined) {
    throw new Error('the policy document has no Statement');
  }
  return parsed;
}

export function statementsOf(document: PolicyDocument): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

/** Canonical form: one value or an array of one are the same, order of values and keys does not matter. */
function canonical(value: Json | undefined): Json {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    const unique = [...new Map(items.map((item) => [JSON.stringify(item), item])).values()];
    unique.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return unique.length === 1 ? unique[0] : unique;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value === undefined ? null : value;
}

export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Two policy documents grant the same: statement order, key order, "x" vs ["x"] and duplicates do not matter. */
export function samePolicy(a: PolicyDocument, b: PolicyDocument): boolean {
  return sameJson(a as unknown as Json, b as unknown as Json);
}
