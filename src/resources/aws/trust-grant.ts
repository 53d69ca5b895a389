/**
 * A statement this action adds to a role that is not its own (a console role, a Roles Anywhere
 * profile's role), and what it records on the role so that destroy takes back exactly that: a
 * marker tag listing the integrations whose statement apply added, and, when apply also added a
 * tag the role needs, a second marker saying so. Every other statement and tag is the user's.
 */
import { TagRoleCommand, UntagRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import type { Aws } from '../../clients/aws.js';
import type { Tags } from '../../config/tags.js';
import type { PolicyDocument, RoleState, Statement } from '../../model/aws.js';
import { statementsOf } from './policy-document.js';
import { statementCovers } from './trust-policy.js';

export interface TrustGrant {
  /** With a Sid naming the integration: one statement per integration on a shared role. */
  statement: Statement;
  /** The tag listing the integrations whose statement apply added, separated by spaces. */
  marker: string;
  /** A tag the role needs as well, and the marker saying apply added it. */
  tag?: { key: string; value: string; addedMarker: string };
}

export const sidPart = (integration: string): string => integration.replace(/[^A-Za-z0-9]/g, '');

const markedBy = (tags: Tags, marker: string): string[] => (tags[marker] ?? '').split(' ').filter(Boolean);

/** The trust policy with the statement (one of its Sid replaced), or undefined when something already grants it. */
export function grantedTrust(trustPolicy: PolicyDocument, wanted: Statement): PolicyDocument | undefined {
  const statements = statementsOf(trustPolicy);
  if (statements.some((s) => statementCovers(s, wanted))) return undefined;
  return { ...trustPolicy, Statement: [...statements.filter((s) => s.Sid !== wanted.Sid), wanted] };
}

/** The tags apply adds: the needed tag and its marker, and this integration on the statement's marker when it adds the statement. */
export function grantTags(live: Tags, grant: TrustGrant, addsStatement: boolean, integration: string): Tags | undefined {
  const tags: Tags = {};
  if (grant.tag && live[grant.tag.key] !== grant.tag.value) {
    tags[grant.tag.key] = grant.tag.value;
    tags[grant.tag.addedMarker] = 'true';
  }
  const marked = markedBy(live, grant.marker);
  if (addsStatement && !marked.includes(integration)) tags[grant.marker] = [...marked, integration].join(' ');
  return Object.keys(tags).length > 0 ? tags : undefined;
}

export async function writeGrant(
  aws: Aws,
  roleName: string,
  trustPolicy: PolicyDocument | undefined,
  tags: Tags | undefined,
  retry?: (error: unknown) => boolean,
) {
  if (trustPolicy) {
    const update = new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(trustPolicy) });
    await (retry ? aws.afterCreate(`updating ${roleName}'s trust policy`, () => aws.send(aws.iam, update), retry) : aws.send(aws.iam, update));
  }
  if (tags) await aws.send(aws.iam, new TagRoleCommand({ RoleName: roleName, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
}

export interface GrantRelease {
  /** The trust policy without this integration's statement; undefined when nothing is removed. */
  trustPolicy: PolicyDocument | undefined;
  untag: string[];
  tags: Tags | undefined;
  /** The statement is the trust policy's only one: kept, as IAM refuses an empty trust policy. */
  onlyOurs: boolean;
  /** Integrations whose statement stays. */
  others: string[];
  /** What goes, in words. */
  removed: string[];
}

/** Destroy: only what apply recorded adding; undefined when it added nothing here. */
export function releaseOf(live: RoleState, grant: TrustGrant, integration: string, statementWords: string): GrantRelease | undefined {
  const marked = markedBy(live.tags, grant.marker);
  if (!marked.includes(integration)) return undefined;
  const statements = statementsOf(live.trustPolicy);
  const remaining = statements.filter((s) => s.Sid !== grant.statement.Sid);
  const onlyOurs = remaining.length === 0;
  const others = marked.filter((name) => name !== integration);
  const tagGoes = others.length === 0 && grant.tag !== undefined && live.tags[grant.tag.addedMarker] !== undefined;
  const removesStatement = !onlyOurs && remaining.length !== statements.length;
  return {
    trustPolicy: removesStatement ? { ...live.trustPolicy, Statement: remaining } : undefined,
    untag: others.length > 0 ? [] : [grant.marker, ...(tagGoes ? [grant.tag!.addedMarker, grant.tag!.key] : [])],
    tags: others.length > 0 ? { [grant.marker]: others.join(' ') } : undefined,
    onlyOurs,
    others,
    removed: [...(removesStatement ? [statementWords] : []), ...(tagGoes ? [`the tag ${grant.tag!.key}=${grant.tag!.value}`] : [])],
  };
}

export async function writeRelease(aws: Aws, roleName: string, release: Pick<GrantRelease, 'trustPolicy' | 'untag' | 'tags'>): Promise<void> {
  await writeGrant(aws, roleName, release.trustPolicy, release.tags);
  if (release.untag.length > 0) await aws.send(aws.iam, new UntagRoleCommand({ RoleName: roleName, TagKeys: release.untag }));
}
