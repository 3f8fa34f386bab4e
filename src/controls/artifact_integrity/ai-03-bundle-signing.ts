import { error, type Control, type FindingInput } from '../control.js';

/**
 * AI-03 Bundle Signing (MTF 3.2, 5.1-5.2). Verifying the MTF signing payload (a Sigstore or long-lived-key
 * signature over the canonical manifest and SBOM hashes) is not implemented yet, so the control reports
 * `error`. What it does report is an `mcpb sign` block appended to the archive: that PKCS#7 signature over
 * the zip is a different scheme and is never MTF signing compliance.
 */
export const ai03: Control = {
  id: 'AI-03',
  check(ctx) {
    const block = ctx.bundle.signature;
    const notes: FindingInput[] = [];
    if (block) {
      const parts = [
        block.subject && `signer subject "${block.subject}"`,
        block.issuer && `issuer "${block.issuer}"`,
        block.algorithm && `algorithm ${block.algorithm}`,
        block.digestAlgorithm && `digest ${block.digestAlgorithm}`,
        `${block.certificates} certificate(s)`,
        block.notAfter && `valid until ${block.notAfter}`,
      ].filter(Boolean);
      notes.push({
        rule: 'mcpb-signature-block',
        severity: 'info',
        action: 'INFO',
        title: 'mcpb signature block present (not MTF signing)',
        description:
          `The archive ends with an mcpb signature block (${block.length} bytes${block.problem ? `; unreadable: ${block.problem}` : `: ${parts.join(', ')}`}). ` +
          'It was not verified, and an mcpb PKCS#7 signature over the zip does not satisfy MTF AI-03, which signs the manifest and SBOM hashes (spec 5.1).',
      });
    }
    return error('not implemented: mtf-action does not verify MTF bundle signatures (spec 5.1) yet', notes);
  },
};
