import type { Bundle, BundleFile } from '../bundle/types.js';
import { fileText } from '../text/file-text.js';
import { readNpmLock, type NpmLockResult } from './npm-lock.js';
import type { Dependency, DependencyModel } from './types.js';

/** The lockfile a bundle path holds, read; null for any other file. */
function readLockfile(file: BundleFile): NpmLockResult | null {
  const { path } = file;
  if (path.endsWith('node_modules/.package-lock.json')) return readNpmLock(fileText(file), true);
  if ((path === 'package-lock.json' || path.endsWith('/package-lock.json')) && !path.includes('node_modules/')) {
    return readNpmLock(fileText(file), false);
  }
  return null;
}

/** Reads every lockfile the bundle carries into one model, once per scan (ScanContext.dependencies()). */
export function buildDependencyModel(bundle: Bundle): DependencyModel {
  const model: DependencyModel = { dependencies: [], lockfiles: [], declarations: [], problems: [] };
  const all: Dependency[] = [];
  for (const file of bundle.files.values()) {
    const result = readLockfile(file);
    if (!result) continue;
    model.lockfiles.push(result.lockfile);
    model.problems.push(...result.problems);
    all.push(...result.dependencies);
  }
  model.dependencies = mergeDependencies(all);
  return model;
}

/** One entry per (ecosystem, name, version), with every location and hash it was seen with. */
export function mergeDependencies(list: readonly Dependency[]): Dependency[] {
  const merged = new Map<string, Dependency>();
  for (const dep of list) {
    const key = `${dep.ecosystem}\0${dep.name}\0${dep.version ?? ''}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...dep, integrity: [...dep.integrity], locations: [...dep.locations] });
      continue;
    }
    seen.direct ||= dep.direct;
    seen.dev &&= dep.dev;
    for (const hash of dep.integrity) if (!seen.integrity.includes(hash)) seen.integrity.push(hash);
    seen.locations.push(...dep.locations);
  }
  return [...merged.values()].sort(
    (a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? ''),
  );
}
