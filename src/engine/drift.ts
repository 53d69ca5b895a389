/** Check mode's extra looks: tagged inventory, other roles trusting the provider, OIDC discovery. */
import { PARTITION_HOME_REGION } from '../clients/aws.js';
import { documentRegions } from './desired.js';
import { shareable, type EngineDeps, type Plan } from './engine.js';
import type { Finding } from '../model/findings.js';
import { errorMessage } from '../errors.js';
import type { Settings } from '../config/inputs.js';
import { judgeInventory, scanTaggedResources, type TaggedResource } from '../resources/aws/inventory.js';
import { escapeHtml, type ReportRow } from '../report/summary.js';
import { fetchOpenIdConfiguration } from '../clients/teleport-web.js';
import { findTrustingRoles } from '../resources/aws/trusting-roles.js';
import { listTaggedConsoleRoles, trustsIntegrationRole } from '../resources/aws/console-role.js';
import type { TrustingRole } from '../model/aws.js';

export const EXTRA_RESOURCES = {
  inventory: 'Tagged inventory',
  trusting: 'Other roles trusting the provider',
  discovery: 'OIDC discovery',
  consoleRoles: 'Roles tagged for console access',
} as const;

export interface DriftScan {
  findings: Finding[];
  rows: ReportRow[];
  sections: string[];
}

/** Rows shown in plan and apply, where these scans do not run. */
export function notScannedRows(settings: Settings): ReportRow[] {
  const appAccess = settings.features.some((f) => f.key === 'aws-app-access');
  return Object.values(EXTRA_RESOURCES)
    .filter((resource) => appAccess || resource !== EXTRA_RESOURCES.consoleRoles)
    .map((resource) => ({ resource, target: '-', status: 'skipped', reason: 'scanned in check mode only' }));
}

/** The regions input (else the job's region and the partition's home region), plus every region ec2-ssm lists. */
export function scanRegions(settings: Settings, jobRegion: string, partition: string): string[] {
  const base = settings.regions.length > 0 ? settings.regions : [jobRegion, PARTITION_HOME_REGION[partition] ?? jobRegion];
  return [...new Set([...base, ...documentRegions(settings.features, jobRegion)])];
}

const MAX_LISTED = 200;

function inventorySection(resources: TaggedResource[], regions: string[]): string {
  const header = `<details><summary>Resources tagged for this integration (${resources.length}, regions ${escapeHtml(regions.join(', '))})</summary>\n\n`;
  if (resources.length === 0) return `${header}None found.\n</details>`;
  const lines = ['| Type | ARN | Regions |', '| --- | --- | --- |'];
  for (const r of resources.slice(0, MAX_LISTED))
    lines.push(`| ${escapeHtml(r.type)} | <code>${escapeHtml(r.arn)}</code> | ${escapeHtml(r.regions.join(', '))} |`);
  if (resources.length > MAX_LISTED) lines.push(`| … | ${resources.length - MAX_LISTED} more not listed | |`);
  return `${header}${lines.join('\n')}\n</details>`;
}

async function inventory(plan: Plan, settings: Settings, deps: EngineDeps, regions: string[]) {
  const resources = await scanTaggedResources(deps.aws, regions, settings.integration, (key, read) => shareable(deps, key, read));
  const verdict = judgeInventory(resources, {
    providerArn: plan.desired.providerArn,
    providerTags: plan.observed.provider?.tags,
    documents: plan.desired.documents.map((d) => ({ arn: d.arn, tags: plan.observed.documents.get(d.region)?.tags })),
    ownershipTags: plan.desired.ownershipTags,
  });
  const findings: Finding[] = [
    ...verdict.strayProviders.map((stray) => ({
      resource: EXTRA_RESOURCES.inventory,
      target: stray.arn,
      message:
        `OIDC provider ${stray.arn} carries this integration's tags but is not its provider (${plan.desired.providerArn}); ` +
        'it may be left from an old issuer URL. Delete it if nothing uses it, or remove its teleport.dev/* tags.',
    })),
    ...verdict.strayDocuments.map((stray) => ({
      resource: EXTRA_RESOURCES.inventory,
      target: stray.arn,
      message:
        `SSM document ${stray.arn} carries this integration's tags, but ec2-ssm does not declare it (its region or name is not listed): ` +
        'it was left behind when a region or the document name was dropped. List its region under ec2-ssm regions, or delete it.',
    })),
  ];
  const unlisted = [...(verdict.providerNotIndexed ? ['our provider'] : []), ...verdict.documentsNotIndexed];
  const notes =
    unlisted.length > 0
      ? ` Tagged correctly but not listed by the index in ${regions.join(', ')} (index lag, or the API does not list it there), not drift: ${unlisted.join(', ')}.`
      : '';
  const row: ReportRow = {
    resource: EXTRA_RESOURCES.inventory,
    target: regions.join(', '),
    status: findings.length > 0 ? 'drift' : 'unchanged',
    reason: `${resources.length} tagged resource(s) found; ${verdict.strayProviders.length} stray OIDC provider(s), ${verdict.strayDocuments.length} stray SSM document(s).${notes}`,
  };
  return { findings, row, section: inventorySection(resources, regions) };
}

async function trusting(plan: Plan, settings: Settings, deps: EngineDeps) {
  const roles: TrustingRole[] = await findTrustingRoles(deps.aws, plan.desired.providerArn, settings.roleName, plan.desired.ownershipTags, (key, read) =>
    shareable(deps, key, read),
  );
  const undeclared = roles.filter((r) => r.sharedWith === undefined);
  const shared = roles.filter((r) => r.sharedWith !== undefined);
  const findings: Finding[] = undeclared.map((role) => ({
    resource: EXTRA_RESOURCES.trusting,
    target: role.arn,
    message:
      `Role ${role.name} trusts ${plan.desired.providerArn}: Teleport tokens can assume it, and no integration declares it. ` +
      'Remove that statement from its trust policy, or tag the role for the Teleport integration that uses it.',
  }));
  const row: ReportRow = {
    resource: EXTRA_RESOURCES.trusting,
    target: plan.desired.providerArn,
    status: findings.length > 0 ? 'drift' : 'unchanged',
    reason:
      roles.length === 0
        ? 'no other role trusts the provider'
        : [
            undeclared.length > 0 ? `undeclared: ${undeclared.map((r) => r.name).join(', ')}` : '',
            shared.length > 0 ? `shared with other integrations: ${shared.map((r) => `${r.name} (${r.sharedWith})`).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; '),
  };
  return { findings, row };
}

/**
 * aws-app-access: every role tagged teleport.dev/integration=true is one Teleport offers for the
 * console, and assuming it fails unless it trusts the integration role. The declared roles are
 * planned like any resource; this finds the others.
 */
async function consoleRoles(plan: Plan, settings: Settings, deps: EngineDeps) {
  const tagged = await shareable(deps, 'iam:console-roles', () => listTaggedConsoleRoles(deps.aws));
  const declared = new Set(plan.desired.consoleRoles.map((r) => r.name.toLowerCase()));
  const untrusting = tagged.filter(
    (role) => !declared.has(role.name.toLowerCase()) && !trustsIntegrationRole(role.trustPolicy, plan.desired.roleArn, settings.integration),
  );
  const findings: Finding[] = untrusting.map((role) => ({
    resource: EXTRA_RESOURCES.consoleRoles,
    target: role.arn,
    message:
      `Role ${role.name} is tagged teleport.dev/integration=true, so AWSAppAccess lets the integration assume it, but its trust policy does not trust ${plan.desired.roleArn}: ` +
      'console access to it through this integration fails (AccessDenied on sts:AssumeRole). List it under aws-app-access roles (apply adds the statement), or remove the tag.',
  }));
  const row: ReportRow = {
    resource: EXTRA_RESOURCES.consoleRoles,
    target: `account ${plan.identity.account}`,
    status: findings.length > 0 ? 'drift' : 'unchanged',
    reason:
      tagged.length === 0
        ? 'no role is tagged teleport.dev/integration=true'
        : `${tagged.length} tagged; ${untrusting.length > 0 ? `not trusting the integration role: ${untrusting.map((r) => r.name).join(', ')}` : 'each trusts the integration role or is declared'}`,
  };
  return { findings, row };
}

async function discovery(plan: Plan, deps: EngineDeps) {
  const expected = plan.observed.provider ? `https://${plan.observed.provider.url}` : plan.desired.issuerUrl;
  const findings: Finding[] = [];
  const target = `${plan.desired.issuerUrl}/.well-known/openid-configuration`;
  if (plan.observed.chainError) findings.push({ resource: EXTRA_RESOURCES.discovery, target, message: plan.observed.chainError });
  try {
    const config = await shareable(deps, `openid-configuration:${plan.desired.issuerUrl}`, () => fetchOpenIdConfiguration(plan.desired.issuerUrl));
    if (config.issuer !== expected) {
      findings.push({
        resource: EXTRA_RESOURCES.discovery,
        target,
        message: `The discovery document says issuer "${config.issuer ?? ''}" but the provider URL is ${expected}: AWS rejects every token. Make the proxy's public address match cluster-url.`,
      });
    }
  } catch (error) {
    findings.push({
      resource: EXTRA_RESOURCES.discovery,
      target,
      message: `The OIDC discovery document is unreachable (${errorMessage(error)}): AWS cannot validate Teleport's tokens. Serve the proxy publicly on 443.`,
    });
  }
  const row: ReportRow = {
    resource: EXTRA_RESOURCES.discovery,
    target,
    status: findings.length > 0 ? 'drift' : 'unchanged',
    reason: findings.length > 0 ? findings.map((f) => f.message).join(' ') : `issuer matches ${expected}`,
  };
  return { findings, row };
}

export async function scanForDrift(plan: Plan, settings: Settings, deps: EngineDeps): Promise<DriftScan> {
  const regions = scanRegions(settings, deps.aws.region, plan.identity.partition);
  const appAccess = settings.features.some((f) => f.key === 'aws-app-access');
  const [tagged, others, discovered, consoles] = await Promise.all([
    inventory(plan, settings, deps, regions),
    trusting(plan, settings, deps),
    discovery(plan, deps),
    appAccess ? consoleRoles(plan, settings, deps) : undefined,
  ]);
  return {
    findings: [...tagged.findings, ...others.findings, ...discovered.findings, ...(consoles?.findings ?? [])],
    rows: [tagged.row, others.row, discovered.row, ...(consoles ? [consoles.row] : [])],
    sections: [tagged.section],
  };
}
