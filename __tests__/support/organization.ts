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
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
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
  return {
    id: Organization!.Id!,
    root,
    units,
    accounts,
    organizations,
    cloudformation,
    addAccount,
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
