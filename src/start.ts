/**
 * The action's logic entry point (src/main.ts calls it; @github/local-action runs it too).
 * Inputs, and a config file, are validated with only @actions/core and src/config loaded, so
 * a bad input fails fast; the engine, the AWS SDK and the rest are loaded after.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { destroySelection, matrixOf, parseConfigFile, REPLACED_BY_CONFIG, type ConfigFile } from './config/config-file.js';
import { parseSettings, type Settings } from './config/inputs.js';
import { parseImportSettings } from './config/import-inputs.js';
import { errorMessage, InputError, InputErrors } from './errors.js';
import { Secrets } from './secrets.js';

// Valid stand-ins for the inputs a config file replaces, so the step's other inputs are checked by the usual
// rules (confirm-destroy names entries then: destroySelection checks it).
const REPLACED_PLACEHOLDERS: Record<string, string> = { 'cluster-url': 'localhost', integration: 'config-file', 'role-name': 'config-file' };
const stepInput = (name: string): string => {
  if (name === 'confirm-destroy' && core.getInput('mode').trim() === 'destroy') return REPLACED_PLACEHOLDERS.integration;
  return REPLACED_PLACEHOLDERS[name] ?? core.getInput(name);
};

function readConfig(configPath: string): { step: Settings; config: ConfigFile } {
  const mixed = REPLACED_BY_CONFIG.filter((name) => core.getInput(name).trim() !== '');
  if (mixed.length > 0) {
    throw new InputErrors(
      mixed.map((name) => new InputError(name, `is set together with config; the config file gives each entry its ${name}`, "'' (set it in the config file)")),
    );
  }
  const step = parseSettings(stepInput);
  const file = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), configPath);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('config', `cannot read ${configPath} (${errorMessage(error)}); give a path in the repository`, '.github/teleport-integrations.yml');
  }
  const config = parseConfigFile(configPath, text, (name) => core.getInput(name));
  if (step.mode === 'destroy') return { step, config: { ...config, entries: destroySelection(config, core.getInput('confirm-destroy')) } };
  return { step, config };
}

export async function run(): Promise<void> {
  const token = core.getInput('github-token');
  const secrets = Secrets.fromEnvironment(process.env, token, core.setSecret);
  if (core.getInput('mode').trim() === 'import') {
    // config names the file to write, not one to read.
    let importSettings;
    try {
      importSettings = parseImportSettings((name) => core.getInput(name));
    } catch (error) {
      core.setFailed(secrets.redact(errorMessage(error)));
      return;
    }
    const action = await import('./action.js');
    await action.runImport(importSettings, secrets);
    return;
  }
  const configPath = core.getInput('config').trim();
  let settings: Settings;
  let config: ConfigFile | undefined;
  try {
    if (configPath) ({ step: settings, config } = readConfig(configPath));
    else {
      settings = parseSettings((name) => core.getInput(name));
      if (settings.mode === 'list') throw new InputError('mode', 'list reads a config file: set config', 'apply');
    }
  } catch (error) {
    core.setFailed(secrets.redact(errorMessage(error)));
    return;
  }
  if (config && settings.mode === 'list') {
    // Reads only the file: no AWS or tctl call.
    const matrix = matrixOf(config);
    core.setOutput('matrix', JSON.stringify(matrix));
    core.info(`matrix: ${JSON.stringify(matrix)}`);
    return;
  }
  const action = await import('./action.js');
  if (config) await action.runConfigFile(config, settings, token, secrets);
  else await action.run(settings, token, secrets);
}
