import { PackageURL } from 'packageurl-js';
import { normalizePypiName } from '../common.js';
import type { Dependency, Ecosystem } from '../types.js';
import type { SbomComponent } from './read.js';

/**
 * Matching the dependency model against an SBOM's components: by purl (type, namespace, name, version;
 * qualifiers ignored) when the component has one, by name and version otherwise. PyPI names compare
 * normalized (PEP 503), as the ecosystem does.
 */

const PURL_TYPE: Record<Ecosystem, string> = { npm: 'npm', PyPI: 'pypi', Go: 'golang', 'crates.io': 'cargo' };

export interface SbomIndex {
  /** `type/name` -> the versions listed (null for a component without a version). */
  typed: Map<string, Set<string | null>>;
  /** `name` -> versions, for components without a purl. */
  untyped: Map<string, Set<string | null>>;
}

export function indexComponents(components: readonly SbomComponent[]): SbomIndex {
  const index: SbomIndex = { typed: new Map(), untyped: new Map() };
  const add = (map: Map<string, Set<string | null>>, key: string, version: string | null) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(version);
  };
  for (const component of components) {
    const purl = parsePurl(component.purl);
    if (purl) {
      add(index.typed, `${purl.type}/${fullName(purl.type, purl.namespace, purl.name)}`, purl.version ?? component.version);
    } else if (component.name) {
      const name = component.group ? `${component.group}/${component.name}` : component.name;
      add(index.untyped, name, component.version);
      add(index.untyped, normalizePypiName(name), component.version);
    }
  }
  return index;
}

/** The versions the SBOM lists for a dependency's package (empty when it does not list the package at all). */
export function versionsInSbom(dep: Pick<Dependency, 'ecosystem' | 'name'>, index: SbomIndex): Set<string | null> {
  const type = PURL_TYPE[dep.ecosystem];
  const name = dep.ecosystem === 'PyPI' ? normalizePypiName(dep.name) : dep.name;
  const versions = new Set<string | null>(index.typed.get(`${type}/${name}`) ?? []);
  for (const v of index.untyped.get(dep.ecosystem === 'PyPI' ? normalizePypiName(dep.name) : dep.name) ?? []) versions.add(v);
  return versions;
}

export function sbomListsDependency(dep: Pick<Dependency, 'ecosystem' | 'name' | 'version'>, index: SbomIndex): boolean {
  const versions = versionsInSbom(dep, index);
  if (dep.version === null) return versions.size > 0;
  return versions.has(dep.version) || (dep.ecosystem === 'Go' && versions.has(dep.version.replace(/^v/, '')));
}

function parsePurl(purl: string | null): PackageURL | null {
  if (!purl) return null;
  try {
    return PackageURL.fromString(purl);
  } catch {
    return null;
  }
}

function fullName(type: string, namespace: string | undefined | null, name: string): string {
  if (type === 'pypi') return normalizePypiName(name);
  return namespace ? `${namespace}/${name}` : name;
}
