/**
 * Secrets the step can see: registered with the runner (core.setSecret) and also cut out of
 * everything the action itself writes (log, annotations, summary, PR comment), so they never
 * leave the step even where the runner's masking does not apply (the comment, for one).
 */
import { readFileSync } from 'node:fs';

const PEM_ARMOR = /^-----(BEGIN|END) [A-Z ]+-----$/;

export class Secrets {
  private readonly values = new Set<string>();

  constructor(private readonly register: (secret: string) => void) {}

  add(value: string | undefined): void {
    const secret = value?.trim();
    // Very short values would mask ordinary words; no credential is that short.
    if (!secret || secret.length < 6 || this.values.has(secret)) return;
    this.values.add(secret);
    this.register(secret);
  }

  /** The identity file tctl uses: its path and every line of its content (keys, certificates). */
  addIdentityFile(path: string | undefined): void {
    if (!path) return;
    this.add(path);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    for (const line of content.split(/\r?\n/)) if (!PEM_ARMOR.test(line.trim())) this.add(line);
  }

  /** The usual credentials in the environment of an AWS + Teleport job. */
  static fromEnvironment(env: NodeJS.ProcessEnv, token: string, register: (secret: string) => void): Secrets {
    const secrets = new Secrets(register);
    secrets.add(token);
    secrets.add(env.AWS_SECRET_ACCESS_KEY);
    secrets.add(env.AWS_SESSION_TOKEN);
    secrets.add(env.AWS_ACCESS_KEY_ID);
    secrets.addIdentityFile(env.TELEPORT_IDENTITY_FILE);
    return secrets;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is cut whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
    return out;
  }
}
