import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigSchema, type Config, type ConfigInput } from '../spec/config-schema.js';

/** A configuration that cannot be used: unreadable file, bad YAML/JSON, or a value the schema rejects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads a config file (YAML or JSON, which YAML includes) and applies `overrides` (command-line options or
 * action inputs, which win over the file) before one schema parse, so defaults are applied in one place.
 */
export async function loadConfig(file: string | undefined, overrides: ConfigInput = {}): Promise<Config> {
  let fromFile: unknown = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      fromFile = parseYaml(text, { maxAliasCount: 100 }) ?? {};
    } catch (e) {
      throw new ConfigError(`config file ${file} is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    if (typeof fromFile !== 'object' || Array.isArray(fromFile)) {
      throw new ConfigError(`config file ${file} must hold a mapping of settings`);
    }
  }
  const merged = { ...(fromFile as object), ...definedOnly(overrides) };
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(`invalid configuration${file ? ` (${file})` : ''}: ${describeIssues(result.error)}`);
  }
  return result.data;
}

function definedOnly(values: object): object {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** "fail-on: expected one of ..." style messages that name the setting. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.');
      return key ? `${key}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

