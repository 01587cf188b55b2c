import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';

// Every flag of `serve` (and `doctor`, which takes the same ones) can also come from a JSON config file
// (`--config FILE` or ATC_CONFIG) or from an environment variable ATC_NAME. Precedence: command line, then environment,
// then config file, then the built-in default. Keys are the flag names without dashes and without `no-`:
// `--trusted-proxy` is "trusted-proxy" / ATC_TRUSTED_PROXY, `--no-federation-outgoing` is "federation-outgoing": false
// / ATC_FEDERATION_OUTGOING=false. Values go through the flag's own parser, so a bad value fails the same way.
// The reference table in docs/server.md is generated from the same option list (`config-reference`), so it cannot
// drift.

/** Key of an option in the config file: the long flag without `--` and without a `no-` of a negatable flag. */
function configKey(option: Option): string {
  const long = (option.long ?? '').replace(/^--/, '');
  return option.negate ? long.replace(/^no-/, '') : long;
}

const envName = (option: Option): string => `ATC_${configKey(option).toUpperCase().replace(/-/g, '_')}`;

const isFlag = (option: Option) => !option.required && !option.optional;
const SKIPPED = new Set(['config', 'help']);

function toBoolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (/^(1|true|yes|on)$/i.test(String(value))) return true;
  if (/^(0|false|no|off)$/i.test(String(value))) return false;
  throw new Error(`${where}: expected true or false, got ${JSON.stringify(value)}`);
}

function parsed(option: Option, value: unknown, where: string): unknown {
  // A negatable flag's value is its positive form: "federation-outgoing": false is --no-federation-outgoing.
  if (isFlag(option)) return toBoolean(value, where);
  const values = Array.isArray(value) ? value.map(String) : [String(value)];
  let result: unknown = Array.isArray(option.defaultValue) ? [] : undefined;
  for (const text of values) {
    try {
      result = option.parseArg ? option.parseArg(text, result) : text;
    } catch (error) {
      throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}

/** The --config file named on the command line (`--config F`, `--config=F`) or in ATC_CONFIG. */
function configFileFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') return argv[i + 1];
    if (argv[i]?.startsWith('--config=')) return argv[i]?.slice('--config='.length);
  }
  return env.ATC_CONFIG || undefined;
}

/**
 * Sets `command`'s option values from the config file and the environment before commander parses the command line
 * (which then overrides them; required options given there count as given).
 */
export function applyConfigSources(
  command: Command,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  const file = configFileFrom(argv, env);
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`config file ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile))
      throw new Error(`config file ${file}: expected a JSON object`);
  }
  const known = new Set<string>();
  for (const option of command.options) {
    const key = configKey(option);
    if (SKIPPED.has(key)) continue;
    known.add(key);
    if (fromFile[key] !== undefined)
      command.setOptionValueWithSource(
        option.attributeName(),
        parsed(option, fromFile[key], `config file ${file}, "${key}"`),
        'config',
      );
    const envValue = env[envName(option)];
    if (envValue !== undefined && envValue !== '')
      command.setOptionValueWithSource(option.attributeName(), parsed(option, envValue, envName(option)), 'env');
  }
  const unknown = Object.keys(fromFile).filter((key) => !known.has(key));
  if (unknown.length > 0)
    throw new Error(
      `config file ${file}: unknown setting(s) ${unknown.join(', ')} (see add-to-cloud-server config-reference)`,
    );
}

/** The option reference as a Markdown table: flag, config key, environment variable, default, meaning. */
export function optionsTable(command: Command): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const defaultOf = (option: Option): string => {
    if (option.mandatory) return 'required';
    if (option.negate) return '`true`';
    const value: unknown = option.defaultValue;
    if (value === undefined) return '—';
    if (Array.isArray(value)) return value.length === 0 ? 'none' : `\`${value.join(',')}\``;
    return `\`${String(value)}\``;
  };
  const rows = command.options
    .filter((option) => !SKIPPED.has(configKey(option)))
    .map((option) => {
      const names = `| \`${option.flags}\` | \`${configKey(option)}\` | \`${envName(option)}\``;
      return `${names} | ${defaultOf(option)} | ${cell(option.description)} |`;
    });
  return ['| flag | config key | environment | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
