import { isObject, MANIFEST_FILE, type JsonPath, type Manifest } from '../../manifest/manifest.js';
import { CATEGORY_SEVERITY } from '../../rules/description-injection.js';
import { findings, type Control, type FindingInput } from '../control.js';
import { checkDescription } from './description-checks.js';

/**
 * CD-03 Description Safety (MTF 3.5): the descriptions a model reads as trusted text carry no injection.
 * Checked: the manifest's `tools[].description`, the property descriptions of a tool's `inputSchema` (when
 * the manifest has one; the spec lists schema poisoning as out of scope, but the text is the same kind),
 * `prompts[].description` and `prompts[].text` (a prompt is instructions by design, yet never legitimately
 * tells the model to ignore its other instructions, read keys or send data away), and the descriptions the
 * server's code registers (found by the analysis pass, with their file and line).
 *
 * | Finding                               | Severity | Action |
 * | Instruction override                  | CRITICAL | BLOCK  |
 * | File exfiltration                     | CRITICAL | BLOCK  |
 * | Data transmission                     | CRITICAL | BLOCK  |
 * | Obfuscation (encoded instructions)    | HIGH     | BLOCK  |
 * | Hidden characters, homoglyphs         | HIGH     | BLOCK  |
 * | Semantic mismatch (name vs text)      | HIGH     | BLOCK  |
 * | Suspicious phrasing (low confidence)  | MEDIUM   | WARN   |
 */
export const cd03: Control = {
  id: 'CD-03',
  async check(ctx) {
    const sources: DescriptionSource[] = ctx.manifestState.ok ? manifestDescriptions(ctx.manifestState.manifest) : [];
    for (const tool of (await ctx.facts()).tools) {
      if (tool.description) {
        sources.push({ text: tool.description, toolName: tool.name, what: `description of tool "${tool.name ?? '(computed name)'}" registered in code`, file: tool.file, line: tool.line });
      }
    }
    return findings(sources.flatMap(judgeSource));
  },
};

interface DescriptionSource {
  text: string;
  /** The tool the description belongs to (for the name/description mismatch); null for prompts and schema properties. */
  toolName: string | null;
  /** What the text is, for titles: `description of tool "get_weather"`. */
  what: string;
  file: string;
  line: number;
}

/** Schema nesting followed, and schema properties read per tool: bounds on a hostile manifest. */
const MAX_SCHEMA_DEPTH = 8;
const MAX_SCHEMA_PROPERTIES = 500;

function manifestDescriptions(manifest: Manifest): DescriptionSource[] {
  const out: DescriptionSource[] = [];
  const at = (path: JsonPath) => ({ file: MANIFEST_FILE, line: manifest.lineOf(path) });
  const tools = Array.isArray(manifest.data.tools) ? manifest.data.tools : [];
  tools.forEach((tool, i) => {
    if (!isObject(tool)) return;
    const name = typeof tool.name === 'string' ? tool.name : null;
    const label = name ? `tool "${name}"` : `tools[${i}]`;
    if (typeof tool.description === 'string') {
      out.push({ text: tool.description, toolName: name, what: `description of ${label}`, ...at(['tools', i, 'description']) });
    }
    if (isObject(tool.inputSchema)) {
      let budget = MAX_SCHEMA_PROPERTIES;
      const walk = (schema: Record<string, unknown>, path: JsonPath, depth: number) => {
        if (depth > MAX_SCHEMA_DEPTH || !isObject(schema.properties)) return;
        for (const [property, value] of Object.entries(schema.properties)) {
          if (budget-- <= 0 || !isObject(value)) return;
          const here = [...path, 'properties', property];
          if (typeof value.description === 'string') {
            out.push({ text: value.description, toolName: null, what: `description of parameter "${property}" of ${label}`, ...at([...here, 'description']) });
          }
          walk(value, here, depth + 1);
          if (isObject(value.items)) walk(value.items, [...here, 'items'], depth + 1);
        }
      };
      walk(tool.inputSchema, ['tools', i, 'inputSchema'], 0);
    }
  });
  const prompts = Array.isArray(manifest.data.prompts) ? manifest.data.prompts : [];
  prompts.forEach((prompt, i) => {
    if (!isObject(prompt)) return;
    const label = typeof prompt.name === 'string' ? `prompt "${prompt.name}"` : `prompts[${i}]`;
    if (typeof prompt.description === 'string') out.push({ text: prompt.description, toolName: null, what: `description of ${label}`, ...at(['prompts', i, 'description']) });
    if (typeof prompt.text === 'string') out.push({ text: prompt.text, toolName: null, what: `text of ${label}`, ...at(['prompts', i, 'text']) });
  });
  return out;
}

function judgeSource(source: DescriptionSource): FindingInput[] {
  return checkDescription(source.text, source.toolName).map((issue) => {
    const { severity, action } = CATEGORY_SEVERITY[issue.category];
    return {
      rule: issue.rule,
      severity,
      action,
      title: `${issue.title} (${source.what})`,
      description: `${issue.detail} Category: ${issue.category.replace(/-/g, ' ')} (MTF 3.5 CD-03).`,
      file: source.file,
      line: source.line,
      remediation:
        action === 'BLOCK'
          ? 'Rewrite the description to say only what the tool does, in plain visible text, with no instructions to the model about other tools, files, secrets or destinations.'
          : 'Review the description; remove markup or phrasing that addresses the model rather than describing the tool.',
    };
  });
}
