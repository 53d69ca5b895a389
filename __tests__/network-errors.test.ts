/** What the user is told when the cluster URL cannot be reached, whatever code the machine's resolver or kernel picked. */
import { describe, expect, it } from 'vitest';
import { connectionProblem } from '../src/clients/network-errors.js';

const failure = (code: string, message = `getaddrinfo ${code} teleport.example.com`) => Object.assign(new Error(message), { code });

describe('connectionProblem', () => {
  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])(
    '%s (a name that does not resolve, for good or for now) gets the DNS hint',
    (code) => {
      expect(connectionProblem(failure(code), 'teleport.example.com', 443)).toBe(`DNS: teleport.example.com does not resolve (${code}); check cluster-url`);
    },
  );

  it.each([
    ['ECONNREFUSED', 'refused the connection (nothing listens there)'],
    ['ETIMEDOUT', 'did not answer (a firewall, or the wrong address)'],
    ['EHOSTUNREACH', 'is unreachable from here'],
  ])('%s is said as TCP, with host and port', (code, words) => {
    expect(connectionProblem(failure(code, `connect ${code}`), 'teleport.example.com', 3080)).toBe(`TCP: teleport.example.com:3080 ${words} (${code})`);
  });

  it('a certificate not accepted is said as TLS, with the fix', () => {
    const problem = connectionProblem(failure('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'), 'teleport.example.com', 443);
    expect(problem).toMatch(/^TLS: teleport\.example\.com:443 answered but its certificate was not accepted \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY: /);
    expect(problem).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('anything else is not a connection problem', () => {
    expect(connectionProblem(failure('ERR_INVALID_URL', 'Invalid URL'), 'x', 443)).toBeUndefined();
    expect(connectionProblem('not an error', 'x', 443)).toBeUndefined();
  });
});
