/**
 * One run over a config file: every entry for the caller's account, each with its own plan and
 * apply, sharing what they share. The caller identity is asked once; the provider, the
 * issuer's chain and cluster name are read once per issuer, the join tokens in one tctl call. The
 * first entry of each issuer reconciles the provider (so it is observed and reconciled once),
 * then the others run concurrently, 16 at a time. One entry failing does not stop the others.
 */
import type { Tctl } from '../clients/tctl.js';
import { AdaptiveLimit } from '../clients/limit.js';
import type { JoinTokenResource } from '../model/teleport.js';
import type { ConfigEntry, ConfigFile } from '../config/config-file.js';
import { errorMessage } from '../errors.js';
import { readServedChain } from '../clients/tls.js';
import { observeProvider } from '../resources/aws/oidc-provider.js';
import { AUDIENCE } from '../resources/aws/trust-policy.js';
import { chainKey, providerKey, SharedReads, tokenKey, type EngineDeps } from './engine.js';
import { joinTokenName } from './desired.js';
import { runAction, type RunContext, type RunResult } from './run.js';

/**
 * How many entries run at once, in every mode. Their IAM calls are bounded by the client itself
 * (16 in flight, halved on throttling: clients/aws.ts), so this only keeps the tctl processes and
 * the log's interleaving in reason; a no-op apply of 20 entries waits for two rounds, not five.
 */
export const ENTRY_CONCURRENCY = 16;
/** tctl reads at once when the entries' join tokens must be read one by one (see readTokensAhead). */
export const TOKEN_READ_CONCURRENCY = 8;

export type EntryOutcome =
  | { entry: ConfigEntry; status: 'done'; result: RunResult }
  | { entry: ConfigEntry; status: 'failed'; result: RunResult | undefined; error: string }
  | { entry: ConfigEntry; status: 'skipped'; reason: string };

export interface ConfigDeps extends Omit<EngineDeps, 'tctl' | 'shared'> {
  /** Each entry's tctl (its tctl-path), or undefined with skip-teleport. */
  tctlFor: (entry: ConfigEntry) => Tctl | undefined;
}

/** Runs `work` over the items, at most `limit` at once. */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/**
 * Starts every entry's join token read in the shared reads, before the entries ask: the tokens
 * of one tctl in one call, by name (`tctl get token/<a>,token/<b>`, never a listing: other
 * tokens' names can be secrets). When that call fails (a token not made yet fails it whole, as
 * tctl does), each token is read on its own, a few at a time; a failure there is the entry's to
 * report when it reads its token.
 */
function readTokensAhead(entries: ConfigEntry[], deps: ConfigDeps, shared: SharedReads): Promise<unknown> {
  const groups = new Map<string, { tctl: Tctl; names: Set<string> }>();
  for (const entry of entries) {
    const tctl = deps.tctlFor(entry);
    const name = joinTokenName(entry.settings);
    if (!tctl || !name || !entry.settings.discovery) continue;
    const group = groups.get(tctl.path) ?? { tctl, names: new Set<string>() };
    group.names.add(name);
    groups.set(tctl.path, group);
  }
  const reads = [...groups.values()].flatMap(({ tctl, names }) => {
    const one = new AdaptiveLimit(TOKEN_READ_CONCURRENCY);
    const readOne = (name: string) =>
      one.run(
        () => tctl.getOne<JoinTokenResource>('token', name),
        () => false,
      );
    const together = names.size > 1 ? tctl.getMany<JoinTokenResource>('token', [...names]).catch(() => undefined) : Promise.resolve(undefined);
    return [...names].map((name) =>
      shared.read(tokenKey(name), () => together.then((found) => (found ? found.find((token) => token.metadata?.name === name) : readOne(name)))),
    );
  });
  return Promise.allSettled(reads);
}

export async function runConfig(config: ConfigFile, deps: ConfigDeps, context: RunContext = {}): Promise<{ account: string; outcomes: EntryOutcome[] }> {
  const identity = await deps.aws.identity();
  const shared = new SharedReads();
  const outcomes = new Map<ConfigEntry, EntryOutcome>();
  const mine: ConfigEntry[] = [];
  for (const entry of config.entries) {
    if (entry.accountId !== undefined && entry.accountId !== identity.account) {
      outcomes.set(entry, { entry, status: 'skipped', reason: `for account ${entry.accountId}; the credentials are for ${identity.account}` });
    } else mine.push(entry);
  }

  const runEntry = async (entry: ConfigEntry) => {
    deps.logger.info(`== ${entry.name}`);
    try {
      const result = await runAction(entry.settings, { aws: deps.aws, logger: deps.logger, tctl: deps.tctlFor(entry), shared }, context);
      outcomes.set(entry, result.failure ? { entry, status: 'failed', result, error: result.failure } : { entry, status: 'done', result });
      // A provider (or a token) this entry changed must be read again by the entries after it.
      if (result.changes.some((c) => c.resource === 'oidc-provider' || c.action === 'tag-provider')) {
        shared.forget(providerKey(`arn:${identity.partition}:iam::${identity.account}:oidc-provider/${entry.settings.issuer.host}`));
      }
      const token = joinTokenName(entry.settings);
      if (token && result.changes.some((c) => c.resource === 'teleport-join-token')) shared.forget(tokenKey(token));
    } catch (error) {
      outcomes.set(entry, { entry, status: 'failed', result: undefined, error: errorMessage(error) });
    }
  };

  if (mine.some((entry) => entry.settings.destroy)) {
    // One at a time: whether a shared provider goes depends on the entries destroyed before it.
    await pool(mine, 1, runEntry);
    return { account: identity.account, outcomes: config.entries.map((entry) => outcomes.get(entry)!) };
  }
  const firstOfIssuer = new Map<string, ConfigEntry>();
  for (const entry of mine) if (!firstOfIssuer.has(entry.settings.issuer.host)) firstOfIssuer.set(entry.settings.issuer.host, entry);
  // The provider and the chain each entry would read first, read now (shared, so not twice): an
  // issuer whose provider already has the audience and the served thumbprint needs no provider
  // phase, and its entries all start at once.
  const ready = await Promise.all(
    [...firstOfIssuer.keys()].map(async (host) => {
      const arn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${host}`;
      const [provider, chain] = await Promise.all([
        shared.read(providerKey(arn), () => observeProvider(deps.aws, arn)),
        shared.read(chainKey(host), () => readServedChain(host)).catch(() => undefined),
      ]);
      return provider !== undefined && chain !== undefined && provider.clientIds.includes(AUDIENCE) && provider.thumbprints.includes(chain.thumbprint)
        ? host
        : undefined;
    }),
  );
  const first = [...firstOfIssuer.values()].filter((entry) => !ready.includes(entry.settings.issuer.host));
  const rest = mine.filter((entry) => !first.includes(entry));
  // Every entry's join token is read ahead, several at once, while the entries run a few at a time:
  // an entry then finds its token read (or in flight) instead of waiting for one tctl call after another.
  const tokensRead = readTokensAhead([...first, ...rest], deps, shared);
  await pool(first, ENTRY_CONCURRENCY, runEntry);
  await pool(rest, ENTRY_CONCURRENCY, runEntry);
  await tokensRead;
  return { account: identity.account, outcomes: config.entries.map((entry) => outcomes.get(entry)!) };
}
