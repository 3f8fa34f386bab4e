import { jest } from '@jest/globals';
import type * as core from '@actions/core';

/** Typed fakes of the @actions/core functions the action uses; register with jest.unstable_mockModule. */
export const getInput = jest.fn<typeof core.getInput>();
export const setOutput = jest.fn<typeof core.setOutput>();
export const setFailed = jest.fn<typeof core.setFailed>();
export const info = jest.fn<typeof core.info>();
export const debug = jest.fn<typeof core.debug>();
export const warning = jest.fn<typeof core.warning>();
export const notice = jest.fn<typeof core.notice>();
export const error = jest.fn<typeof core.error>();

/** Makes getInput answer from `inputs` (unset inputs read as ''), like the runner does. */
export function useInputs(inputs: Record<string, string>): void {
  getInput.mockImplementation((name) => inputs[name] ?? '');
}

/** The outputs the action set, as a plain object. */
export function outputs(): Record<string, unknown> {
  return Object.fromEntries(setOutput.mock.calls.map(([name, value]) => [name, value]));
}

/** The step summary: what `core.summary.addRaw(...).write()` wrote, one entry per write. */
export const summaryWrites: string[] = [];
let summaryBuffer = '';
export const summary = {
  addRaw: jest.fn((text: string) => {
    summaryBuffer += text;
    return summary;
  }),
  write: jest.fn(async () => {
    summaryWrites.push(summaryBuffer);
    summaryBuffer = '';
    return summary;
  }),
};

/** Forgets the summary writes of earlier tests (jest.clearAllMocks does not reset plain arrays). */
export function resetSummary(): void {
  summaryWrites.length = 0;
  summaryBuffer = '';
}
