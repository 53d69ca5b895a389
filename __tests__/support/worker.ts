/**
 * What belongs to this test worker alone. Test files run in parallel, one worker each at a time
 * (VITEST_POOL_ID, 1…maxWorkers): each worker has a moto of its own, and an address of its own
 * (127.0.1.<id>; 127.0.0.x is left to tests that need nothing listening there) where a test may serve an issuer that says something else than the shared one.
 */
import { inject } from 'vitest';
import { reusePki, startIssuerServer, type IssuerServer } from './issuer-server.js';
import path from 'node:path';

const poolId = (): number => Number(process.env.VITEST_POOL_ID ?? '1');

/** The addresses the shared issuer's certificate names, so a worker's own issuer can serve it. */
export function privateIssuerAddresses(workers: number): string[] {
  return Array.from({ length: workers }, (_, index) => `127.0.1.${1 + index}`);
}

/** This worker's moto. */
export function workerMotoUrl(): string {
  const urls = inject('motoUrls');
  const url = urls[poolId() - 1];
  if (!url) throw new Error(`no moto for test worker ${poolId()} (${urls.length} started)`);
  return url;
}

/**
 * An issuer of this worker's own on 127.0.1.<id>:443 (cluster URL: that address), with the
 * shared issuer's certificates (already trusted through NODE_EXTRA_CA_CERTS), free to change
 * what it serves.
 */
export async function privateIssuer(): Promise<IssuerServer & { host: string }> {
  const shared = inject('issuer');
  const host = privateIssuerAddresses(poolId()).at(-1)!;
  const server = await startIssuerServer({
    host,
    port: 443,
    clusterName: shared.clusterName,
    issuer: `https://${host}`,
    pki: reusePki(path.dirname(shared.caFile)),
  });
  return { ...server, host };
}
