/**
 * Integrity strings as lockfiles write them, read into an algorithm and a hex digest: npm's SRI
 * (`sha512-<base64>`), pip/uv/poetry/Cargo's `sha256:<hex>` and `sha256=<hex>`, yarn v1's `sha1:<hex>`.
 * Go's `h1:` dirhash and yarn Berry's cache checksum are hashes of something other than the package archive
 * and are not read here (they still count as integrity for SC-03).
 */
export type HashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface Digest {
  algorithm: HashAlgorithm;
  /** Lowercase hex. */
  hex: string;
}

const ALGORITHMS: Record<string, { name: HashAlgorithm; bytes: number }> = {
  sha1: { name: 'SHA-1', bytes: 20 },
  sha256: { name: 'SHA-256', bytes: 32 },
  sha384: { name: 'SHA-384', bytes: 48 },
  sha512: { name: 'SHA-512', bytes: 64 },
};

export function parseIntegrity(value: string): Digest | null {
  const sri = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(value.trim());
  if (sri) return digest(sri[1]!, Buffer.from(sri[2]!, 'base64').toString('hex'));
  const hex = /^(sha1|sha256|sha384|sha512)[:=]([0-9a-fA-F]+)$/.exec(value.trim());
  if (hex) return digest(hex[1]!, hex[2]!.toLowerCase());
  return null;
}

function digest(algorithm: string, hex: string): Digest | null {
  const spec = ALGORITHMS[algorithm];
  return spec && hex.length === spec.bytes * 2 ? { algorithm: spec.name, hex } : null;
}
