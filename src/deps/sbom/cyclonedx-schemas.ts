import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
// The official CycloneDX JSON Schemas, as @cyclonedx/cyclonedx-library ships them (res/schema/, with their SPDX
// license-id, JSF and cryptography sub-schemas; its README lists the small local adjustments: sub-schema file
// names, an optional `version`). The package's `exports` map does not expose res/, so the files are imported by
// path: ncc then inlines them into dist, and nothing is read from disk at run time.
import bom14 from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.4.SNAPSHOT.schema.json' with { type: 'json' };
import bom15 from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.5.SNAPSHOT.schema.json' with { type: 'json' };
import bom16 from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.6.SNAPSHOT.schema.json' with { type: 'json' };
import bom17 from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.7.SNAPSHOT.schema.json' with { type: 'json' };
import cryptographyDefs from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/cryptography-defs.SNAPSHOT.schema.json' with { type: 'json' };
import jsf from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/jsf-0.82.SNAPSHOT.schema.json' with { type: 'json' };
import spdxLicenses from '../../../node_modules/@cyclonedx/cyclonedx-library/res/schema/spdx.SNAPSHOT.schema.json' with { type: 'json' };

export const CYCLONEDX_VERSIONS = ['1.4', '1.5', '1.6', '1.7'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_VERSIONS)[number];

const SCHEMAS: Record<CycloneDxVersion, object> = { '1.4': bom14, '1.5': bom15, '1.6': bom16, '1.7': bom17 };

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the plugin.
const addFormats = formats.default;

/** SPDX license identifiers CycloneDX accepts as `license.id` (the schema's own enum). */
export const SPDX_LICENSE_IDS: ReadonlySet<string> = new Set((spdxLicenses as { enum: string[] }).enum);

const validators = new Map<CycloneDxVersion, ValidateFunction>();

/**
 * The draft-07 validator of one CycloneDX version, compiled on first use (a scan needs one version at most).
 * `iri-reference` and `idn-email` are not in ajv-formats; they are checked here as RFC 3987 / RFC 6531 loosely
 * require: no whitespace or control characters, and an `@` with text on both sides.
 */
export function cycloneDxValidator(version: CycloneDxVersion): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    // Compiling a CycloneDX schema is the costly part (hundreds of ms): its definitions are referenced from many
    // places, so refs are compiled once each instead of inlined, and ajv's code optimizer pass is skipped.
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, inlineRefs: false, code: { optimize: false } });
    addFormats(ajv);
    ajv.addFormat('iri-reference', /^[^\s\u0000-\u001f\u007f<>"{}|\\^`]*$/u);
    ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
    // The bom schemas refer to their sub-schemas by the renamed files, relative to their own $id.
    for (const [file, schema] of [['spdx', spdxLicenses], ['jsf-0.82', jsf], ['cryptography-defs', cryptographyDefs]] as const) {
      ajv.addSchema({ ...schema, $id: `http://cyclonedx.org/schema/${file}.SNAPSHOT.schema.json` });
    }
    validate = ajv.compile(SCHEMAS[version]);
    validators.set(version, validate);
  }
  return validate;
}

export type SchemaError = ErrorObject;
