import { describe, expect, test } from '@jest/globals';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultOf, scanWith } from '../../__fixtures__/scan.js';
import { openBundle } from '../../src/bundle/index.js';
import { findings, type Control } from '../../src/controls/control.js';
import { detectCodeMalware } from '../../src/controls/code_quality/malware-code.js';
import { CONTROLS } from '../../src/controls/index.js';
import type { ControlId } from '../../src/spec/catalog.js';

const SERVERS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'servers');

/** The code-level CQ-02 detectors, standing in for CQ-02 until the lead wires them into its control. */
const cq02Code: Control = { id: 'CQ-02', async check(ctx) { return findings(detectCodeMalware(await ctx.facts())); } };

/** The controls of this issue whose false alarms the corpus guards against. */
const JUDGED: readonly ControlId[] = ['AI-05', 'CQ-02', 'CQ-03', 'CQ-04', 'CQ-05', 'CD-02'];

/**
 * Ordinary MCP servers written against the official SDKs (TypeScript McpServer with zod, JavaScript
 * low-level Server, Python FastMCP with httpx and pydantic, Python low-level Server running git): none may
 * get a blocking finding from the code controls, judged at L3 as their manifests claim.
 */
describe('false-positive corpus: ordinary MCP servers', () => {
  test.each(['ts-weather', 'js-files', 'py-notes', 'py-git'])('%s gets no blocking finding', async (name) => {
    const bundle = await openBundle(join(SERVERS, name));
    const controls = [...CONTROLS.filter((control) => control.id !== 'CQ-02'), cq02Code];
    const report = await scanWith(bundle, controls, { requiredLevel: 3 });
    for (const id of JUDGED) {
      const result = resultOf(report, id);
      const blocking = result.findings.filter((finding) => finding.action === 'BLOCK');
      expect({ id, blocking }).toEqual({ id, blocking: [] });
      expect({ id, status: result.status }).toEqual({ id, status: expect.stringMatching(/^(?:pass|skip)$/) });
    }
  });
});
