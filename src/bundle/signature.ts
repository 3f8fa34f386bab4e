import { ContentInfo, SignedData, id_signedData, type SignerInfo } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectKeyIdentifier, id_ce_subjectKeyIdentifier, type Name } from '@peculiar/asn1-x509';
import { describeCause } from './messages.js';
import type { SignatureBlock } from './types.js';

// The block `mcpb sign` appends after the zip (node_modules/@anthropic-ai/mcpb/dist/node/sign.js):
//   "MCPB_SIG_V1" + uint32LE(length) + DER PKCS#7 SignedData (detached) + "MCPB_SIG_END"
const HEADER = Buffer.from('MCPB_SIG_V1', 'latin1');
const FOOTER = Buffer.from('MCPB_SIG_END', 'latin1');
const LENGTH_BYTES = 4;
const EOCD_SIGNATURE = 0x06054b50;
const EOCD_MIN_BYTES = 22;
const MAX_ZIP_COMMENT = 0xffff;

/**
 * Splits what `mcpb sign` appended from the zip before it, so the zip can be opened (yauzl refuses a
 * signed file: the appended bytes make the end-of-central-directory comment length wrong, DESIGN §6).
 * Informational only: the PKCS#7 is described (signer, algorithms, validity), never verified.
 * A malformed block never throws: with a recognisable header it is reported with `problem` set; without
 * one the input is returned whole, as unsigned.
 */
export function splitSignature(data: Buffer): { archive: Buffer; signature?: SignatureBlock } {
  const block = findBlock(data);
  if (block === undefined) return { archive: data };
  const archive = data.subarray(0, block.offset);
  if (block.problem !== undefined) {
    return { archive, signature: { offset: block.offset, length: data.length - block.offset, certificates: 0, problem: block.problem } };
  }
  const der = data.subarray(block.offset + HEADER.length + LENGTH_BYTES, data.length - FOOTER.length);
  return { archive, signature: { offset: block.offset, length: data.length - block.offset, ...describePkcs7(der) } };
}

interface FoundBlock {
  offset: number;
  problem?: string;
}

function findBlock(data: Buffer): FoundBlock | undefined {
  if (endsWith(data, FOOTER)) {
    // The declared length pins the header: walk back over header-like bytes (one could sit inside the DER
    // itself) until one whose length field spans exactly to the footer.
    let lastHeader: number | undefined;
    const latest = data.length - FOOTER.length - LENGTH_BYTES - HEADER.length;
    // lastIndexOf reads a negative offset as "from the end", hence the guards.
    for (let at = latest < 0 ? -1 : data.lastIndexOf(HEADER, latest); at >= 0; at = at === 0 ? -1 : data.lastIndexOf(HEADER, at - 1)) {
      lastHeader ??= at;
      const start = at + HEADER.length + LENGTH_BYTES;
      if (start + data.readUInt32LE(at + HEADER.length) === data.length - FOOTER.length) {
        return { offset: at };
      }
    }
    if (lastHeader === undefined) return undefined;
    return { offset: lastHeader, problem: 'the signature block is malformed: its declared length does not match its size' };
  }
  // No footer: a header right after the zip's end-of-central-directory record is a truncated block.
  const at = data.lastIndexOf(HEADER);
  if (at > 0 && endsZipAt(data, at)) {
    return { offset: at, problem: 'the signature block is truncated: no MCPB_SIG_END footer' };
  }
  return undefined;
}

function endsWith(data: Buffer, suffix: Buffer): boolean {
  return data.length >= suffix.length && data.subarray(data.length - suffix.length).equals(suffix);
}

/** Is there an end-of-central-directory record whose comment ends exactly at `end`? */
function endsZipAt(data: Buffer, end: number): boolean {
  const lowest = Math.max(0, end - EOCD_MIN_BYTES - MAX_ZIP_COMMENT);
  for (let i = end - EOCD_MIN_BYTES; i >= lowest; i--) {
    if (data.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_MIN_BYTES + data.readUInt16LE(i + 20) === end) return true;
  }
  return false;
}

type Pkcs7Description = Omit<SignatureBlock, 'offset' | 'length'>;

/** Reads signer, algorithms and validity out of a DER PKCS#7 SignedData; `problem` says why it could not. */
export function describePkcs7(der: Buffer): Pkcs7Description {
  try {
    const info = AsnConvert.parse(der, ContentInfo);
    if (info.contentType !== id_signedData) {
      return { certificates: 0, problem: `the PKCS#7 content is not SignedData (content type ${info.contentType})` };
    }
    const signed = AsnConvert.parse(info.content, SignedData);
    const certificates = (signed.certificates ?? []).flatMap((choice) => (choice.certificate ? [choice.certificate] : []));
    const signer = signed.signerInfos[0];
    if (signer === undefined) return { certificates: certificates.length, problem: 'the PKCS#7 SignedData has no signer' };
    const digestAlgorithm = nameDigest(signer.digestAlgorithm.algorithm);
    const description: Pkcs7Description = {
      certificates: certificates.length,
      algorithm: nameSignatureAlgorithm(signer.signatureAlgorithm.algorithm, digestAlgorithm),
      digestAlgorithm,
    };
    const cert = findSignerCertificate(signer, certificates);
    if (cert === undefined) return { ...description, problem: "the signer's certificate is not in the PKCS#7" };
    const tbs = cert.tbsCertificate;
    return {
      ...description,
      subject: formatName(tbs.subject),
      issuer: formatName(tbs.issuer),
      notBefore: tbs.validity.notBefore.getTime().toISOString(),
      notAfter: tbs.validity.notAfter.getTime().toISOString(),
    };
  } catch (error) {
    return { certificates: 0, problem: `the PKCS#7 signature could not be read: ${describeCause(error)}` };
  }
}

function findSignerCertificate(signer: SignerInfo, certificates: Certificate[]): Certificate | undefined {
  const byIssuer = signer.sid.issuerAndSerialNumber;
  if (byIssuer) {
    const issuer = Buffer.from(AsnConvert.serialize(byIssuer.issuer));
    const serial = Buffer.from(byIssuer.serialNumber);
    return certificates.find(
      (cert) =>
        Buffer.from(cert.tbsCertificate.serialNumber).equals(serial) &&
        Buffer.from(AsnConvert.serialize(cert.tbsCertificate.issuer)).equals(issuer),
    );
  }
  const keyId = signer.sid.subjectKeyIdentifier;
  if (keyId) {
    const wanted = Buffer.from(keyId.buffer);
    return certificates.find((cert) =>
      (cert.tbsCertificate.extensions ?? []).some(
        (ext) =>
          ext.extnID === id_ce_subjectKeyIdentifier &&
          Buffer.from(AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier).buffer).equals(wanted),
      ),
    );
  }
  return undefined;
}

const DIGESTS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.2.5', 'MD5'],
  ['1.3.14.3.2.26', 'SHA-1'],
  ['2.16.840.1.101.3.4.2.4', 'SHA-224'],
  ['2.16.840.1.101.3.4.2.1', 'SHA-256'],
  ['2.16.840.1.101.3.4.2.2', 'SHA-384'],
  ['2.16.840.1.101.3.4.2.3', 'SHA-512'],
]);

// Signature OIDs that name the key type only; the digest comes from the signer's digestAlgorithm.
const KEY_ONLY: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.1', 'RSA'], // rsaEncryption, what node-forge (mcpb sign) writes
  ['1.2.840.113549.1.1.10', 'RSA-PSS'],
  ['1.2.840.10045.2.1', 'ECDSA'], // id-ecPublicKey
]);

const FULL: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.4', 'RSA-MD5'],
  ['1.2.840.113549.1.1.5', 'RSA-SHA1'],
  ['1.2.840.113549.1.1.14', 'RSA-SHA224'],
  ['1.2.840.113549.1.1.11', 'RSA-SHA256'],
  ['1.2.840.113549.1.1.12', 'RSA-SHA384'],
  ['1.2.840.113549.1.1.13', 'RSA-SHA512'],
  ['1.2.840.10045.4.1', 'ECDSA-SHA1'],
  ['1.2.840.10045.4.3.1', 'ECDSA-SHA224'],
  ['1.2.840.10045.4.3.2', 'ECDSA-SHA256'],
  ['1.2.840.10045.4.3.3', 'ECDSA-SHA384'],
  ['1.2.840.10045.4.3.4', 'ECDSA-SHA512'],
  ['1.3.101.112', 'Ed25519'],
  ['1.3.101.113', 'Ed448'],
]);

/** "SHA-256" for a digest OID; the dotted OID itself when unknown. */
export function nameDigest(oid: string): string {
  return DIGESTS.get(oid) ?? oid;
}

/** "RSA-SHA256", "ECDSA-SHA256", "Ed25519" ... for a signer's signature algorithm and digest name. */
export function nameSignatureAlgorithm(oid: string, digest: string): string {
  const full = FULL.get(oid);
  if (full) return full;
  const key = KEY_ONLY.get(oid);
  if (key) return `${key}-${digest.replace('-', '')}`;
  return oid;
}

const ATTRIBUTE_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'STREET'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
  ['2.5.4.5', 'serialNumber'],
]);

/** RFC 4514 string of a distinguished name: last RDN first, `,` between RDNs, `+` inside one. */
export function formatName(name: Name): string {
  return [...name]
    .reverse()
    .map((rdn) =>
      [...rdn]
        .map((atv) => {
          const type = ATTRIBUTE_NAMES.get(atv.type) ?? atv.type;
          const value = atv.value.anyValue ? `#${Buffer.from(atv.value.anyValue).toString('hex')}` : escapeValue(atv.value.toString());
          return `${type}=${value}`;
        })
        .join('+'),
    )
    .join(',');
}

/** RFC 4514 §2.4 escaping, plus control characters as \XX so a hostile subject stays on one line. */
function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}
