/**
 * The action's logic entry point (src/main.ts calls it; @github/local-action runs it too).
 * Inputs are validated with only @actions/core and src/config loaded, so a bad input fails
 * fast; the engine, the AWS SDK and the rest are loaded after.
 */
import * as core from '@actions/core';
import { parseSettings, type Settings } from './config/inputs.js';
import { errorMessage } from './errors.js';
import { Secrets } from './secrets.js';

export async function run(): Promise<void> {
  const token = core.getInput('github-token');
  const secrets = Secrets.fromEnvironment(process.env, token, core.setSecret);
  let settings: Settings;
  try {
    settings = parseSettings((name) => core.getInput(name));
  } catch (error) {
    core.setFailed(secrets.redact(errorMessage(error)));
    return;
  }
  const action = await import('./action.js');
  await action.run(settings, token, secrets);
}
