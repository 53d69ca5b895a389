/**
 * Builds an AWS Organization in moto (straight to moto, not through the recording proxy): the
 * caller's account becomes the management account. Only package imports, so the bench (plain
 * node) can load it too.
 */
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  EnableAWSServiceAccessCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CloudFormationClient, DeleteStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface BuiltOrganization {
  id: string;
  root: string;
  /** Unit ids by the path given (e.g. "prod", "prod/web"). */
  units: Record<string, string>;
  /** Account ids by unit path ("" for the root). */
  accounts: Record<string, string[]>;
  organizations: OrganizationsClient;
  cloudformation: CloudFormationClient;
  /** Creates an account in a unit after the fact (one that joins later). */
  addAccount(unitPath: string, name: string): Promise<string>;
  /** IAM of a member account, through the role Organizations creates in every account it makes. */
  memberIam(account: string): Promise<IAMClient>;
  /** The unit (or root) an account sits in. */
  unitOf(account: string): string;
  /** Deletes one account's stack instance by hand, as a service-managed set takes it: its unit, the account as a filter. */
  removeInstance(stackSet: string, account: string): Promise<void>;
  /** Chooses faults AWS would produce on its own (the emulator's control endpoint, scripts/emulator/control.py). */
  faults(body: { operationPolls?: number; fail?: Record<string, string> }): Promise<void>;
  /** Suspends accounts (as AWS does when one is closed or suspended). */
  suspend(accounts: string[]): Promise<void>;
  /** Makes suspended accounts active again. */
  activate(accounts: string[]): Promise<void>;
}

/** POSTs to the emulator's control endpoint. */
export async function emulatorControl(motoUrl: string, path: 'stacksets' | 'organizations', body: unknown): Promise<void> {
  const response = await fetch(`${motoUrl}/_emulator/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  if (!response.ok) throw new Error(`emulator control ${path} answered ${response.status}`);
}

/**
 * `layout`: unit path → number of accounts; parents come before their children ("prod" before
 * "prod/web"); "" puts accounts in the root.
 */
export async function buildOrganization(
  motoUrl: string,
  layout: Record<string, number>,
  options: { trustedAccess?: boolean; region?: string } = {},
): Promise<BuiltOrganization> {
  const region = options.region ?? 'us-east-1';
  const organizations = new OrganizationsClient({ endpoint: motoUrl, region, credentials });
  const cloudformation = new CloudFormationClient({ endpoint: motoUrl, region, credentials });
  const { Organization } = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const { Roots } = await organizations.send(new ListRootsCommand({}));
  const root = Roots![0].Id!;
  if (options.trustedAccess !== false) {
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com' }));
  }
  const units: Record<string, string> = {};
  const accounts: Record<string, string[]> = {};
  let serial = 0;
  const addAccount = async (unitPath: string, name: string) => {
    const { CreateAccountStatus } = await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}-${serial++}@example.com` }));
    const id = CreateAccountStatus!.AccountId!;
    if (unitPath !== '') {
      await organizations.send(new MoveAccountCommand({ AccountId: id, SourceParentId: root, DestinationParentId: units[unitPath] }));
    }
    (accounts[unitPath] ??= []).push(id);
    return id;
  };
  for (const [unitPath, count] of Object.entries(layout)) {
    if (unitPath !== '') {
      const parentPath = unitPath.includes('/') ? unitPath.slice(0, unitPath.lastIndexOf('/')) : '';
      const { OrganizationalUnit } = await organizations.send(
        new CreateOrganizationalUnitCommand({ ParentId: parentPath === '' ? root : units[parentPath], Name: unitPath.split('/').pop()! }),
      );
      units[unitPath] = OrganizationalUnit!.Id!;
    }
    for (let i = 0; i < count; i++) await addAccount(unitPath, `${unitPath.replace(/\//g, '-') || 'root'}-${i}`);
  }
  const unitOf = (account: string) => {
    const path = Object.keys(accounts).find((p) => accounts[p].includes(account));
    if (path === undefined) throw new Error(`account ${account} is not in the built organization`);
    return path === '' ? root : units[path];
  };
  return {
    id: Organization!.Id!,
    root,
    units,
    accounts,
    organizations,
    cloudformation,
    addAccount,
    unitOf,
    async removeInstance(stackSet: string, account: string) {
      await cloudformation.send(
        new DeleteStackInstancesCommand({
          StackSetName: stackSet,
          DeploymentTargets: { OrganizationalUnitIds: [unitOf(account)], Accounts: [account], AccountFilterType: 'INTERSECTION' },
          Regions: [region],
          RetainStacks: false,
        }),
      );
    },
    faults: (body) => emulatorControl(motoUrl, 'stacksets', body),
    suspend: (suspended) => emulatorControl(motoUrl, 'organizations', { suspend: suspended }),
    activate: (active) => emulatorControl(motoUrl, 'organizations', { activate: active }),
    async memberIam(account: string) {
      const sts = new STSClient({ endpoint: motoUrl, region, credentials });
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'test' }),
      );
      return new IAMClient({
        endpoint: motoUrl,
        region,
        credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken },
      });
    },
  };
}
