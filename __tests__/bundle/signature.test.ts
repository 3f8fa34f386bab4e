import { describe, expect, it } from '@jest/globals';
import { signMcpbFile } from '@anthropic-ai/mcpb/node';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';
import { openArchive, openBundle } from '../../src/bundle/open.js';
import { nameSignatureAlgorithm, splitSignature } from '../../src/bundle/signature.js';
import { normalZip, withTempDir, zipOf } from '../helpers/archives.js';

/** A self-signed RSA certificate (key made by node:crypto, certificate by node-forge), as PEM files. */
async function writeSelfSignedCertificate(dir: string): Promise<{ certPath: string; keyPath: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2025-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2035-01-01T00:00:00Z');
  const name = [
    { name: 'countryName', value: 'NL' },
    { name: 'organizationName', value: 'Example, Inc.' },
    { name: 'commonName', value: 'Test Publisher' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  await writeFile(certPath, forge.pki.certificateToPem(cert));
  await writeFile(keyPath, keyPem);
  return { certPath, keyPath };
}

const block = (der: Buffer, declared = der.length) => {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(declared);
  return Buffer.concat([Buffer.from('MCPB_SIG_V1'), length, der, Buffer.from('MCPB_SIG_END')]);
};

describe('signed bundles', () => {
  it('opens a bundle signed by `mcpb sign` and describes (never verifies) the signature', async () => {
    await withTempDir(async (dir) => {
      const zip = normalZip();
      const bundlePath = join(dir, 'signed.mcpb');
      await writeFile(bundlePath, zip);
      const { certPath, keyPath } = await writeSelfSignedCertificate(dir);
      signMcpbFile(bundlePath, certPath, keyPath);
      const signed = await readFile(bundlePath);
      expect(signed.length).toBeGreaterThan(zip.length);

      const bundle = await openBundle(bundlePath);
      expect([...bundle.files.keys()]).toEqual(['manifest.json', 'server/index.js']);
      expect(bundle.size).toBe(signed.length);
      expect(bundle.sha256).not.toBe((await openArchive(zip, 'x')).sha256);
      expect(bundle.signature).toEqual({
        offset: zip.length,
        length: signed.length - zip.length,
        subject: 'CN=Test Publisher,O=Example\\, Inc.,C=NL',
        issuer: 'CN=Test Publisher,O=Example\\, Inc.,C=NL',
        algorithm: 'RSA-SHA256',
        digestAlgorithm: 'SHA-256',
        certificates: 1,
        notBefore: '2025-01-01T00:00:00.000Z',
        notAfter: '2035-01-01T00:00:00.000Z',
      });
    });
  });

  it('still opens the bundle when the PKCS#7 inside a well-formed block is garbage', async () => {
    const zip = normalZip();
    const bundle = await openArchive(Buffer.concat([zip, block(Buffer.from('not DER at all'))]), 'x.mcpb');
    expect(bundle.files.size).toBe(2);
    expect(bundle.signature?.offset).toBe(zip.length);
    expect(bundle.signature?.problem).toMatch(/^the PKCS#7 signature could not be read: /);
    expect(bundle.signature?.subject).toBeUndefined();
  });

  it('reports a block whose length overruns it, and opens the zip before it', async () => {
    const zip = normalZip();
    const bundle = await openArchive(Buffer.concat([zip, block(Buffer.from('abc'), 1_000_000)]), 'x.mcpb');
    expect(bundle.files.size).toBe(2);
    expect(bundle.signature).toEqual({
      offset: zip.length,
      length: 11 + 4 + 3 + 12,
      certificates: 0,
      problem: 'the signature block is malformed: its declared length does not match its size',
    });
  });

  it('reports a header without a footer (a truncated block)', async () => {
    const zip = normalZip();
    const truncated = block(Buffer.from('abcdef')).subarray(0, 20);
    const bundle = await openArchive(Buffer.concat([zip, truncated]), 'x.mcpb');
    expect(bundle.files.size).toBe(2);
    expect(bundle.signature?.problem).toBe('the signature block is truncated: no MCPB_SIG_END footer');
  });

  it('treats a footer without any header as unsigned: the trailing bytes then break the zip', () => {
    const data = Buffer.concat([normalZip(), Buffer.from('MCPB_SIG_END')]);
    expect(splitSignature(data)).toEqual({ archive: data });
  });

  it('does not take the markers inside a stored zip entry for a signature block', async () => {
    const source = 'const header = "MCPB_SIG_V1"; const footer = "MCPB_SIG_END";';
    const zip = zipOf({ 'sign.js': [source, { level: 0 }] });
    expect(zip.includes('MCPB_SIG_V1')).toBe(true);
    expect(splitSignature(zip)).toEqual({ archive: zip });
    const bundle = await openArchive(zip, 'x.mcpb');
    expect(bundle.files.get('sign.js')!.data.toString()).toBe(source);
  });

  it('names ECDSA and key-only signature algorithms with their digest', () => {
    expect(nameSignatureAlgorithm('1.2.840.10045.4.3.2', 'SHA-256')).toBe('ECDSA-SHA256');
    expect(nameSignatureAlgorithm('1.2.840.10045.2.1', 'SHA-384')).toBe('ECDSA-SHA384');
    expect(nameSignatureAlgorithm('1.2.840.113549.1.1.1', 'SHA-512')).toBe('RSA-SHA512');
    expect(nameSignatureAlgorithm('1.3.101.112', 'SHA-512')).toBe('Ed25519');
  });
});
