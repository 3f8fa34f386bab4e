import type { Bundle } from '../src/bundle/types.js';
import type { Control } from '../src/controls/control.js';
import type { ControlId } from '../src/spec/catalog.js';
import type { LevelOrNone } from '../src/spec/levels.js';
import type { ControlResult } from '../src/spec/report-schema.js';
import { l2Manifest, makeBundle, manifestJson, type FixtureFile } from './bundle.js';
import { resultOf, scanWith } from './scan.js';

export type Permissions = Partial<Record<'filesystem' | 'network' | 'environment' | 'subprocess' | 'native', string>>;

/**
 * A bundle whose manifest runs `entry` (node for .js/.ts, python for .py) with the given permissions, plus
 * the given files. The manifest passes AI-01 at L2.
 */
export function serverBundle(
  entry: string,
  files: Record<string, FixtureFile>,
  options: { permissions?: Permissions | null; manifest?: Record<string, unknown>; level?: number } = {},
): { bundle: Bundle; manifestText: string } {
  const python = entry.endsWith('.py');
  const base = l2Manifest();
  const extension = (base._meta as Record<string, Record<string, unknown>>)['org.mpaktrust']!;
  const meta: Record<string, unknown> = { ...extension, level: options.level ?? 2 };
  if (options.permissions === null) delete meta.permissions;
  else meta.permissions = { filesystem: 'none', network: 'none', environment: 'none', subprocess: 'none', native: 'none', ...options.permissions };
  const manifest = {
    ...base,
    server: {
      type: python ? 'python' : 'node',
      entry_point: entry,
      mcp_config: { command: python ? 'python' : 'node', args: [`\${__dirname}/${entry}`] },
    },
    tools: [],
    _meta: { 'org.mpaktrust': meta },
    ...options.manifest,
  };
  const manifestText = manifestJson(manifest);
  return { bundle: makeBundle({ 'manifest.json': manifestText, ...files }), manifestText };
}

export async function checkControl(control: Control, bundle: Bundle, level: LevelOrNone): Promise<ControlResult> {
  const report = await scanWith(bundle, [control], { requiredLevel: level });
  return resultOf(report, control.id as ControlId);
}

/** `rule@file:line ACTION` for each finding, for compact assertions. */
export function summarize(result: ControlResult): string[] {
  return result.findings.map((f) => `${f.rule}@${f.file ?? ''}:${f.line ?? ''} ${f.action}`);
}
