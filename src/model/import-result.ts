/** What an import read and wrote: shared by the engine and the report. */
import type { CallerIdentity } from '../clients/aws.js';
import type { WrittenEntry } from '../config/config-writer.js';

export interface ImportResult {
  identity: CallerIdentity;
  clusterName: string;
  entries: ImportedEntry[];
  notImported: NotImported[];
  /** Where ec2-ssm's documents were looked for (and where each integration's EC2 matchers enroll). */
  regions: string[];
  /** What could not be read, so the file may declare less than exists. */
  warnings: string[];
  /** The config file's text. */
  text: string;
}

export interface ImportedEntry extends WrittenEntry {
  integration: string;
  roleArn: string;
  /** What a plan right after the import would still do; empty: nothing. */
  pending: string[];
}

export interface NotImported {
  integration: string;
  reason: string;
}
