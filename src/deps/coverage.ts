import { dirOf } from './common.js';
import type { Dependency, DependencyModel, Ecosystem, Lockfile } from './types.js';

/** The project directory a lockfile belongs to (npm's hidden lockfile sits in the project's node_modules/). */
export function projectDirOf(lockfile: Lockfile): string {
  const dir = dirOf(lockfile.file);
  return lockfile.format === 'npm-hidden-lockfile' ? dirOf(dir) : dir;
}

function isSameOrAncestor(ancestor: string, dir: string): boolean {
  return ancestor === '' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}

/**
 * The lockfiles that lock what a manifest at `file` declares: same ecosystem, in the manifest's directory or
 * an ancestor (workspace roots lock their members). A requirements file is its own lockfile.
 */
export function lockfilesCovering(model: DependencyModel, file: string, ecosystem: Ecosystem): Lockfile[] {
  const dir = dirOf(file);
  return model.lockfiles.filter((l) => l.ecosystem === ecosystem && (l.file === file || isSameOrAncestor(projectDirOf(l), dir)));
}

/** Whether the bundle has no dependency at all: nothing declared, locked or vendored (SC-03/SC-04 then skip). */
export function hasNoDependencies(model: DependencyModel): boolean {
  return model.dependencies.length === 0 && model.declarations.length === 0 && model.vendored.length === 0 && model.lockfiles.length === 0;
}

/** The location a finding about a dependency points at: its first lockfile line, else where it was declared or vendored. */
export function primaryLocation(dep: Dependency): { file: string; line?: number } {
  const location = dep.locations[0];
  if (!location) return { file: '' };
  return location.line !== null ? { file: location.file, line: location.line } : { file: location.file };
}

export function isLocked(dep: Dependency): boolean {
  return dep.locations.some((l) => l.kind === 'lockfile');
}

export function labelOf(dep: Pick<Dependency, 'name' | 'version'>): string {
  return dep.version ? `${dep.name}@${dep.version}` : dep.name;
}
