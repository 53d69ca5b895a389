/** IAM roles a user names, by name or by ARN (console roles, Roles Anywhere profiles' roles): all of one account, each once. */

/** An IAM role name: 1 to 64 of letters, digits and + = , . @ _ -. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
// An IAM role ARN: partition, account, optional path, name (the name is the last segment).
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/((?:[\x21-\x7e]+\/)?)([\w+=,.@-]{1,64})$/;

export interface RoleRef {
  /** The role's name (an ARN's last path segment). */
  name: string;
  /** As written, when an ARN: its account is checked against the caller's, its path against the live role's. */
  arn: string | undefined;
}

/** The roles as refs, or what is wrong with the first that is not one (the input's error). */
export function parseRoleRefs(texts: string[]): RoleRef[] | { problem: string } {
  const refs: RoleRef[] = [];
  let account: string | undefined;
  for (const text of texts) {
    let ref: RoleRef;
    if (text.startsWith('arn:')) {
      const match = ROLE_ARN.exec(text);
      if (!match) {
        const service = text.split(':')[2] ?? '';
        const what = service !== 'iam' ? `an ARN of ${service || 'no service'}, not of an IAM role` : 'not an IAM role ARN';
        return { problem: `"${text}" is ${what} (arn:aws:iam::<account-id>:role/<name>)` };
      }
      if (account !== undefined && match[2] !== account) {
        return { problem: `"${text}" is in account ${match[2]}, another role in ${account}: every role is in the integration's account` };
      }
      account = match[2];
      ref = { name: match[4], arn: text };
    } else {
      if (!ROLE_NAME.test(text)) return { problem: `"${text}" is neither an IAM role name (1 to 64 of letters, digits and + = , . @ _ -) nor a role ARN` };
      ref = { name: text, arn: undefined };
    }
    // IAM role names are unique without regard to case.
    if (refs.some((r) => r.name.toLowerCase() === ref.name.toLowerCase())) return { problem: `"${ref.name}" is listed twice` };
    refs.push(ref);
  }
  return refs;
}

/** The account the refs' ARNs name, if any names one. */
export function accountOfRefs(refs: RoleRef[]): string | undefined {
  const arn = refs.find((r) => r.arn !== undefined)?.arn;
  return arn === undefined ? undefined : ROLE_ARN.exec(arn)![2];
}
