/** Which of DNS, TCP or TLS failed on the way to a host, in words, with what Node said. */

const DNS = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'];
const TCP: Record<string, string> = {
  ECONNREFUSED: 'refused the connection (nothing listens there)',
  ETIMEDOUT: 'did not answer (a firewall, or the wrong address)',
  EHOSTUNREACH: 'is unreachable from here',
  ENETUNREACH: 'is on a network unreachable from here',
  ECONNRESET: 'closed the connection',
};

/** Undefined when the error is not a connection failure (an HTTP answer, a parse error). */
export function connectionProblem(error: unknown, host: string, port: number): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code ?? '';
  if (DNS.includes(code)) return `DNS: ${host} does not resolve (${code}); check cluster-url`;
  if (code in TCP) return `TCP: ${host}:${port} ${TCP[code]} (${code})`;
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL|EPROTO/.test(code) || /TLS handshake|certificate/i.test(error.message)) {
    return (
      `TLS: ${host}:${port} answered but its certificate was not accepted (${code || 'TLS'}: ${error.message}); ` +
      'a certificate from a private CA needs NODE_EXTRA_CA_CERTS on the runner'
    );
  }
  return undefined;
}
