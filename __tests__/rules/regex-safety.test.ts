import { describe, expect, test } from '@jest/globals';
import { analyse } from 'scslre';
import { INJECTION_PHRASES, SENSITIVE_ACCESS } from '../../src/rules/description-injection.js';
import {
  BENIGN_HOOK_COMMAND,
  HOOK_RULES,
  LOCAL_SCRIPT,
  REQUIRE_LOCAL_WRAPPER,
  RUN_SCRIPT,
  SCRIPT_SIGNALS,
} from '../../src/rules/install-hooks.js';
import { MALWARE_SIGNATURES } from '../../src/rules/malware.js';
import { SECRET_RULES } from '../../src/rules/secrets.js';

/**
 * Every regex that runs on bundle content must be linear (DESIGN.md section 5: hostile input is the normal
 * case). Two checks: scslre's static analysis (super-linear backtracking on any attack string that repeats a
 * character), and a run over adversarial inputs: 100 KB runs of each character the rules care about, and
 * each rule's own true example cut short and repeated (the classic near-miss), under a time budget a
 * backtracking pattern cannot meet.
 */
const REGEXES: readonly (readonly [string, RegExp])[] = [
  ...SECRET_RULES.map((r) => [`secret ${r.id}`, r.pattern] as const),
  ...MALWARE_SIGNATURES.flatMap((s) => [[`malware ${s.id}`, s.pattern] as const, ...(s.context?.all ?? []).map((c, i) => [`malware ${s.id} context ${i}`, c] as const)]),
  ...HOOK_RULES.map((r) => [`hook ${r.id}`, r.pattern] as const),
  ['hook benign', BENIGN_HOOK_COMMAND],
  ['hook local script', LOCAL_SCRIPT],
  ['hook require wrapper', REQUIRE_LOCAL_WRAPPER],
  ['hook npm run', RUN_SCRIPT],
  ...Object.entries(SCRIPT_SIGNALS).map(([name, re]) => [`script ${name}`, re] as const),
  ...INJECTION_PHRASES.map((p) => [`phrase ${p.id}`, p.pattern] as const),
  ['semantic mismatch', SENSITIVE_ACCESS],
];

const examplesOf = new Map<string, string>([
  ...SECRET_RULES.map((r): [string, string] => [`secret ${r.id}`, r.examples.match]),
  ...MALWARE_SIGNATURES.map((s): [string, string] => [`malware ${s.id}`, s.examples.match]),
  ...HOOK_RULES.map((r): [string, string] => [`hook ${r.id}`, r.examples.match]),
  ...INJECTION_PHRASES.map((p): [string, string] => [`phrase ${p.id}`, p.examples.match.toLowerCase()]),
]);

const SIZE = 100_000;
const CHARACTERS = [...'aA0_-/+=. \t:"\'`\\@|&;$(){}<>~x!e,\n'];

function adversarialInputs(name: string): string[] {
  const inputs = CHARACTERS.map((c) => c.repeat(SIZE));
  inputs.push('aA0'.repeat(SIZE / 3), 'a '.repeat(SIZE / 2), 'a-'.repeat(SIZE / 2), '=a'.repeat(SIZE / 2), '"a'.repeat(SIZE / 2));
  const example = examplesOf.get(name);
  if (example !== undefined) {
    for (const cut of [example.slice(0, -1), example.slice(0, Math.ceil(example.length / 2)), example.replace(/\s/g, '')]) {
      if (cut.length > 0) inputs.push(cut.repeat(Math.ceil(SIZE / cut.length)).slice(0, SIZE));
    }
    inputs.push(example + 'a'.repeat(SIZE));
  }
  return inputs;
}

/** Runs a regex over a text the way the scanners do: every match of a global regex, or one test. */
function runOver(regex: RegExp, text: string): void {
  if (!regex.global) {
    regex.test(text);
    return;
  }
  const pattern = new RegExp(regex);
  let count = 0;
  for (let m = pattern.exec(text); m !== null && count < 100_000; m = pattern.exec(text)) {
    count++;
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

describe('regex safety', () => {
  test.each(REGEXES.map(([name, re]) => [name, re] as const))('%s: no super-linear backtracking (scslre)', (_name, regex) => {
    const reports = analyse(regex, { maxReports: 5 }).reports;
    expect(reports.map((r) => `${r.type} at ${r.character.literal.source}`)).toEqual([]);
  });

  test.each(REGEXES.map(([name, re]) => [name, re] as const))('%s: linear on adversarial 100 KB inputs', (name, regex) => {
    const started = performance.now();
    for (const input of adversarialInputs(name)) runOver(regex, input);
    // A linear pattern needs a few milliseconds per input here; a backtracking one needs minutes.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
