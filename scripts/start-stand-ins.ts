/**
 * The two stand-ins the demo, local-action, the benchmark and the workflow's own run need, started
 * together (moto's Python start and the issuer's certificates overlap): moto, and the HTTPS issuer
 * on 127.0.0.1:443 as `localhost`. If one cannot start, the other is stopped before the error.
 */
import { startIssuerServer, type IssuerServer } from '../__tests__/support/issuer-server.ts';
import { startMoto, type Moto } from '../__tests__/support/moto.ts';

export interface StandIns {
  moto: Moto;
  issuer: IssuerServer;
  stop(): Promise<void>;
}

export async function startStandIns(): Promise<StandIns> {
  const [moto, issuer] = await Promise.allSettled([
    startMoto(),
    startIssuerServer({ host: '127.0.0.1', port: 443, issuer: 'https://localhost', clusterName: 'teleport.example.com' }),
  ]);
  if (moto.status === 'rejected' || issuer.status === 'rejected') {
    if (moto.status === 'fulfilled') await moto.value.stop();
    if (issuer.status === 'fulfilled') await issuer.value.close();
    throw moto.status === 'rejected' ? moto.reason : (issuer as PromiseRejectedResult).reason;
  }
  return {
    moto: moto.value,
    issuer: issuer.value,
    stop: async () => {
      await Promise.all([issuer.value.close(), moto.value.stop()]);
    },
  };
}
