import { InputError } from '../errors.js';

const INPUT = 'cluster-url';
const EXAMPLE = 'teleport.example.com';

/** The cluster's OIDC issuer, exactly as Teleport writes it in the tokens' `iss` claim. */
export interface Issuer {
  /** `https://<host>`: no port (443 is dropped), no path, no trailing slash. */
  url: string;
  /** `<host>`: the provider's Url as IAM returns it, and its ARN suffix. */
  host: string;
}

const HOSTNAME_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Normalises what a user typed for the proxy's public address (`teleport.example.com`,
 * `https://teleport.example.com:443/`, `teleport.example.com:443`...) into the issuer Teleport
 * signs with. Rejects anything AWS or Teleport could never match.
 */
export function parseIssuer(raw: string): Issuer {
  const typed = raw.trim();
  if (typed === '') throw new InputError(INPUT, 'is empty; set it to the Teleport proxy public address', EXAMPLE);
  if (/\s/.test(typed)) throw new InputError(INPUT, `"${typed}" contains whitespace`, EXAMPLE);

  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(typed);
  if (schemeMatch && schemeMatch[1].toLowerCase() !== 'https') {
    throw new InputError(INPUT, `"${typed}" uses ${schemeMatch[1]}://, but Teleport's OIDC issuer and AWS IAM require https://`, `https://${EXAMPLE}`);
  }
  let url: URL;
  try {
    url = new URL(schemeMatch ? typed : `https://${typed}`);
  } catch {
    throw new InputError(INPUT, `"${typed}" is not a valid address (bad host or port)`, EXAMPLE);
  }
  if (url.username || url.password) {
    throw new InputError(INPUT, `"${typed}" contains a user name or password; give only the host`, EXAMPLE);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new InputError(INPUT, `"${typed}" has a path (${url.pathname}); the issuer is the bare host`, EXAMPLE);
  }
  if (url.search || url.hash || typed.includes('?') || typed.includes('#')) {
    throw new InputError(INPUT, `"${typed}" has a query or fragment; give only the host`, EXAMPLE);
  }
  if (url.port !== '') {
    // URL drops :443 for https, so any port left here is not 443.
    throw new InputError(
      INPUT,
      `"${typed}" uses port ${url.port}. Teleport signs its tokens with issuer https://${url.hostname}:${url.port}, ` +
        'but AWS IAM does not accept a port in an OIDC provider URL ("The URL should not contain a port number"), ' +
        'so no provider could ever match those tokens. Serve the proxy public address on port 443 and use that address',
      EXAMPLE,
    );
  }
  const host = url.hostname;
  checkHost(typed, host);
  const issuerUrl = `https://${host}`;
  if (issuerUrl.length > 255) {
    throw new InputError(INPUT, `"${typed}" is longer than the 255 characters IAM allows in a provider URL`, EXAMPLE);
  }
  return { url: issuerUrl, host };
}

function checkHost(typed: string, host: string): void {
  if (host.startsWith('[')) {
    throw new InputError(INPUT, `"${typed}" is an IPv6 literal; use the proxy's DNS name`, EXAMPLE);
  }
  if (IPV4.test(host)) {
    if (host.split('.').some((octet) => Number(octet) > 255)) {
      throw new InputError(INPUT, `"${typed}" is not a valid IPv4 address`, EXAMPLE);
    }
    return;
  }
  const labels = host.split('.');
  if (host.length > 253 || labels.some((label) => !HOSTNAME_LABEL.test(label))) {
    throw new InputError(INPUT, `"${typed}" has an invalid host name "${host}"`, EXAMPLE);
  }
}
