import type { Language } from './types.js';

/**
 * A cheap, linear text prefilter for dependency and test files: parsing the ~3,000 files of a vendored
 * node_modules costs over a second, and almost none of them can match a code-level malware detector
 * (CQ-02), which needs a code-execution sink together with a decoder, a network API together with the
 * environment / home directory / credential files, or a socket together with a shell. A file is parsed only
 * when its bytes contain a token of each group of one such combination. Each group is one regular expression
 * that is an alternation of escaped literals (no quantifier, so no backtracking: one linear pass over the
 * file's Latin-1 view, faster than one `indexOf` per token), most selective group first, stopping at the
 * first miss.
 *
 * The prefilter only decides which files get the code-level detectors; every file still gets the text-level
 * scans (secrets, malware signatures) whatever it says.
 */

/** A literal token, or (rarely) a linear pattern where a bare token would match too much. */
type Token = string | RegExp;
type Combination = readonly (readonly Token[])[];

/**
 * `eval(`/`Function(` as a call (not `isFunction(`) whose argument is not one plain string literal:
 * `new Function("")` (a feature probe many libraries run) cannot hide anything. The lookahead is linear: each
 * character class stops at the quote that closes the literal.
 */
const DYNAMIC_CODE_CALL = /(?<![\w$])(?:eval|Function)\((?!\s*(?:"[^"\\\n]*"|'[^'\\\n]*')\s*\))/;

/** Stands for a run of four `\xHH` escapes in a row (a string hidden in escapes), found by `hasEscapeRun`. */
const ESCAPE_RUN = '\0escape-run';

/** JS network modules and APIs, as code names them (quoted module names, not the word "http" in a URL or comment). */
const JS_NETWORK = [
  "'http'", '"http"', "'https'", '"https"', 'node:http', "'net'", '"net"', 'node:net', "'tls'", '"tls"', 'node:tls',
  "'dns'", '"dns"', 'node:dns', "'dgram'", '"dgram"', 'node:dgram', 'fetch(', 'axios', 'XMLHttpRequest', 'WebSocket',
  'undici', "'got'", '"got"', 'node-fetch', "'request'", '"request"',
];
const JS_SOCKETS = ["'net'", '"net"', 'node:net', "'tls'", '"tls"', 'node:tls', 'WebSocket', "'dgram'", '"dgram"', 'node:dgram'];

const JS_COMBINATIONS: readonly Combination[] = [
  // Obfuscated execution: a sink that runs a string, and a decoding.
  [
    [
      DYNAMIC_CODE_CALL, 'child_process', 'runInNewContext(', 'runInThisContext(', 'runInContext(', 'compileFunction(', '_compile(', 'Script(',
      // The Function constructor reached without its name, and a worker running a string.
      'constructor.constructor', 'getPrototypeOf(async', 'getPrototypeOf(function', 'eval: true', 'eval:true',
    ],
    [
      'atob(', 'fromCharCode', 'fromCodePoint', "'base64')", '"base64")', "'base64url')", '"base64url")', "'hex')", '"hex")',
      'inflateSync(', 'inflateRawSync(', 'gunzipSync(', 'unzipSync(', 'brotliDecompressSync(', 'inflate(', 'gunzip(',
      'unescape(', '.reverse()', ESCAPE_RUN,
    ],
  ],
  // A module loaded by a name decoded in place: require(atob("...")); a module whose code is a data: URL.
  [['require(atob', 'require(Buffer', 'require(String.fromCharCode', 'require(unescape', 'require(decodeURI', 'import(atob', 'import(Buffer', 'data:text/javascript', 'data:application/javascript']],
  // Exfiltration: the whole environment, the home directory or credential files, and a network API.
  [
    ['process.env)', '...process.env', 'Object.entries(process.env', 'Object.keys(process.env', 'homedir()', '.ssh', '.aws/', 'id_rsa', '.npmrc', '/etc/passwd', '/etc/shadow', '.git-credentials'],
    JS_NETWORK,
  ],
  // Reverse shell: a socket and a shell.
  [JS_SOCKETS, ['child_process', '/bin/sh', '/bin/bash', 'cmd.exe', 'powershell']],
];

const PYTHON_COMBINATIONS: readonly Combination[] = [
  [
    ['exec(', 'eval(', 'compile(', '__import__', 'import_module', 'subprocess', 'system(', 'popen', 'pickle', 'marshal', 'FunctionType'],
    ['b64decode', 'b32decode', 'b16decode', 'b85decode', 'a85decode', 'decodebytes', 'fromhex', 'unhexlify', 'a2b_', 'zlib', 'decompress', 'chr(', 'map(chr', 'marshal.loads', 'rot13', 'rot_13', "decode('hex", 'decode("hex', 'unquote', ESCAPE_RUN],
  ],
  [
    ['environ', 'expanduser', 'home()', '.ssh', '.aws', 'id_rsa', '/etc/passwd', '/etc/shadow', '.npmrc', '.pypirc'],
    ['requests', 'urllib', 'http', 'socket', 'httpx', 'aiohttp', 'smtplib', 'ftplib', 'dns', 'urlopen'],
  ],
  [['socket'], ['subprocess', 'pty', 'dup2', 'system(', '/bin/sh', '/bin/bash', 'popen']],
];

/**
 * Install-time files: `setup.py`, and scripts named like npm's install hooks (`install.js`, `postinstall.mjs`,
 * `preinstall-check.cjs`). They run on the user's machine before anything else, so they always get the
 * detectors.
 */
export function isInstallScript(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'setup.py') return true;
  return /^(?:pre|post)?install/.test(name) && /\.[cm]?[jt]s$/.test(name);
}

/** TypeScript under a dependency directory never runs: Node refuses to strip types inside node_modules. */
const TYPESCRIPT = /\.(?:ts|mts|cts|tsx)$/i;

/** A group of tokens as one matcher: an alternation of the literal tokens, plus the escape-run scan. */
interface GroupMatcher {
  literals: RegExp;
  escapeRun: boolean;
}

function compile(combinations: readonly Combination[]): GroupMatcher[][] {
  const escape = (token: Token) => (typeof token === 'string' ? token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : token.source);
  return combinations.map((groups) =>
    groups.map((tokens) => ({
      literals: new RegExp(tokens.filter((token) => token !== ESCAPE_RUN).map(escape).join('|') || '(?!)'),
      escapeRun: tokens.includes(ESCAPE_RUN),
    })),
  );
}

const MATCHERS: Record<'js' | 'python', GroupMatcher[][]> = { js: compile(JS_COMBINATIONS), python: compile(PYTHON_COMBINATIONS) };

export function needsMalwareParse(path: string, data: Buffer, language: Language): boolean {
  if (isInstallScript(path)) return true;
  if (language === 'typescript' && TYPESCRIPT.test(path) && path.includes('node_modules/')) return false;
  // Latin-1 maps each byte to one character: the ASCII tokens match exactly where the bytes hold them.
  const text = data.toString('latin1');
  return MATCHERS[language === 'python' ? 'python' : 'js'].some((groups) =>
    groups.every((group) => group.literals.test(text) || (group.escapeRun && hasEscapeRun(data))),
  );
}

const BACKSLASH = 0x5c;
const LOWER_X = 0x78;

/** Four `\xHH` escapes back to back (`\x65\x76\x61\x6c`): regular expressions rarely write them so. */
function hasEscapeRun(data: Buffer): boolean {
  for (let at = data.indexOf('\\x'); at >= 0; at = data.indexOf('\\x', at + 2)) {
    let run = 1;
    while (run < 4 && data[at + 4 * run] === BACKSLASH && data[at + 4 * run + 1] === LOWER_X) run++;
    if (run === 4) return true;
  }
  return false;
}
