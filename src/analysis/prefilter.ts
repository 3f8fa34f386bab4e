import type { Language } from './types.js';

/**
 * A cheap, linear text prefilter for dependency and test files: parsing the ~3,000 files of a vendored
 * node_modules costs over a second, and almost none of them can match a code-level malware detector
 * (CQ-02), which needs a code-execution sink together with a decoder, a network API together with the
 * environment / home directory / credential files, or a socket together with a shell. A file is parsed only
 * when its bytes contain a token of each group of one such combination. Searching is `Buffer.indexOf` (native,
 * no regular expression), most selective group first, stopping at the first miss.
 *
 * The prefilter only decides which files get the code-level detectors; every file still gets the text-level
 * scans (secrets, malware signatures) whatever it says.
 */

type Combination = readonly (readonly string[])[];

const JS_COMBINATIONS: readonly Combination[] = [
  // Obfuscated execution: a sink that runs a string, and a decoding.
  [
    ['eval', 'Function(', 'child_process', 'runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction', '_compile', 'vm.Script'],
    ['atob', 'fromCharCode', 'fromCodePoint', 'base64', "'hex'", '"hex"', 'inflate', 'gunzip', 'unzip', 'unescape', 'decodeURI', 'reverse()', '\\x'],
  ],
  // A module loaded by a decoded name: require(atob("...")).
  [['require(', 'import('], ['atob(', 'fromCharCode', 'base64', 'reverse()']],
  // Exfiltration: environment, home directory or credential files, and a network API.
  [
    ['process.env)', 'process.env,', 'process.env }', '...process.env', 'homedir', '.ssh', '.aws', 'id_rsa', '.npmrc', '/etc/passwd', '/etc/shadow', 'Object.entries(process.env', 'Object.keys(process.env'],
    ['http', 'fetch', 'net', 'dns', 'request', 'axios', 'WebSocket', 'socket', 'got('],
  ],
  // Reverse shell: a socket and a shell.
  [['net', 'socket', 'tls'], ['child_process', '/bin/sh', '/bin/bash', 'cmd.exe', 'powershell']],
];

const PYTHON_COMBINATIONS: readonly Combination[] = [
  [
    ['exec(', 'eval(', 'compile(', '__import__', 'import_module', 'subprocess', 'system(', 'popen', 'pickle', 'marshal', 'FunctionType'],
    ['b64decode', 'b32decode', 'b16decode', 'base64', 'fromhex', 'unhexlify', 'a2b_', 'zlib', 'decompress', 'chr(', 'marshal', 'rot13', 'rot_13', 'codecs', "decode('hex", 'decode("hex', 'unquote', '\\x'],
  ],
  [
    ['environ', 'expanduser', 'home()', '.ssh', '.aws', 'id_rsa', '/etc/passwd', '/etc/shadow', '.npmrc', '.pypirc'],
    ['requests', 'urllib', 'http', 'socket', 'httpx', 'aiohttp', 'smtplib', 'ftplib', 'dns', 'urlopen'],
  ],
  [['socket'], ['subprocess', 'pty', 'dup2', 'system(', '/bin/sh', '/bin/bash', 'popen']],
];

/** Install-time files always get the detectors: they run on the user's machine before anything else. */
const ALWAYS_PARSED = /(?:^|\/)(?:setup\.py|(?:pre|post)?install[^/]*\.[cm]?[jt]s)$/i;

export function needsMalwareParse(path: string, data: Buffer, language: Language): boolean {
  if (ALWAYS_PARSED.test(path)) return true;
  const combinations = language === 'python' ? PYTHON_COMBINATIONS : JS_COMBINATIONS;
  return combinations.some((groups) => groups.every((tokens) => tokens.some((token) => data.includes(token))));
}
