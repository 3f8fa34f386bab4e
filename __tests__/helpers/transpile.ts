import { fileURLToPath } from 'node:url';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Transpiles src/bundle/*.ts to plain ESM in `dir` (with node_modules linked beside it) so a child
 * process can run the real intake code under settings jest cannot change in-process, such as TZ.
 * Returns the path of the compiled pack.js.
 */
export async function transpileBundleModules(dir: string): Promise<string> {
  const source = join(ROOT, 'src', 'bundle');
  const out = join(dir, 'bundle');
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await mkdir(out);
  for (const name of (await readdir(source)).filter((n) => n.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(await readFile(join(source, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(out, name.replace(/\.ts$/, '.js')), outputText);
  }
  return join(out, 'pack.js');
}
