import { fileText } from '../text/file-text.js';
import { dirOf, isRecord, joinPath, jsonOf, linesOf, problem, stripBom, type ReadInput, type ReaderResult } from './common.js';
import { classifyReference, gitSource, isNpmRegistryTarball } from './sources.js';
import type { DependencySource, RecordEntry, VendoredPackage } from './types.js';

/**
 * Packages installed inside the bundle: npm packages under node_modules/ (their package.json) and Python
 * distributions (`*.dist-info/METADATA`, with `RECORD` and PEP 610 `direct_url.json` beside it) under the
 * bundle's lib/, deps/, site-packages/ ... folders. Never executed, only read.
 */

/** `.../node_modules/<name>/package.json` or `.../node_modules/@scope/<name>/package.json`, a package's root. */
export function isVendoredPackageJson(path: string): boolean {
  return /(?:^|\/)node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*\/package\.json$/.test(path);
}

export function isDistInfoMetadata(path: string): boolean {
  return /(?:^|\/)[^/]+\.dist-info\/METADATA$/.test(path);
}

export function readVendoredNpm(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const parsed = jsonOf(input.file);
  if ('error' in parsed) return { problems: [problem(path, parsed.error)] };
  if (!isRecord(parsed.value)) return { problems: [problem(path, 'not a JSON object', 1)] };
  const pkg = parsed.value;
  const dir = dirOf(path);
  const installName = dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const name = typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : installName;
  const resolved = typeof pkg._resolved === 'string' ? pkg._resolved : null;
  let source: DependencySource | null = null;
  if (resolved) {
    source = classifyReference(resolved, { shorthand: true });
    if (source.kind === 'url' && isNpmRegistryTarball(resolved)) source = { kind: 'registry', url: resolved };
  }
  const vendored: VendoredPackage = {
    ecosystem: 'npm',
    name,
    version: typeof pkg.version === 'string' && pkg.version !== '' ? pkg.version : null,
    path: dir,
    file: path,
    licenses: npmLicenses(pkg),
    source,
    integrity: typeof pkg._integrity === 'string' ? pkg._integrity.split(/\s+/).filter(Boolean) : [],
  };
  return { vendored: [vendored] };
}

/** `license: "MIT"`, the legacy `license: {type}` and `licenses: [{type}]` forms. */
function npmLicenses(pkg: Record<string, unknown>): string[] {
  if (typeof pkg.license === 'string' && pkg.license.trim() !== '') return [pkg.license.trim()];
  if (isRecord(pkg.license) && typeof pkg.license.type === 'string') return [pkg.license.type];
  if (Array.isArray(pkg.licenses)) return pkg.licenses.flatMap((l) => (isRecord(l) && typeof l.type === 'string' ? [l.type] : []));
  return [];
}

/** Headers past this many lines are the long description; METADATA's headers come first. */
const MAX_HEADER_LINES = 2000;

export function readDistInfo(input: ReadInput): ReaderResult {
  const path = input.file.path;
  const distInfo = dirOf(path);
  const headers = metadataHeaders(linesOf(input.text));
  const name = headers.get('name')?.[0];
  if (!name) return { problems: [problem(path, 'METADATA has no Name header', 1)] };
  const record = input.bundle.files.get(joinPath(distInfo, 'RECORD'));
  const vendored: VendoredPackage = {
    ecosystem: 'PyPI',
    name,
    version: headers.get('version')?.[0] ?? null,
    path: distInfo,
    file: path,
    licenses: pythonLicenses(headers),
    source: directUrlSource(input, distInfo),
    integrity: [],
  };
  if (record) vendored.record = { file: record.path, entries: parseRecord(fileText(record).text) };
  return { vendored: [vendored] };
}

/** RFC 822-style headers up to the first blank line; continuation lines (leading space) are dropped. */
function metadataHeaders(lines: string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i < Math.min(lines.length, MAX_HEADER_LINES); i++) {
    const line = i === 0 ? stripBom(lines[i]!) : lines[i]!;
    if (line.trim() === '') break;
    if (/^\s/.test(line)) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** License-Expression (metadata 2.4), else a one-line License, else the `License ::` classifiers. */
function pythonLicenses(headers: Map<string, string[]>): string[] {
  const expression = headers.get('license-expression')?.[0];
  if (expression) return [expression];
  const license = headers.get('license')?.[0];
  if (license && license.length <= 100 && !/^unknown$/i.test(license)) return [license];
  return (headers.get('classifier') ?? []).flatMap((c) => {
    const match = /^License :: (?:OSI Approved :: )?(.+)$/.exec(c);
    return match && match[1] !== 'OSI Approved' ? [match[1]!] : [];
  });
}

/** PEP 610: an installation from a URL, a VCS or a local directory records where it came from. */
function directUrlSource(input: ReadInput, distInfo: string): DependencySource | null {
  const file = input.bundle.files.get(joinPath(distInfo, 'direct_url.json'));
  if (!file) return null;
  const parsed = jsonOf(file);
  if (!('value' in parsed) || !isRecord(parsed.value) || typeof parsed.value.url !== 'string') return null;
  const { url, vcs_info: vcs, dir_info: dir } = parsed.value;
  if (isRecord(vcs)) {
    const commit = typeof vcs.commit_id === 'string' && /^[0-9a-f]{40}$/i.test(vcs.commit_id) ? vcs.commit_id.toLowerCase() : undefined;
    return commit ? { kind: 'git', url, commit } : gitSource(url);
  }
  if (isRecord(dir) || url.startsWith('file:')) return { kind: 'path', url };
  return { kind: 'url', url };
}

/** RECORD is CSV (path, hash, size); a path with a comma is quoted. */
export function parseRecord(text: string): RecordEntry[] {
  const entries: RecordEntry[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const fields = csvFields(line);
    if (fields.length < 1 || fields[0] === '') return;
    entries.push({ path: fields[0]!, hash: fields[1] ? fields[1] : null, line: i + 1 });
  });
  return entries;
}

function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      fields.push(value);
      i = line.indexOf(',', i) < 0 ? line.length + 1 : line.indexOf(',', i) + 1;
    } else {
      const comma = line.indexOf(',', i);
      fields.push(line.slice(i, comma < 0 ? line.length : comma));
      i = comma < 0 ? line.length + 1 : comma + 1;
    }
  }
  return fields;
}
