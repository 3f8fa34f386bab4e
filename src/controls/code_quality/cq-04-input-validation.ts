import type { ToolHandler } from '../../analysis/types.js';
import { findings, skip, type Control } from '../control.js';
import { applySuppressions, serverFiles, type CodeFinding } from './code-findings.js';

/**
 * CQ-04 Input Validation (MTF 3.4): every tool handler the server registers validates its input with a
 * typed schema at entry. The analysis pass reads each registration as the official SDKs treat it
 * (analysis/js/validation.ts, analysis/python/tools.ts): a zod shape on McpServer tools, typed FastMCP
 * parameters (pydantic), the Python low-level Server's inputSchema validation, or a validator call in a
 * JavaScript low-level CallTool handler.
 *
 * | Finding                                    | Action                |
 * | Tool handler with no detectable validation | WARN (L3), BLOCK (L4) |
 * | Partial validation (some params untyped)   | WARN                  |
 */
export const cq04: Control = {
  id: 'CQ-04',
  async check(ctx) {
    const facts = await ctx.facts();
    const server = serverFiles(facts);
    const handlers = facts.handlers.filter((handler) => server.has(handler.file));
    if (handlers.length === 0) return skip('no tool handler found in the server code');
    const found = handlers.flatMap(judge);
    return findings(applySuppressions(found, facts.suppressions.filter((s) => server.has(s.file))));
  },
};

function judge(handler: ToolHandler): CodeFinding[] {
  const name = handler.tool === null ? 'The CallTool handler' : `Tool "${handler.tool}"`;
  const at = { file: handler.file, line: handler.line };
  switch (handler.validation) {
    case 'none':
      return [
        {
          rule: 'no-validation',
          severity: 'medium',
          action: 'BLOCK',
          blocksFrom: 4,
          below: 'WARN',
          title: `${name} has no detectable input validation`,
          description: `${name} receives input from the model without a typed schema (${handler.detail}). Input shaped by a malicious prompt reaches the code unchecked.`,
          remediation: 'Declare the input with zod / JSON Schema and validate it (McpServer does this for a zod shape), or type every FastMCP parameter / use a pydantic model.',
          ...at,
        },
      ];
    case 'partial':
      return [
        {
          rule: 'partial-validation',
          severity: 'low',
          action: 'WARN',
          title: `${name} validates its input only in part`,
          description: `${name}: ${handler.detail}.`,
          remediation: 'Give every parameter a concrete type (not Any, dict or z.any()).',
          ...at,
        },
      ];
    case 'unknown':
      return [
        {
          rule: 'validation-unknown',
          severity: 'info',
          action: 'INFO',
          title: `${name}: input validation could not be determined`,
          description: `${name}: ${handler.detail}; review its input validation by hand.`,
          ...at,
        },
      ];
    default:
      return [];
  }
}
