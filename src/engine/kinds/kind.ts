/**
 * One shape for every kind of resource the action reconciles: how it is planned, written, planned
 * for destruction and deleted, and the rows it reports. The engine, destroy and the report iterate
 * over the list in index.ts; a new kind is its module in resources/ plus a row module here and one
 * line in that list (as Terraform providers list their resources: shared/reference/architecture.md).
 */
import type { Aws, CallerIdentity } from '../../clients/aws.js';
import { TctlError, type Tctl } from '../../clients/tctl.js';
import type { Settings } from '../../config/inputs.js';
import type { RefusalError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Change, Deletion, Resource, Superseded } from '../../model/changes.js';
import type { DesiredState } from '../../model/desired.js';
import type { DestroyObserved } from '../../model/destroy-plan.js';
import type { EngineDeps, Observed, Plan } from '../plan.js';

export interface ObserveContext {
  settings: Settings;
  deps: EngineDeps;
  identity: CallerIdentity;
}

/** A kind's part of the run's one round of reads: its fields of Observed, and a Teleport read that failed (kept, so the AWS side goes on). */
export interface Reads {
  observed: Partial<Observed>;
  teleportError?: TctlError;
}

export interface PlanContext {
  settings: Settings;
  identity: CallerIdentity;
  desired: DesiredState;
  observed: Observed;
  /** A kind planned earlier in the list was refused (a role that is not ours gets no policy either). */
  refused: (resource: Resource) => boolean;
  /** For a kind of several independent parts (a document per region): each part's refusal is its own. */
  planned: (plan: () => Change[]) => Change[];
}

export interface ApplyContext {
  aws: Aws;
  tctl: Tctl | undefined;
  logger: Logger;
  settings: Settings;
  desired: DesiredState;
  /** The thumbprint the issuer serves, as observed. */
  thumbprint: string | undefined;
}

export interface DestroyContext {
  settings: Settings;
  identity: CallerIdentity;
  desired: DesiredState;
  /** Undefined when neither the input nor the proxy gave it: the cluster tag is then not compared. */
  clusterName: string | undefined;
  observed: DestroyObserved;
  /** The role's ARNs an integration may point at (with and without a path). */
  roleArns: string[];
  /** Whether the integration another tag names still exists (undefined: not asked, or unknown). */
  taggedIntegrationExists: boolean | undefined;
  teleport: boolean;
  /** More than one refusal from one kind (each blocking destroy); a thrown RefusalError is one. */
  refuse: (refusal: RefusalError) => void;
  /** For a kind of several independent parts: each part's refusal is its own. */
  planned: (plan: () => Change[]) => Change[];
  /** Set by the provider's row when it stays (shared or trusted), with who still uses it. */
  providerKept?: string;
  /** What the plan should say before anything is deleted (not a refusal). */
  notes: string[];
}

export interface DestroyReadContext {
  settings: Settings;
  deps: EngineDeps;
  identity: CallerIdentity;
  /** Undefined when neither the input nor the proxy gave it. */
  clusterName: Promise<string | undefined>;
  /** The proxy's Teleport version; undefined when it could not be read. */
  serverVersion: Promise<string | undefined>;
  /** A Teleport read that fails stops the destroy: nothing may go while what uses it is unknown. */
  mustRead: <T>(read: Promise<T>, what: string) => Promise<T>;
}

export interface DeleteContext {
  aws: Aws;
  tctl: Tctl | undefined;
  logger: Logger;
  settings: Settings;
}

export interface Row {
  target: string;
  unchanged: string;
}

export interface ResourceKind<C extends Change = Change, D extends Deletion = Deletion> {
  /** What it writes, in words (logs, and the bug message of a change nobody owns). */
  kind: string;
  /** The report's rows it owns, in RESOURCES (model/changes.ts). */
  resources: readonly Resource[];
  /** Its part of the one round of reads (none: it plans from another kind's reads). */
  observe?(context: ObserveContext): Promise<Reads>;
  /** Its changes; a RefusalError thrown refuses this kind alone. */
  plan(context: PlanContext): Change[];
  owns(change: Change): change is C;
  /** Writes one of its changes; `Superseded` when a create found it made meanwhile (the repairs to apply instead). */
  apply(change: C, context: ApplyContext): Promise<Superseded | undefined>;
  /** What each of its rows points at, and why a row is unchanged; none when the run does not declare it. */
  rows(plan: Plan, settings: Settings): Partial<Record<Resource, Row>>;
  /** Destroy: its deletions, in the order they go, and how one is made. */
  destruction?: {
    /** Its part of destroy's one round of reads. */
    observe?(context: DestroyReadContext): Promise<Partial<DestroyObserved>>;
    plan(context: DestroyContext): Deletion[];
    deletes(change: Deletion): change is D;
    delete(change: D, context: DeleteContext): Promise<void>;
  };
}

/** Typed rows: each kind's `apply` takes exactly the changes its `owns` accepts (methods are bivariant, so the list holds them all). */
export const kindOf = <C extends Change, D extends Deletion = Deletion>(row: ResourceKind<C, D>): ResourceKind => row;

/** A Teleport read that fails is kept as the error, so the AWS side goes on and the run fails after. */
export async function teleportRead<T>(read: Promise<T>): Promise<{ value: T | undefined; error: TctlError | undefined }> {
  try {
    return { value: await read, error: undefined };
  } catch (error) {
    if (error instanceof TctlError) return { value: undefined, error };
    throw error;
  }
}

export function teleportOf(context: { tctl: Tctl | undefined }): Tctl {
  if (!context.tctl) throw new Error('Teleport changes were planned with skip-teleport set');
  return context.tctl;
}
