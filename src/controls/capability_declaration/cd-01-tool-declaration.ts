import type { ToolRegistration } from '../../analysis/types.js';
import { isObject, MANIFEST_FILE, type Manifest } from '../../manifest/manifest.js';
import { findings, type Control, type FindingInput } from '../control.js';

/**
 * CD-01 Tool Declaration (MTF 3.5): the manifest declares every tool, each with a name and a description, and
 * the server exposes no tool it does not declare. "Implemented" tools are the registrations the analysis pass
 * finds in the server's own code (FastMCP decorators, McpServer.tool/registerTool, ListTools handlers).
 *
 * | Finding                          | Action                 |
 * | Missing `tools` field            | BLOCK                  |
 * | Tool without name                | BLOCK                  |
 * | Tool without description         | WARN (L1), BLOCK (L2+) |
 * | Implemented tool not in manifest | WARN (L1), BLOCK (L2+) |
 */
export const cd01: Control = {
  id: 'CD-01',
  async check(ctx) {
    const manifest = ctx.manifest();
    const tools = manifest.data.tools;
    if (!Array.isArray(tools)) {
      const missing = tools === undefined;
      return findings([
        {
          rule: missing ? 'tools-missing' : 'tools-not-array',
          severity: 'high',
          action: 'BLOCK',
          title: missing ? 'Missing tools field' : 'tools is not an array',
          description: missing
            ? 'manifest.json has no "tools" field. Declare every tool the server provides (an empty array if it provides none).'
            : '"tools" must be an array of tool declarations.',
          file: MANIFEST_FILE,
          line: manifest.lineOf(['tools']),
        },
      ]);
    }
    const declared = declarations(manifest, tools);
    const { tools: implemented, files } = await ctx.facts();
    const serverSources = files.filter((f) => f.role === 'server').length;
    return findings([...declared.findings, ...compareWithCode(manifest, declared.names, implemented, serverSources)]);
  },
};

function declarations(manifest: Manifest, tools: unknown[]): { names: Set<string>; findings: FindingInput[] } {
  const names = new Set<string>();
  const out: FindingInput[] = [];
  tools.forEach((tool, i) => {
    const line = manifest.lineOf(['tools', i]);
    const name = isObject(tool) ? tool.name : undefined;
    if (typeof name !== 'string' || name.trim() === '') {
      out.push({
        rule: 'tool-without-name',
        severity: 'high',
        action: 'BLOCK',
        title: 'Tool without name',
        description: `tools[${i}] has no name: an undeclared name hides what the tool is from users and auditors.`,
        file: MANIFEST_FILE,
        line,
      });
      return;
    }
    if (names.has(name)) {
      out.push({
        rule: 'duplicate-tool',
        severity: 'low',
        action: 'WARN',
        title: `Tool "${name}" declared twice`,
        description: `tools[${i}] repeats the name "${name}"; clients see one of the two declarations.`,
        file: MANIFEST_FILE,
        line,
      });
    }
    names.add(name);
    const description = isObject(tool) ? tool.description : undefined;
    if (typeof description !== 'string' || description.trim() === '') {
      out.push({
        rule: 'tool-without-description',
        severity: 'medium',
        action: 'BLOCK',
        blocksFrom: 2,
        below: 'WARN',
        title: `Tool "${name}" has no description`,
        description: `tools[${i}] ("${name}") has no description; users cannot give informed consent to a tool they cannot read about.`,
        file: MANIFEST_FILE,
        line,
      });
    }
  });
  return { names, findings: out };
}

function compareWithCode(manifest: Manifest, declared: Set<string>, implemented: ToolRegistration[], serverSources: number): FindingInput[] {
  const generated = manifest.data.tools_generated === true;
  const out: FindingInput[] = [];
  const reported = new Set<string>();
  for (const tool of implemented) {
    if (tool.name === null) {
      out.push({
        rule: 'dynamic-tool-name',
        severity: 'info',
        action: 'INFO',
        title: 'Tool registered with a computed name',
        description: 'The server registers a tool whose name is computed at run time; CD-01 cannot compare it with the manifest. Review it by hand.',
        file: tool.file,
        line: tool.line,
      });
    } else if (!declared.has(tool.name) && !reported.has(tool.name)) {
      reported.add(tool.name);
      out.push(
        generated
          ? {
              rule: 'undeclared-tool',
              severity: 'info',
              action: 'INFO',
              title: `Tool "${tool.name}" is not declared (tools_generated)`,
              description: `The server registers "${tool.name}", which the manifest does not list; tools_generated is true, so the manifest declares that tools are generated at run time.`,
              file: tool.file,
              line: tool.line,
            }
          : {
              rule: 'undeclared-tool',
              severity: 'high',
              action: 'BLOCK',
              blocksFrom: 2,
              below: 'WARN',
              title: `Tool "${tool.name}" is implemented but not declared`,
              description: `The server registers the tool "${tool.name}" here, but manifest.json does not declare it: users would consent to a tool list that hides it.`,
              file: tool.file,
              line: tool.line,
              remediation: `Add {"name": "${tool.name}", "description": ...} to manifest.json "tools", or remove the registration.`,
            },
      );
    }
  }
  const found = new Set(implemented.map((t) => t.name));
  const allStatic = implemented.length > 0 && !found.has(null);
  if (allStatic && !generated) {
    for (const name of declared) {
      if (found.has(name)) continue;
      out.push({
        rule: 'declared-tool-not-found',
        severity: 'info',
        action: 'INFO',
        title: `Declared tool "${name}" not found in the server code`,
        description: `manifest.json declares "${name}", but no registration of it was found in the server's code; the declaration may be stale.`,
        file: MANIFEST_FILE,
        line: lineOfTool(manifest, name),
      });
    }
  }
  if (serverSources === 0 && declared.size > 0) {
    out.push({
      rule: 'no-server-source',
      severity: 'info',
      action: 'INFO',
      title: 'No server source code to compare with the manifest',
      description: 'The bundle has no JavaScript, TypeScript or Python server source (e.g. a compiled binary), so CD-01 checked the declarations only.',
      file: MANIFEST_FILE,
      line: manifest.lineOf(['tools']),
    });
  }
  return out;
}

function lineOfTool(manifest: Manifest, name: string): number {
  const tools = manifest.data.tools as unknown[];
  const index = tools.findIndex((t) => isObject(t) && t.name === name);
  return manifest.lineOf(['tools', index]);
}
