import { describe, expect, it } from '@jest/globals';
import { quoteName } from '../../src/bundle/messages.js';
import { NameTable, normalizeEntryName, sortFilesByPath } from '../../src/bundle/paths.js';
import { IntakeError } from '../../src/bundle/types.js';

function reasonFor(name: string): string {
  try {
    normalizeEntryName(name);
  } catch (error) {
    if (!(error instanceof IntakeError)) throw error;
    expect(error.entry).toBe(name);
    return error.message;
  }
  throw new Error(`${name} was accepted`);
}

describe('entry names', () => {
  it.each([
    ['manifest.json', 'manifest.json', false],
    ['./server/index.js', 'server/index.js', false],
    ['././a', 'a', false],
    ['lib/', 'lib', true],
    ['./lib/', 'lib', true],
    ['./', '', true],
    ['.', '', false],
    ['.env.example', '.env.example', false],
    ['a/..b/c..', 'a/..b/c..', false],
  ])('normalizes %j to %j', (name, path, isDirectory) => {
    expect(normalizeEntryName(name)).toEqual({ path, isDirectory });
  });

  it.each([
    ['/etc/passwd', 'is an absolute path'],
    ['C:\\Windows\\x', 'is an absolute path'],
    ['C:/Windows/x', 'is an absolute path'],
    ['c:x', 'is an absolute path'],
    ['\\\\server\\share\\x', 'is an absolute path'],
    ['a\\..\\..\\x', 'has a backslash in its name'],
    ['../x', 'escapes the bundle root (zip-slip)'],
    ['a/../../x', 'escapes the bundle root (zip-slip)'],
    ['a/..', 'escapes the bundle root (zip-slip)'],
    ['a//b', 'has an empty or "." path segment'],
    ['a/./b', 'has an empty or "." path segment'],
    ['a/b//', 'has an empty or "." path segment'],
    ['', 'has an empty name'],
    ['a\u0000b', 'has a control character in its name'],
    ['a\nb', 'has a control character in its name'],
    ['a\u0085b', 'has a control character in its name'],
    ['caf\ufffd.js', 'has a name that is not valid UTF-8'],
    ['x'.repeat(1025), 'has a name longer than 1024 bytes'],
  ])('rejects %j: %s', (name, reason) => {
    expect(reasonFor(name)).toContain(reason);
  });
});

describe('the name table', () => {
  it('accepts a directory listed after files inside it, and once', () => {
    const table = new NameTable(10);
    table.add('a/b.js', 'file', 'a/b.js');
    table.add('a', 'directory', 'a/');
    expect(() => table.add('a', 'directory', 'a/')).toThrow('entry "a/" appears more than once');
  });

  it('rejects a parent directory whose case differs from an earlier one', () => {
    const table = new NameTable(10);
    table.add('Lib/a.js', 'file', 'Lib/a.js');
    expect(() => table.add('lib/b.js', 'file', 'lib/b.js')).toThrow(
      'entry "lib/b.js" is inside "lib", which collides with "Lib"',
    );
  });

  it('caps the directories that paths imply', () => {
    const table = new NameTable(3);
    table.add('a/b/c/file', 'file', 'a/b/c/file');
    expect(() => table.add('x/file', 'file', 'x/file')).toThrow('brings the number of directories over the limit of 3');
  });
});

describe('messages', () => {
  it('escapes bidi overrides and line separators in quoted names', () => {
    expect(quoteName('a\u202eb\u2028c')).toBe('"a\\u202eb\\u2028c"');
  });

  it('sorts paths by UTF-8 bytes', () => {
    const files = ['\u{1F600}.js', '\uFF21.js', 'a.js', 'Z.js'].map((path) => ({ path, data: Buffer.alloc(0), mode: 0 }));
    // U+FF21 sorts before U+1F600 in UTF-8 bytes but after it in UTF-16 code units.
    expect(sortFilesByPath(files).map((f) => f.path)).toEqual(['Z.js', 'a.js', '\uFF21.js', '\u{1F600}.js']);
  });
});
