// Writes the JSON Schemas of the project's zod definitions into the directory given as argument.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigSchema } from '../src/spec/config-schema.js';
import { ExtensionSchema } from '../src/spec/extension-schema.js';
import { ReportSchema } from '../src/spec/report-schema.js';

const out = process.argv[2] ?? 'schemas';
mkdirSync(out, { recursive: true });
const schemas = { 'report.schema.json': ReportSchema, 'mtf-extension.schema.json': ExtensionSchema, 'config.schema.json': ConfigSchema };
for (const [file, schema] of Object.entries(schemas)) {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  writeFileSync(join(out, file), `${JSON.stringify(json, null, 2)}\n`);
}
