import { escapeRegExp, isRecord, linesOf, problem, tomlOf, type ReadInput, type ReaderResult } from './common.js';
import { registry, tableArrayUrls } from './declarations.js';
import type { RegistryDeclaration } from './types.js';
import { parseYamlLockfile } from './yaml.js';

/**
 * Registry configuration a bundle carries: `.npmrc` (`registry=`, `@scope:registry=`), `.yarnrc.yml`
 * (`npmRegistryServer`, `npmScopes`), `uv.toml` (`[[index]]`, `index-url`, `extra-index-url`). SC-05 judges
 * every index named here (DESIGN.md section 4, "Trusted sources").
 */

/** `.npmrc` is ini: `key=value` lines, `;` or `#` comments; only registry keys matter here. */
export function readNpmrc(input: ReadInput): ReaderResult {
  const registries: RegistryDeclaration[] = [];
  linesOf(input.text).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const match = /^(@[^:\s]+:)?registry\s*=\s*(.+)$/.exec(line);
    if (match) {
      registries.push({ ecosystem: 'npm', url: match[2]!.trim().replace(/^["']|["']$/g, ''), kind: match[1] ? 'scoped' : 'index', file: input.file.path, line: i + 1 });
    }
  });
  return { registries };
}

export function readYarnrc(input: ReadInput): ReaderResult {
  const parsed = parseYamlLockfile(input.text);
  if (!parsed.ok) return { problems: [problem(input.file.path, parsed.message)] };
  const { data, lineOf } = parsed.value;
  const registries: RegistryDeclaration[] = [];
  if (typeof data.npmRegistryServer === 'string') {
    registries.push({ ecosystem: 'npm', url: data.npmRegistryServer, kind: 'index', file: input.file.path, line: lineOf(null, 'npmRegistryServer') });
  }
  if (isRecord(data.npmScopes)) {
    for (const scope of Object.values(data.npmScopes)) {
      if (isRecord(scope) && typeof scope.npmRegistryServer === 'string') {
        const url = scope.npmRegistryServer;
        const line = linesOf(input.text).findIndex((l) => l.includes(url));
        registries.push({ ecosystem: 'npm', url, kind: 'scoped', file: input.file.path, line: line < 0 ? null : line + 1 });
      }
    }
  }
  return { registries };
}

export function readUvToml(input: ReadInput): ReaderResult {
  const parsed = tomlOf(input.file);
  if ('error' in parsed) return { problems: [problem(input.file.path, parsed.error)] };
  const doc = parsed.value;
  const registries: RegistryDeclaration[] = [];
  tableArrayUrls(registries, doc.index, input.text);
  if (typeof doc['index-url'] === 'string') registries.push(registry('PyPI', doc['index-url'], 'index', input.text, /^\s*index-url\s*=/));
  for (const key of ['extra-index-url', 'find-links'] as const) {
    const list = doc[key];
    if (!Array.isArray(list)) continue;
    for (const url of list) {
      if (typeof url === 'string') registries.push(registry('PyPI', url, key === 'find-links' ? 'find-links' : 'extra-index', input.text, new RegExp(escapeRegExp(url))));
    }
  }
  return { registries };
}
