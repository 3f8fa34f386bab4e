import { createHash } from 'node:crypto';
import type { Bundle, BundleFile } from '../src/bundle/types.js';

/** An in-memory bundle from `{path: contents}`; the hash is the SHA-256 of the sorted paths and contents. */
export function makeBundle(files: Record<string, string | Buffer>, source: Partial<Bundle['source']> = {}): Bundle {
  const entries = Object.keys(files)
    .sort()
    .map((path): [string, BundleFile] => {
      const content = files[path]!;
      return [path, { path, data: Buffer.isBuffer(content) ? content : Buffer.from(content), mode: 0o644 }];
    });
  const hash = createHash('sha256');
  for (const [path, file] of entries) hash.update(path).update('\0').update(file.data).update('\0');
  return {
    source: { kind: 'file', path: 'test.mcpb', format: 'zip', ...source },
    sha256: hash.digest('hex'),
    size: entries.reduce((n, [, f]) => n + f.data.length, 0),
    files: new Map(entries),
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
