/** One regular file of a bundle, held in memory. */
export interface BundleFile {
  /** Bundle-relative path: forward slashes, no leading `./`, no `..` segments. */
  path: string;
  data: Buffer;
  /** Unix permission bits (e.g. 0o644, 0o755); 0 when the archive does not record them. */
  mode: number;
}

export type ArchiveFormat = 'zip' | 'tar.gz';

/** What `mcpb sign` appended after the zip (a `MCPB_SIG_V1 ... MCPB_SIG_END` block holding DER PKCS#7). */
export interface SignatureBlock {
  /** Byte offset of the block in the file; the zip is everything before it. */
  offset: number;
  /** Length of the whole block in bytes. */
  length: number;
  /** Signer certificate subject (RFC 4514 style), when the PKCS#7 could be read. */
  subject?: string;
  issuer?: string;
  /** Signature algorithm of the signer, e.g. "RSA-SHA256" or "ECDSA-SHA256". */
  algorithm?: string;
  /** Digest algorithm of the signer info, e.g. "SHA-256". */
  digestAlgorithm?: string;
  certificates: number;
  notBefore?: string;
  notAfter?: string;
  /** Why the PKCS#7 content could not be read, when it could not. */
  problem?: string;
}

/** A bundle opened for scanning: every regular file in memory, nothing written to disk. */
export interface Bundle {
  source: {
    kind: 'file' | 'directory';
    /** The path the user gave (archive file or directory), as given. */
    path: string;
    format: ArchiveFormat;
  };
  /** SHA-256 (64 lowercase hex) of the archive bytes as distributed; for a directory, of its deterministic pack. */
  sha256: string;
  /** Size in bytes of the archive (for a directory, of its pack). */
  size: number;
  /** Regular files, sorted by path (byte order). Directories are implied by paths. */
  files: ReadonlyMap<string, BundleFile>;
  signature?: SignatureBlock;
  /** The packed archive, when the bundle was packed from a directory. */
  packed?: Buffer;
}

/** Caps on what intake accepts; every one is configurable, with generous defaults. */
export interface IntakeLimits {
  /** Largest archive file read from disk, in bytes. */
  maxArchiveBytes: number;
  /** Most entries (files and directories) an archive or directory may hold. */
  maxEntries: number;
  /** Largest single uncompressed file, in bytes. */
  maxFileBytes: number;
  /** Largest total uncompressed size, in bytes. */
  maxTotalBytes: number;
  /** Largest uncompressed:compressed ratio of one zip entry, checked for entries above `ratioMinBytes`. */
  maxCompressionRatio: number;
  ratioMinBytes: number;
}

export const DEFAULT_LIMITS: Readonly<IntakeLimits> = Object.freeze({
  maxArchiveBytes: 512 * 1024 * 1024,
  maxEntries: 50_000,
  maxFileBytes: 256 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioMinBytes: 1024 * 1024,
});

/**
 * The input could not be opened as a bundle: not an archive, empty, or hostile (zip-slip, links, devices,
 * duplicate names, over a cap). The message names the offending entry; the CLI exits 2 with it and the
 * action fails with it.
 */
export class IntakeError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'IntakeError';
  }
}
