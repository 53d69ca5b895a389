/**
 * Starts what every integration test shares: one moto server and one HTTPS issuer on
 * 127.0.0.1:443 answering as `localhost` (cluster URLs carry no port). The issuer's private
 * CA is trusted through NODE_EXTRA_CA_CERTS, set here before the test workers start.
 */
import type { TestProject } from 'vitest/node';
import { startMoto } from './moto.js';
import { startIssuerServer } from './issuer-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoUrl: string;
    issuer: { url: string; caFile: string; thumbprint: string; rootThumbprint: string; clusterName: string; controlUrl: string };
  }
}

export const ISSUER_CLUSTER_NAME = 'teleport.example.com';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  const issuer = await startIssuerServer({ host: '127.0.0.1', port: 443, clusterName: ISSUER_CLUSTER_NAME, issuer: 'https://localhost' });
  process.env.NODE_EXTRA_CA_CERTS = issuer.caFile;
  project.provide('motoUrl', moto.url);
  project.provide('issuer', {
    url: 'https://localhost',
    caFile: issuer.caFile,
    thumbprint: issuer.thumbprint,
    rootThumbprint: issuer.rootThumbprint,
    clusterName: ISSUER_CLUSTER_NAME,
    controlUrl: issuer.controlUrl,
  });
  return async () => {
    await issuer.close();
    await moto.stop();
  };
}
