/**
 * The AWS errors a first run meets, said with the fix: no credentials, expired or invalid
 * ones, and a denied action. Our sentence first, then what AWS (or the SDK) said, as it said it.
 */

/** Where the step's IAM policy is documented, per mode (policies/<mode>.json). */
export interface PermissionsHint {
  mode: string;
}

const NO_CREDENTIALS = ['CredentialsProviderError', 'CredentialsError'];
const EXPIRED = ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'];
const INVALID = ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'IncompleteSignature'];

const CONFIGURE =
  'aws-actions/configure-aws-credentials must run in this job before this step (with `permissions: id-token: write` on the job ' +
  "to assume a role through GitHub's OIDC provider)";

function codeOf(error: Error): string {
  const meta = error as { Code?: string; code?: string };
  return meta.Code ?? (typeof meta.code === 'string' && !/^E[A-Z]/.test(meta.code) ? meta.code : undefined) ?? error.name;
}

/** AWS's `*AccessDenied*` codes and EC2's UnauthorizedOperation. */
export function isDenied(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  return /AccessDenied/i.test(code) || code === 'UnauthorizedOperation' || code === 'UnauthorizedAccess';
}

/** "… is not authorized to perform: iam:CreateRole on resource: arn:…" as AWS words it. */
function deniedParts(message: string): { action: string | undefined; resource: string | undefined; principal: string | undefined } {
  const action = /not authorized to perform:?\s+([\w-]+:[\w*]+)/i.exec(message)?.[1];
  const resource = /on resource:?\s+(\S+?)(?:\s+because|\s+with|[.;,]?\s*$)/i.exec(message)?.[1];
  const principal = /User:?\s+(arn:\S+)/i.exec(message)?.[1];
  return { action, resource, principal };
}

/** A first-run error with the fix, keeping the AWS error's name and code so callers still recognise it. */
/** The organization's calls are in a policy of their own, added to the mode's. */
function policyOf(call: string, mode: string): string {
  return /^(organizations|cloudformation):/.test(call)
    ? `policies/organization-${mode}.json, added to policies/${mode}.json (docs/organizations.md#permissions)`
    : `policies/${mode}.json (docs/permissions.md)`;
}

export class AwsExplainedError extends Error {
  readonly Code: string;
  readonly $metadata: unknown;

  constructor(original: Error, message: string) {
    super(message, { cause: original });
    this.name = original.name;
    this.Code = codeOf(original);
    this.$metadata = (original as { $metadata?: unknown }).$metadata;
    // No SDK stack in the step's log: the sentence is the whole story.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * The error to throw instead, with the fix; undefined for errors that explain themselves
 * (or that callers handle: NoSuchEntity and the like).
 */
export function explainAwsError(error: unknown, call: string, hint: PermissionsHint): AwsExplainedError | undefined {
  if (!(error instanceof Error) || error instanceof AwsExplainedError) return undefined;
  const code = codeOf(error);
  const said = `(${code === error.message ? code : `${code}: ${error.message}`})`;
  if (NO_CREDENTIALS.includes(error.name) || /Could not load credentials/i.test(error.message)) {
    return new AwsExplainedError(error, `No AWS credentials reached this step: ${CONFIGURE}. The AWS SDK said ${said}`);
  }
  if (EXPIRED.includes(code)) {
    return new AwsExplainedError(
      error,
      `The AWS credentials expired before ${call}: the session is shorter than the job. Give configure-aws-credentials ` +
        "role-duration-seconds long enough for every step up to this one (the role's MaxSessionDuration must allow it), " +
        `or run it right before this step. AWS said ${said}`,
    );
  }
  if (INVALID.includes(code)) {
    return new AwsExplainedError(
      error,
      `AWS does not accept these credentials (${code}) on ${call}: ${CONFIGURE}, and no stale AWS_ACCESS_KEY_ID, ` +
        `AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN from elsewhere may override it. AWS said ${said}`,
    );
  }
  if (isDenied(error)) {
    const { action, resource, principal } = deniedParts(error.message);
    const what = `${action ?? call}${resource ? ` on ${resource}` : ''}`;
    return new AwsExplainedError(
      error,
      `AWS denied ${what}${principal ? ` to ${principal}` : ''}: the role this job assumed lacks it. ` +
        `Mode ${hint.mode} needs the policy in ${policyOf(call, hint.mode)}; add ${action ?? call} to the role's policy. AWS said ${said}`,
    );
  }
  return undefined;
}
