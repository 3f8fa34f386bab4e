import { findings, type Control } from '../control.js';

/**
 * RG-07 Bundle Digest (MTF 3.7): the SHA-256 digest of the bundle archive, computed here exactly as a registry
 * computes it on upload and a client after download, so a publisher can publish it with the bundle. It is in the
 * report (`bundle.hash`) and the action's `bundle-sha256` output. Serving it and refusing re-uploads with other
 * content are the registry's duties, not the bundle's, so nothing here can fail.
 */
export const rg07: Control = {
  id: 'RG-07',
  check(ctx) {
    const { bundle } = ctx;
    // The same words for a directory and the .mcpb it packs into: the digest is of the same archive bytes.
    const what = `the bundle archive (${bundle.size} bytes${bundle.signature ? ', signature block included' : ''}; for a directory, the .mcpb it packs into)`;
    return findings([
      {
        rule: 'bundle-digest',
        severity: 'info',
        action: 'INFO',
        title: `Bundle SHA-256 ${bundle.sha256}`,
        description: `SHA-256 of ${what}: ${bundle.sha256}. Registries serve this digest with the download URL and clients compare it before extraction (MTF 3.7 RG-07).`,
      },
    ]);
  },
};
