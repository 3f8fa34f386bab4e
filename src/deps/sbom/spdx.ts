import { z } from 'zod';

/**
 * SPDX 2.3 JSON documents. No npm package ships the official SPDX 2.3 JSON Schema (spdx/spdx-spec publishes it
 * only in its repository; the tools that validate against it vendor a copy), so the fields SPDX 2.3 makes
 * mandatory (spec chapters 6-7: document creation information and package information) are checked here with
 * zod, with the formats the official schema gives them. Optional fields are left to the producer.
 */
const Checksum = z.object({ algorithm: z.string().min(1), checksumValue: z.string().regex(/^[0-9a-fA-F]+$/) });

const ExternalRef = z.object({
  referenceCategory: z.enum(['SECURITY', 'PACKAGE-MANAGER', 'PACKAGE_MANAGER', 'PERSISTENT-ID', 'PERSISTENT_ID', 'OTHER']),
  referenceType: z.string().min(1),
  referenceLocator: z.string().min(1),
});

const Package = z.object({
  SPDXID: z.string().regex(/^SPDXRef-[A-Za-z0-9.-]+$/),
  name: z.string().min(1),
  downloadLocation: z.string().min(1),
  versionInfo: z.string().optional(),
  checksums: z.array(Checksum).optional(),
  externalRefs: z.array(ExternalRef).optional(),
});

const Relationship = z.object({
  spdxElementId: z.string().min(1),
  relationshipType: z.string().min(1),
  relatedSpdxElement: z.string().min(1),
});

export const Spdx23Document = z.object({
  spdxVersion: z.string().regex(/^SPDX-2\.\d+$/),
  dataLicense: z.literal('CC0-1.0'),
  SPDXID: z.literal('SPDXRef-DOCUMENT'),
  name: z.string().min(1),
  documentNamespace: z.string().regex(/^[a-z][a-z0-9+.-]*:[^\s#]+$/i, 'must be an absolute URI without a # part'),
  creationInfo: z.object({ created: z.iso.datetime({ offset: true }), creators: z.array(z.string().min(1)).min(1) }),
  packages: z.array(Package).optional(),
  relationships: z.array(Relationship).optional(),
  documentDescribes: z.array(z.string()).optional(),
});
