/**
 * Starts what the integration tests need, once per run: a moto server for each test worker
 * (test files run in parallel, and every test resets its worker's moto) and one HTTPS issuer
 * on 127.0.0.1:443 answering as `localhost` (cluster URLs carry no port). The issuer never
 * changes what it serves, so every worker shares it; a test that needs another issuer starts
 * one of its own (`privateIssuer` in ./worker.ts). The issuer's private CA is trusted through
 * NODE_EXTRA_CA_CERTS, set here before the test workers start.
 */
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto } from './moto.js';
import { startIssuerServer } from './issuer-server.js';
import { privateIssuerAddresses } from './worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One per worker: VITEST_POOL_ID (1…maxWorkers) picks it (./worker.ts). */
    motoUrls: string[];
    issuer: { url: string; caFile: string; thumbprint: string; rootThumbprint: string; clusterName: string };
  }
}

export const ISSUER_CLUSTER_NAME = 'teleport.example.com';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workers = Math.max(1, project.globalConfig.maxWorkers);
  const starting = startIssuerServer({
    host: '127.0.0.1',
    port: 443,
    clusterName: ISSUER_CLUSTER_NAME,
    issuer: 'https://localhost',
    addresses: privateIssuerAddresses(workers),
  });
  const motos = await Promise.all(Array.from({ length: workers }, () => startMoto()));
  const issuer = await starting;
  process.env.NODE_EXTRA_CA_CERTS = issuer.caFile;
  // Hundreds of child processes (dist/index.js runs, the tctl stand-in) compile the same code:
  // Node's compile cache, in this run's own temp folder (scripts/with-port-443.ts), spares them that.
  process.env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), 'node-compile-cache');
  project.provide(
    'motoUrls',
    motos.map((moto) => moto.url),
  );
  project.provide('issuer', {
    url: 'https://localhost',
    caFile: issuer.caFile,
    thumbprint: issuer.thumbprint,
    rootThumbprint: issuer.rootThumbprint,
    clusterName: ISSUER_CLUSTER_NAME,
  });
  return async () => {
    await Promise.all([issuer.close(), ...motos.map((moto) => moto.stop())]);
  };
}
