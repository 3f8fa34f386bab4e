import { createHash } from 'node:crypto';
import type { Bundle, BundleFile } from '../src/bundle/types.js';

/** A file's content, or its content and Unix mode (default 0o644). */
export type FixtureFile = string | Buffer | { data: string | Buffer; mode: number };

/**
 * Builds a Bundle in memory from `{ path: contents }`, as intake would hand it over: files sorted by path,
 * a digest over the file table standing in for the archive's.
 */
export function makeBundle(files: Record<string, FixtureFile>, overrides: Partial<Bundle> = {}): Bundle {
  const table = new Map<string, BundleFile>();
  const hash = createHash('sha256');
  for (const path of Object.keys(files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    const entry = files[path]!;
    const { data, mode } = typeof entry === 'string' || Buffer.isBuffer(entry) ? { data: entry, mode: 0o644 } : entry;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    table.set(path, { path, data: bytes, mode });
    hash.update(path).update('\0').update(bytes).update('\0');
  }
  const size = [...table.values()].reduce((total, file) => total + file.data.length, 0);
  return {
    source: { kind: 'file', path: 'test.mcpb', format: 'zip' },
    sha256: hash.digest('hex'),
    size,
    files: table,
    ...overrides,
  };
}

/** manifest.json text from an object, pretty-printed like a hand-written manifest (so lines are predictable). */
export function manifestJson(manifest: object): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** A manifest that passes AI-01 at L2: the spec's 4.4 "L2 Standard" example with a consistent entry point. */
export function l2Manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    manifest_version: '0.3',
    name: '@acme/weather-server',
    version: '1.0.0',
    description: 'Production weather service',
    author: { name: 'Acme Corp', email: 'mcp@acme.com' },
    repository: { type: 'git', url: 'https://github.com/acme/weather-server' },
    server: {
      type: 'python',
      entry_point: 'server.py',
      mcp_config: { command: 'python', args: ['${__dirname}/server.py'] },
    },
    tools: [{ name: 'get_weather', description: 'Get current weather for a location' }],
    _meta: {
      'org.mpaktrust': {
        mtf_version: '0.1',
        level: 2,
        permissions: { filesystem: 'none', network: 'outbound', environment: 'read', subprocess: 'none', native: 'none' },
      },
    },
    ...overrides,
  };
}
