/**
 * The entry point. Inputs are validated with only @actions/core and src/config loaded, so a
 * bad input fails fast; the engine, the AWS SDK and the rest are loaded after.
 */
import * as core from '@actions/core';
import { parseSettings, type Settings } from './config/inputs.js';
import { errorMessage } from './errors.js';
import { Secrets } from './secrets.js';

const token = core.getInput('github-token');
const secrets = Secrets.fromEnvironment(process.env, token, core.setSecret);
let settings: Settings | undefined;
try {
  settings = parseSettings((name) => core.getInput(name));
} catch (error) {
  core.setFailed(secrets.redact(errorMessage(error)));
}
if (settings) {
  const { run } = await import('./action.js');
  await run(settings, token, secrets);
}
