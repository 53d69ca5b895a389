/** The issuer's TLS thumbprint, computed the way Teleport computes it. */
import { createHash, X509Certificate } from 'node:crypto';
import tls, { type DetailedPeerCertificate } from 'node:tls';
import { openTunnel, proxyFor } from './proxy.js';
import { connectionProblem } from './network-errors.js';

/**
 * A self-signed certificate whose key was thrown away. Used as the only trust anchor of the
 * chain-reading connection so Node cannot complete the chain from the local trust store:
 * what `getPeerCertificate(true)` then returns is exactly what the server sent.
 */
const TRUSTS_NOTHING = `-----BEGIN CERTIFICATE-----
MIIBuzCCAWGgAwIBAgIUQrqfwEo6Pq99IW8xSqaxTPag0z0wCgYIKoZIzj0EAwIw
MjEwMC4GA1UEAwwndGh1bWJwcmludC1jaGFpbi1wcm9iZSAodHJ1c3RzIG5vdGhp
bmcpMCAXDTI2MTEyNDA5MjYwMVoYDzIxMjYxMDMxMDkyNjAxWjAyMTAwLgYDVQQD
DCd0aHVtYnByaW50LWNoYWluLXByb2JlICh0cnVzdHMgbm90aGluZykwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARZPS9AWl7a9ebMNT5CMFM6YPPM7tBcCB++vVlq
5HR0sDRvx0Wl9bargN+TcYe3DrDjvBjzRlGAa2dRbBpeVWWRo1MwUTAdBgNVHQ4E
FgQUglCi7kiAM9Mfzv7reY3HD920KtkwHwYDVR0jBBgwFoAUglCi7kiAM9Mfzv7r
eY3HD920KtkwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiALAcej
Tb4QJT4f2S9bsbhWrx2nl0IsaisXsMEC9uQcrAIhAMiG25KKC2kbrB61jcf9rxd7
Ux2eNyhlDuohT0GSeX/l
-----END CERTIFICATE-----`;

export interface ServedChain {
  /** DER of each certificate in the order the server sent them, leaf first. */
  certificates: Buffer[];
  /** SHA-1 of the last certificate sent, lowercase hex: the provider thumbprint. */
  thumbprint: string;
}

export function sha1Hex(der: Buffer): string {
  return createHash('sha1').update(der).digest('hex');
}

/** TLS to host:port, inside a CONNECT tunnel when a proxy is configured for it (verified end to end all the same). */
async function connect(host: string, port: number, options: tls.ConnectionOptions, timeoutMs: number): Promise<tls.TLSSocket> {
  const proxy = proxyFor(new URL(`https://${host}:${port}`));
  const tunnel = proxy ? await openTunnel(proxy, host, port, timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: host, ...options, ...(tunnel ? { socket: tunnel } : {}) }, () => resolve(socket));
    socket.setTimeout(timeoutMs, () => {
      // Still connecting: TCP got no answer; connected: the TLS handshake did not finish.
      const code = socket.connecting ? 'ETIMEDOUT' : 'ERR_TLS_HANDSHAKE_TIMEOUT';
      socket.destroy(Object.assign(new Error(`no TLS handshake with ${host}:${port} within ${timeoutMs} ms`), { code }));
    });
    socket.once('error', (error: Error) => {
      const problem = connectionProblem(error, host, port);
      reject(problem ? new Error(problem, { cause: error }) : error);
    });
  });
}

function sentChain(leaf: DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  let cert: DetailedPeerCertificate | undefined = leaf;
  while (cert?.raw && !chain.some((seen) => seen.equals(cert!.raw))) {
    chain.push(cert.raw);
    // The last certificate of the chain may have no issuerCertificate property at all.
    cert = cert.issuerCertificate;
  }
  return chain;
}

/**
 * Reads the chain the issuer serves and its thumbprint. One connection verifies the server
 * with the normal trust store (so a thumbprint never comes from an impostor); a second one,
 * trusting nothing, reads the chain exactly as sent: Node would otherwise append the root
 * from the local store, whose thumbprint is not the one Teleport and AWS use.
 */
export async function readServedChain(host: string, port = 443, timeoutMs = 10_000): Promise<ServedChain> {
  const verified = await connect(host, port, {}, timeoutMs);
  const verifiedLeaf = verified.getPeerCertificate(false).raw;
  verified.destroy();

  const raw = await connect(host, port, { ca: [TRUSTS_NOTHING], rejectUnauthorized: false }, timeoutMs);
  const chain = sentChain(raw.getPeerCertificate(true));
  raw.destroy();
  if (chain.length === 0 || !chain[0].equals(verifiedLeaf)) {
    throw new Error(`${host}:${port} served different certificates on two connections; not trusting either`);
  }
  return { certificates: chain, thumbprint: sha1Hex(chain[chain.length - 1]) };
}

export function describeCertificate(der: Buffer): string {
  const cert = new X509Certificate(der);
  return `${cert.subject.replace(/\n/g, ', ')} (valid to ${cert.validTo})`;
}
