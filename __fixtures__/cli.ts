import { run } from '../src/cli/main.js';

/** Runs one `mtf` command line in process and returns its exit code and what it printed. */
export async function mtf(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
