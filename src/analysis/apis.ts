import type { Decoding, Language } from './types.js';

/**
 * What well-known APIs do, by canonical callee name (the dotted name the analysis pass resolves a call to
 * through imports and aliases). Data, not code: the capability derivation (capabilities.ts), the value
 * evaluation of both languages and the code controls read these tables.
 */

/** `node:fs` and `fs` are one module; `fs/promises` functions are `fs` functions; graceful-fs is fs. */
export function normalizeJsModule(specifier: string): string {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  switch (name) {
    case 'fs/promises':
    case 'graceful-fs':
    case 'original-fs':
    case 'fs-extra':
      return 'fs';
    case 'dns/promises':
      return 'dns';
    case 'timers/promises':
      return 'timers.promises';
    case 'path/posix':
    case 'path/win32':
      return 'path';
    default:
      return name;
  }
}

/** `fs.promises.readFile` is `fs.readFile`; `fs.default.x` (an ES default import of a CommonJS module) is `fs.x`. */
export function normalizeJsCanonical(name: string): string {
  return name.replace(/^(fs|dns)\.promises\./, '$1.').replace(/^([\w$-]+)\.default\./, '$1.');
}

const PYTHON_MODULE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['cPickle', 'pickle'],
  ['_pickle', 'pickle'],
  ['posix', 'os'],
  ['nt', 'os'],
  ['posixpath', 'os.path'],
  ['ntpath', 'os.path'],
  ['urllib2', 'urllib.request'],
  ['_thread', 'thread'],
]);

export function normalizePythonModule(name: string): string {
  const root = name.split('.')[0]!;
  const alias = PYTHON_MODULE_ALIASES.get(root);
  return alias ? alias + name.slice(root.length) : name;
}

// ---------------------------------------------------------------------------------------------------------------
// Filesystem

const JS_FS_READ = [
  'readFile', 'readFileSync', 'createReadStream', 'readdir', 'readdirSync', 'opendir', 'opendirSync', 'stat',
  'statSync', 'lstat', 'lstatSync', 'exists', 'existsSync', 'access', 'accessSync', 'realpath', 'realpathSync',
  'readlink', 'readlinkSync', 'watch', 'watchFile', 'readJson', 'readJsonSync', 'pathExists', 'pathExistsSync',
  'glob', 'globSync',
];
const JS_FS_WRITE = [
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'mkdir', 'mkdirSync',
  'mkdtemp', 'mkdtempSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'rename', 'renameSync',
  'copyFile', 'copyFileSync', 'cp', 'cpSync', 'chmod', 'chmodSync', 'chown', 'chownSync', 'lchown', 'lchownSync',
  'utimes', 'utimesSync', 'symlink', 'symlinkSync', 'link', 'linkSync', 'truncate', 'truncateSync', 'outputFile',
  'outputFileSync', 'outputJson', 'outputJsonSync', 'writeJson', 'writeJsonSync', 'ensureDir', 'ensureDirSync',
  'ensureFile', 'ensureFileSync', 'mkdirp', 'mkdirs', 'remove', 'removeSync', 'move', 'moveSync', 'copy', 'copySync',
  'emptyDir', 'emptyDirSync',
];
/** `fs.open(path, flags)`: a write when the flags say so. */
const JS_FS_OPEN = new Set(['fs.open', 'fs.openSync']);

const PYTHON_FS_READ = [
  'io.open', 'os.listdir', 'os.scandir', 'os.walk', 'os.stat', 'os.lstat', 'os.access', 'os.path.exists',
  'os.path.isfile', 'os.path.isdir', 'os.path.getsize', 'os.path.getmtime', 'os.readlink', 'glob.glob', 'glob.iglob',
  'pathlib.Path().read_text', 'pathlib.Path().read_bytes', 'pathlib.Path().iterdir', 'pathlib.Path().glob',
  'pathlib.Path().rglob', 'pathlib.Path().exists', 'pathlib.Path().is_file', 'pathlib.Path().is_dir',
  'pathlib.Path().stat', 'aiofiles.open', 'codecs.open', 'fileinput.input', 'linecache.getline',
];
const PYTHON_FS_WRITE = [
  'os.remove', 'os.unlink', 'os.rmdir', 'os.removedirs', 'os.mkdir', 'os.makedirs', 'os.rename', 'os.renames',
  'os.replace', 'os.chmod', 'os.chown', 'os.lchown', 'os.symlink', 'os.link', 'os.truncate', 'os.mkfifo',
  'shutil.rmtree', 'shutil.move', 'shutil.copy', 'shutil.copy2', 'shutil.copyfile', 'shutil.copytree',
  'shutil.make_archive', 'shutil.unpack_archive', 'shutil.chown', 'pathlib.Path().write_text',
  'pathlib.Path().write_bytes', 'pathlib.Path().mkdir', 'pathlib.Path().unlink', 'pathlib.Path().rmdir',
  'pathlib.Path().rename', 'pathlib.Path().replace', 'pathlib.Path().touch', 'pathlib.Path().chmod',
  'pathlib.Path().symlink_to', 'tempfile.mkstemp', 'tempfile.mkdtemp', 'tempfile.NamedTemporaryFile',
  'tempfile.TemporaryFile', 'tempfile.TemporaryDirectory', 'tempfile.SpooledTemporaryFile',
];
/** `open(path, mode)`: a write when the mode says so. */
const PYTHON_FS_OPEN = new Set(['open', 'io.open', 'codecs.open', 'aiofiles.open', 'os.open', 'pathlib.Path().open', 'os.fdopen']);

const FS_READ: Record<Language, ReadonlySet<string>> = {
  javascript: new Set(JS_FS_READ.map((name) => `fs.${name}`)),
  typescript: new Set(JS_FS_READ.map((name) => `fs.${name}`)),
  python: new Set(PYTHON_FS_READ),
};
const FS_WRITE: Record<Language, ReadonlySet<string>> = {
  javascript: new Set(JS_FS_WRITE.map((name) => `fs.${name}`)),
  typescript: new Set(JS_FS_WRITE.map((name) => `fs.${name}`)),
  python: new Set(PYTHON_FS_WRITE),
};

export type FileAccess = 'read' | 'write';

/**
 * Whether a call reads or writes files. `mode` is the open mode or flags argument when the API takes one
 * (`"w"`, `"a+"`, `O_WRONLY`), as far as it is static; a non-static mode on an open counts as a write.
 */
export function fileAccessOf(language: Language, callee: string, mode: string | null | undefined): FileAccess | null {
  if (FS_READ[language].has(callee)) return 'read';
  if (FS_WRITE[language].has(callee)) return 'write';
  const opens = language === 'python' ? PYTHON_FS_OPEN : JS_FS_OPEN;
  if (!opens.has(callee)) return null;
  if (mode === undefined) return 'read';
  if (mode === null) return 'write';
  return /[wax+]|WRONLY|RDWR|CREAT|APPEND|TRUNC/.test(mode) ? 'write' : 'read';
}

/** For `copyFile(src, dest)`-like APIs the path that matters for a write is the destination. */
export function writeTargetIndex(callee: string): number {
  return /\.(copyFile|copyFileSync|cp|cpSync|copy|copySync|copy2|copyfile|copytree|rename|renameSync|move|moveSync|link|linkSync|symlink|symlinkSync)$/.test(
    callee,
  )
    ? 1
    : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Network

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

const JS_NETWORK_OUTBOUND = new Set([
  'fetch', 'node-fetch', 'cross-fetch', 'isomorphic-fetch', 'undici.fetch', 'undici.request', 'undici.stream',
  'undici.Client', 'undici.Pool', 'http.request', 'http.get', 'https.request', 'https.get', 'http2.connect',
  'net.connect', 'net.createConnection', 'net.Socket().connect', 'tls.connect', 'dns.lookup', 'dns.resolve',
  'dns.resolve4', 'dns.resolve6', 'dns.resolveTxt', 'dns.resolveAny', 'WebSocket', 'ws', 'ws.WebSocket',
  'XMLHttpRequest', 'EventSource', 'axios', 'axios.create', 'got', 'got.stream', 'superagent', 'request', 'needle',
  'ky', 'ky.create', 'phin', 'dgram.createSocket().send',
  ...HTTP_VERBS.flatMap((verb) => [`axios.${verb}`, `got.${verb}`, `superagent.${verb}`, `request.${verb}`, `needle.${verb}`, `ky.${verb}`]),
]);
const JS_NETWORK_INBOUND = new Set([
  'http.createServer', 'https.createServer', 'http2.createServer', 'http2.createSecureServer', 'net.createServer',
  'tls.createServer', 'dgram.createSocket().bind', 'express', 'express().listen', 'fastify', 'fastify().listen',
  'koa', 'koa().listen', 'hono', '@hono/node-server.serve', 'ws.WebSocketServer', 'ws.Server', 'Bun.serve',
  'Deno.serve', 'http.createServer().listen', 'https.createServer().listen', 'net.createServer().listen',
  'http.Server', 'net.Server',
]);

const PYTHON_NETWORK_OUTBOUND = new Set([
  ...HTTP_VERBS.flatMap((verb) => [`requests.${verb}`, `httpx.${verb}`, `requests.Session().${verb}`, `httpx.Client().${verb}`, `httpx.AsyncClient().${verb}`, `aiohttp.ClientSession().${verb}`, `urllib3.PoolManager().${verb}`]),
  'requests.Session', 'httpx.Client', 'httpx.AsyncClient', 'httpx.stream', 'urllib.request.urlopen',
  'urllib.request.urlretrieve', 'urllib.request.build_opener', 'urllib3.PoolManager', 'urllib3.request',
  'http.client.HTTPConnection', 'http.client.HTTPSConnection', 'aiohttp.ClientSession', 'aiohttp.request',
  'socket.create_connection', 'socket.socket().connect', 'socket.socket().connect_ex', 'socket.socket().sendto',
  'socket.gethostbyname', 'socket.getaddrinfo', 'smtplib.SMTP', 'smtplib.SMTP_SSL', 'ftplib.FTP', 'ftplib.FTP_TLS',
  'telnetlib.Telnet', 'paramiko.SSHClient().connect', 'websockets.connect', 'websocket.create_connection',
  'grpc.insecure_channel', 'grpc.secure_channel', 'dns.resolver.resolve', 'asyncio.open_connection',
  'ssl.create_connection', 'xmlrpc.client.ServerProxy', 'pycurl.Curl',
]);
const PYTHON_NETWORK_INBOUND = new Set([
  'socket.socket().bind', 'socket.socket().listen', 'socket.create_server', 'http.server.HTTPServer',
  'http.server.ThreadingHTTPServer', 'socketserver.TCPServer', 'socketserver.UDPServer',
  'socketserver.ThreadingTCPServer', 'uvicorn.run', 'hypercorn.asyncio.serve', 'aiohttp.web.run_app',
  'asyncio.start_server', 'websockets.serve', 'flask.Flask().run', 'wsgiref.simple_server.make_server',
  'mcp.server.fastmcp.FastMCP().run_sse_async', 'mcp.server.fastmcp.FastMCP().run_streamable_http_async',
  'fastmcp.FastMCP().run_http_async', 'fastmcp.FastMCP().run_sse_async',
]);
/** FastMCP `run(transport=...)`: stdio is no network; sse / streamable-http / http listen on a port. */
const PYTHON_SERVER_RUN = new Set(['mcp.server.fastmcp.FastMCP().run', 'fastmcp.FastMCP().run', 'mcp.server.FastMCP().run']);

export type NetworkAccess = 'outbound' | 'inbound';

export function networkAccessOf(language: Language, callee: string, transport?: string | null): NetworkAccess | null {
  if (language === 'python') {
    if (PYTHON_NETWORK_OUTBOUND.has(callee)) return 'outbound';
    if (PYTHON_NETWORK_INBOUND.has(callee)) return 'inbound';
    if (PYTHON_SERVER_RUN.has(callee) && transport != null && transport !== 'stdio') return 'inbound';
    return null;
  }
  if (JS_NETWORK_OUTBOUND.has(callee)) return 'outbound';
  if (JS_NETWORK_INBOUND.has(callee)) return 'inbound';
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Subprocesses and native code

/** `exec`: runs a program with an argument list; `shell`: runs a command line through a shell. */
export type ProcessAccess = 'exec' | 'shell';

const JS_PROCESS: ReadonlyMap<string, ProcessAccess> = new Map([
  ['child_process.exec', 'shell'],
  ['child_process.execSync', 'shell'],
  ['child_process.spawn', 'exec'],
  ['child_process.spawnSync', 'exec'],
  ['child_process.execFile', 'exec'],
  ['child_process.execFileSync', 'exec'],
  ['child_process.fork', 'exec'],
  ['execa', 'exec'],
  ['execa.execa', 'exec'],
  ['execa.execaSync', 'exec'],
  ['execa.execaNode', 'exec'],
  ['execa.execaCommand', 'shell'],
  ['execa.execaCommandSync', 'shell'],
  ['execa.$', 'exec'],
  ['cross-spawn', 'exec'],
  ['cross-spawn.sync', 'exec'],
  ['shelljs.exec', 'shell'],
  ['zx.$', 'shell'],
  ['Bun.spawn', 'exec'],
  ['Bun.spawnSync', 'exec'],
  ['Bun.$', 'shell'],
  ['Deno.Command', 'exec'],
  ['Deno.run', 'exec'],
  ['process.binding', 'exec'],
]);

const PYTHON_PROCESS: ReadonlyMap<string, ProcessAccess> = new Map([
  ['subprocess.run', 'exec'],
  ['subprocess.call', 'exec'],
  ['subprocess.check_call', 'exec'],
  ['subprocess.check_output', 'exec'],
  ['subprocess.Popen', 'exec'],
  ['subprocess.getoutput', 'shell'],
  ['subprocess.getstatusoutput', 'shell'],
  ['os.system', 'shell'],
  ['os.popen', 'shell'],
  ['os.popen2', 'shell'],
  ['os.popen3', 'shell'],
  ['os.popen4', 'shell'],
  ['commands.getoutput', 'shell'],
  ['commands.getstatusoutput', 'shell'],
  ['asyncio.create_subprocess_shell', 'shell'],
  ['asyncio.create_subprocess_exec', 'exec'],
  ['pty.spawn', 'exec'],
  ['os.fork', 'exec'],
  ['os.forkpty', 'exec'],
  ['os.posix_spawn', 'exec'],
  ['os.posix_spawnp', 'exec'],
  ['os.startfile', 'exec'],
  ['pexpect.spawn', 'exec'],
  ['pexpect.run', 'exec'],
  ...['execl', 'execle', 'execlp', 'execlpe', 'execv', 'execve', 'execvp', 'execvpe'].map((name) => [`os.${name}`, 'exec'] as const),
  ...['spawnl', 'spawnle', 'spawnlp', 'spawnlpe', 'spawnv', 'spawnve', 'spawnvp', 'spawnvpe'].map((name) => [`os.${name}`, 'exec'] as const),
]);

/** The subprocess APIs that take a `shell` option / keyword making them run a command line. */
const SHELL_OPTION_APIS = new Set([
  'child_process.spawn', 'child_process.spawnSync', 'child_process.execFile', 'child_process.execFileSync',
  'execa', 'execa.execa', 'execa.execaSync', 'cross-spawn', 'cross-spawn.sync',
  'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen',
]);

export function processAccessOf(language: Language, callee: string): ProcessAccess | null {
  return (language === 'python' ? PYTHON_PROCESS : JS_PROCESS).get(callee) ?? null;
}

export function takesShellOption(callee: string): boolean {
  return SHELL_OPTION_APIS.has(callee);
}

const JS_NATIVE = new Set(['process.dlopen', 'ffi-napi.Library', 'ffi.Library', 'koffi.load', 'bindings', 'node-gyp-build']);
const JS_NATIVE_MODULES = new Set(['ffi-napi', 'ffi', 'koffi', 'bindings', 'node-gyp-build', '@napi-rs/cli', 'node-addon-api']);
const PYTHON_NATIVE = new Set([
  'ctypes.CDLL', 'ctypes.PyDLL', 'ctypes.WinDLL', 'ctypes.OleDLL', 'ctypes.cdll.LoadLibrary',
  'ctypes.windll.LoadLibrary', 'ctypes.pydll.LoadLibrary', 'ctypes.util.find_library', 'cffi.FFI().dlopen',
  'ctypes.LibraryLoader',
]);

export function loadsNativeCode(language: Language, callee: string): boolean {
  return language === 'python' ? PYTHON_NATIVE.has(callee) : JS_NATIVE.has(callee);
}

/** JS modules that exist to load native code: importing one is native code use. */
export function isNativeJsModule(module: string): boolean {
  return JS_NATIVE_MODULES.has(module) || module.endsWith('.node');
}

// ---------------------------------------------------------------------------------------------------------------
// Code execution and decoding

/**
 * Calls that run a string as code (or load code by a computed name): the sinks of obfuscated execution.
 * WebAssembly is not among them: libraries routinely embed their .wasm as base64 and instantiate it.
 */
const JS_CODE_SINKS = new Set([
  'eval', 'Function', 'vm.runInNewContext', 'vm.runInThisContext', 'vm.runInContext', 'vm.compileFunction',
  'vm.Script', 'vm.SourceTextModule', 'setTimeout', 'setInterval', 'require', 'import', 'module._compile',
  'Module.prototype._compile',
  // Runs its first argument as code when given `{ eval: true }` (the detectors check the option).
  'worker_threads.Worker',
]);
const PYTHON_CODE_SINKS = new Set([
  'eval', 'exec', 'compile', '__import__', 'importlib.import_module', 'pickle.loads', 'pickle.load',
  'types.FunctionType', 'types.CodeType', 'runpy.run_path', 'runpy.run_module', 'code.InteractiveInterpreter().runsource',
  'dill.loads',
]);

export function isCodeSink(language: Language, callee: string): boolean {
  return (language === 'python' ? PYTHON_CODE_SINKS : JS_CODE_SINKS).has(callee);
}

/** Decoding functions by canonical name; those whose decoding depends on an encoding argument are below. */
const JS_DECODERS: ReadonlyMap<string, Decoding> = new Map([
  ['atob', 'base64'],
  ['String.fromCharCode', 'charcode'],
  ['String.fromCodePoint', 'charcode'],
  ['unescape', 'escape'],
  ['decodeURIComponent', 'escape'],
  ['decodeURI', 'escape'],
  ...[
    'inflateSync', 'inflateRawSync', 'gunzipSync', 'unzipSync', 'brotliDecompressSync', 'inflate', 'inflateRaw',
    'gunzip', 'unzip', 'brotliDecompress', 'createGunzip', 'createInflate', 'createInflateRaw', 'createUnzip',
    'createBrotliDecompress',
  ].map((name) => [`zlib.${name}`, 'zlib'] as const),
]);
/** `Buffer.from(x, "base64")`, `new Buffer(x, "hex")`: the encoding argument says what is decoded. */
const JS_BUFFER_DECODERS = new Set(['Buffer.from', 'Buffer', 'buffer.Buffer.from']);

const PYTHON_DECODERS: ReadonlyMap<string, Decoding> = new Map([
  ...[
    'b64decode', 'b32decode', 'b16decode', 'b85decode', 'a85decode', 'urlsafe_b64decode', 'standard_b64decode',
    'decodebytes', 'decodestring', 'b32hexdecode',
  ].map((name) => [`base64.${name}`, name === 'b16decode' ? 'hex' : 'base64'] as const),
  ['binascii.a2b_base64', 'base64'],
  ['binascii.a2b_hex', 'hex'],
  ['binascii.unhexlify', 'hex'],
  ['bytes.fromhex', 'hex'],
  ['bytearray.fromhex', 'hex'],
  ['zlib.decompress', 'zlib'],
  ['gzip.decompress', 'zlib'],
  ['bz2.decompress', 'zlib'],
  ['lzma.decompress', 'zlib'],
  ['marshal.loads', 'marshal'],
  ['urllib.parse.unquote', 'escape'],
  ['urllib.parse.unquote_to_bytes', 'escape'],
]);
/** `codecs.decode(x, "rot13")` and friends: the codec argument says what is decoded. */
const PYTHON_CODEC_DECODERS = new Set(['codecs.decode', 'codecs.encode']);

/** What a decoding call decodes; `encoding` is its static encoding/codec argument, when it has one. */
export function decodingOf(language: Language, callee: string, encoding: string | null): Decoding | null {
  if (language === 'python') {
    const direct = PYTHON_DECODERS.get(callee);
    if (direct) return direct;
    if (PYTHON_CODEC_DECODERS.has(callee) && encoding) return codecDecoding(encoding);
    return null;
  }
  const direct = JS_DECODERS.get(callee);
  if (direct) return direct;
  if (JS_BUFFER_DECODERS.has(callee) && encoding) return codecDecoding(encoding);
  return null;
}

function codecDecoding(encoding: string): Decoding | null {
  const name = encoding.toLowerCase().replace(/[-_\s]/g, '');
  if (name === 'base64' || name === 'base64url' || name === 'base64codec') return 'base64';
  if (name === 'hex' || name === 'hexcodec') return 'hex';
  if (name === 'rot13') return 'rot13';
  if (name === 'zlib' || name === 'zlibcodec' || name === 'bz2' || name === 'bz2codec') return 'zlib';
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Home directory and file contents (value origins)

const HOME_CALLS: Record<'js' | 'python', ReadonlySet<string>> = {
  js: new Set(['os.homedir']),
  python: new Set(['pathlib.Path.home', 'os.path.expanduser']),
};

export function returnsHomeDirectory(language: Language, callee: string): boolean {
  return HOME_CALLS[language === 'python' ? 'python' : 'js'].has(callee);
}

/** Sockets: values whose later `.pipe()` / `dup2(fileno())` make a reverse shell. */
const SOCKET_CONSTRUCTORS = new Set([
  'net.connect', 'net.createConnection', 'net.Socket', 'tls.connect', 'socket.socket', 'socket.create_connection',
  'socket.socket().connect',
]);

export function createsSocket(callee: string): boolean {
  return SOCKET_CONSTRUCTORS.has(callee);
}

/** Environment variables that hold credentials (MTF 3.5 CD-02 "Secret patterns": `AWS_*`, `*_TOKEN`, `*_KEY`). */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper.startsWith('AWS_') ||
    /(?:^|_)(?:TOKEN|KEY|SECRET|APIKEY|PAT)$/.test(upper) ||
    /(?:^|_)SECRET_/.test(upper) ||
    upper.includes('PASSWORD') ||
    upper.includes('PASSWD') ||
    upper.includes('CREDENTIAL') ||
    upper.includes('PRIVATE_KEY')
  );
}

/**
 * Paths that hold credentials or system secrets (MTF 3.5 CD-02 "Sensitive paths": `~/.ssh`, `~/.aws`,
 * `~/.config`), as approximations spell them (`~` the home directory). Linear: each pattern is a literal
 * prefix or a literal segment, tested with `startsWith`/`includes`.
 */
const SENSITIVE_HOME_PREFIXES = [
  '~/.ssh', '~/.aws', '~/.config', '~/.gnupg', '~/.kube', '~/.docker', '~/.azure', '~/.gcloud', '~/.npmrc',
  '~/.pypirc', '~/.netrc', '~/.git-credentials', '~/.gitconfig', '~/.bash_history', '~/.zsh_history',
  '~/.history', '~/.mozilla', '~/.password-store', '~/.electrum', '~/.bitcoin', '~/.ethereum', '~/.local/share/keyrings',
  '~/Library/Keychains', '~/Library/Application Support/Google/Chrome', '~/Library/Cookies',
  '~/AppData/Roaming', '~/AppData/Local/Google/Chrome', '~/.terraform.d', '~/.vault-token', '~/.env',
];
const SENSITIVE_ABSOLUTE_PREFIXES = ['/etc/shadow', '/etc/gshadow', '/etc/passwd', '/etc/sudoers', '/root', '/proc/self/environ', '/proc/self/mem', '/var/run/secrets', '/run/secrets'];
const SENSITIVE_SEGMENTS = ['/.ssh/', '/.aws/', '/.gnupg/', '/.kube/config', '/id_rsa', '/id_ed25519', '/id_ecdsa', '/.git-credentials', '/.npmrc', '/.pypirc', '/.netrc'];

export function isSensitivePath(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  if (SENSITIVE_HOME_PREFIXES.some((prefix) => startsWithSegment(normalized, prefix))) return true;
  if (SENSITIVE_ABSOLUTE_PREFIXES.some((prefix) => startsWithSegment(normalized, prefix))) return true;
  // A credential file anywhere (`{cwd}/../.ssh/id_rsa`, `*/.aws/credentials`): the segment ends at a `/` or the end.
  const padded = `${normalized}/`;
  return SENSITIVE_SEGMENTS.some((segment) => padded.includes(segment.endsWith('/') ? segment : `${segment}/`));
}

function startsWithSegment(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '/' || prefix.endsWith('/') || next === '*';
}

/** The home directory itself or something under it. */
export function isHomePath(path: string): boolean {
  return path === '~' || path.startsWith('~/');
}

/** Calls that feed reverse-shell detection: duplicating a socket onto stdin/stdout, piping streams. */
const PYTHON_REVERSE_SHELL_PARTS = new Set(['os.dup2', 'pty.spawn', 'os.execv', 'os.execl']);

/**
 * Whether the malware detectors read a call of a dependency or test file: code sinks, subprocesses,
 * network, file reads, native code, environment. Other calls of those files are not described at all.
 */
export function isMalwareRelevant(language: Language, callee: string): boolean {
  return (
    isCodeSink(language, callee) ||
    processAccessOf(language, callee) !== null ||
    networkAccessOf(language, callee, 'sse') !== null ||
    fileAccessOf(language, callee, undefined) !== null ||
    loadsNativeCode(language, callee) ||
    createsSocket(callee) ||
    PYTHON_REVERSE_SHELL_PARTS.has(callee) ||
    callee.endsWith('.pipe') ||
    isSendOnConnection(language, callee)
  );
}

/**
 * Sending on an outbound connection object: `req.write(data)`, `sock.sendall(data)`, a mail sent on an SMTP
 * connection (`smtp.sendmail(...)`), a file uploaded on an FTP one (`ftp.storbinary("STOR x", fh)`).
 */
const SEND_METHODS = /\.(?:write|end|send|sendall|sendto|sendmsg|emit|sendmail|send_message|storbinary|storlines)$/;

/** `https.request().write`, `socket.socket().sendall`: a send on what an outbound network API returned. */
export function isSendOnConnection(language: Language, callee: string): boolean {
  if (!SEND_METHODS.test(callee)) return false;
  const base = callee.slice(0, callee.lastIndexOf('.'));
  return base.endsWith('()') && networkAccessOf(language, base.slice(0, -2)) === 'outbound';
}
