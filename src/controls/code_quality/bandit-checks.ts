import { usesShell } from '../../analysis/capabilities.js';
import type { CallFact, StringFact, ValueFact } from '../../analysis/types.js';
import { actionFor, looksLikeSql, mapRating, type CodeFinding, type Rating } from './code-findings.js';

/**
 * The Bandit checks (Python) of MTF 3.4 CQ-03 that matter for a server, implemented on the analysis facts
 * with Bandit's own test ids and (severity, confidence) ratings, mapped through the spec's table: shell
 * injection, eval/exec, unsafe deserialization, weak TLS, bind-all, temporary files, SQL built from strings,
 * weak hashes, XML parsers, Flask debug mode, `urlopen` schemes. Bandit itself is not run: the facts already
 * hold every call with its callee resolved through imports and aliases.
 */
export interface BanditTest {
  id: string;
  name: string;
  /** What Bandit says about it, for the finding's description. */
  text: string;
}

const TESTS = {
  B102: { id: 'B102', name: 'exec_used', text: 'Use of exec detected.' },
  B104: { id: 'B104', name: 'hardcoded_bind_all_interfaces', text: 'Possible binding to all interfaces.' },
  B108: { id: 'B108', name: 'hardcoded_tmp_directory', text: 'Probable insecure usage of temp file/directory.' },
  B201: { id: 'B201', name: 'flask_debug_true', text: 'A Flask app appears to be run with debug=True, which exposes the Werkzeug debugger and allows the execution of arbitrary code.' },
  B301: { id: 'B301', name: 'pickle', text: 'Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data.' },
  B302: { id: 'B302', name: 'marshal', text: 'Deserialization with the marshal module is possibly dangerous.' },
  B303: { id: 'B303', name: 'md5', text: 'Use of insecure MD2, MD4, MD5, or SHA1 hash function.' },
  B306: { id: 'B306', name: 'mktemp_q', text: 'Use of insecure and deprecated function (mktemp).' },
  B307: { id: 'B307', name: 'eval', text: 'Use of possibly insecure function - consider using safer ast.literal_eval.' },
  B310: { id: 'B310', name: 'urllib_urlopen', text: 'Audit url open for permitted schemes. Allowing use of file:/ or custom schemes is often unexpected.' },
  B313: { id: 'B313', name: 'xml_bad_parsers', text: 'Using an XML parser to parse untrusted XML data is known to be vulnerable to XML attacks; use defusedxml.' },
  B323: { id: 'B323', name: 'unverified_context', text: 'By default, Python will create a secure, verified ssl context for use in such classes as HTTPSConnection. The unverified context bypasses certificate verification.' },
  B324: { id: 'B324', name: 'hashlib', text: 'Use of weak MD4, MD5, or SHA1 hash for security. Consider usedforsecurity=False.' },
  B501: { id: 'B501', name: 'request_with_no_cert_validation', text: 'Call with verify=False disabling SSL certificate checks, security issue.' },
  B502: { id: 'B502', name: 'ssl_with_bad_version', text: 'ssl.wrap_socket / SSLContext call with an insecure SSL/TLS protocol version.' },
  B506: { id: 'B506', name: 'yaml_load', text: 'Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider yaml.safe_load().' },
  B602: { id: 'B602', name: 'subprocess_popen_with_shell_equals_true', text: 'subprocess call with shell=True identified, security issue.' },
  B604: { id: 'B604', name: 'any_other_function_with_shell_equals_true', text: 'Function call with shell=True parameter identified, possible security issue.' },
  B605: { id: 'B605', name: 'start_process_with_a_shell', text: 'Starting a process with a shell, possible injection detected, security issue.' },
  B608: { id: 'B608', name: 'hardcoded_sql_expressions', text: 'Possible SQL injection vector through string-based query construction.' },
} as const satisfies Record<string, BanditTest>;

const SUBPROCESS_SHELL_APIS = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen']);
const SHELL_STARTERS = new Set([
  'os.system', 'os.popen', 'os.popen2', 'os.popen3', 'os.popen4', 'popen2.popen2', 'popen2.popen3', 'popen2.popen4',
  'popen2.Popen3', 'popen2.Popen4', 'commands.getoutput', 'commands.getstatusoutput', 'subprocess.getoutput',
  'subprocess.getstatusoutput',
]);
const PICKLE_APIS = new Set([
  'pickle.loads', 'pickle.load', 'pickle.Unpickler', 'dill.loads', 'dill.load', 'dill.Unpickler', 'shelve.open',
  'shelve.DbfilenameShelf', 'jsonpickle.decode', 'jsonpickle.unpickler.decode', 'pandas.read_pickle',
]);
const MARSHAL_APIS = new Set(['marshal.load', 'marshal.loads']);
const YAML_LOADS = new Set(['yaml.load', 'yaml.load_all', 'yaml.unsafe_load', 'yaml.unsafe_load_all']);
const SAFE_YAML_LOADERS = /(?:^|\.)(?:SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;
const WEAK_HASHES = new Set(['md4', 'md5', 'sha', 'sha1', 'ripemd160']);
const WEAK_HASH_CLASSES = new Set([
  'Crypto.Hash.MD2.new', 'Crypto.Hash.MD4.new', 'Crypto.Hash.MD5.new', 'Crypto.Hash.SHA.new', 'Cryptodome.Hash.MD5.new',
  'cryptography.hazmat.primitives.hashes.MD5', 'cryptography.hazmat.primitives.hashes.SHA1',
]);
const XML_PARSERS = new Set([
  'xml.etree.ElementTree.parse', 'xml.etree.ElementTree.iterparse', 'xml.etree.ElementTree.fromstring',
  'xml.etree.ElementTree.XMLParser', 'xml.etree.cElementTree.parse', 'xml.etree.cElementTree.fromstring',
  'xml.sax.parse', 'xml.sax.parseString', 'xml.sax.make_parser', 'xml.dom.minidom.parse',
  'xml.dom.minidom.parseString', 'xml.dom.pulldom.parse', 'xml.dom.pulldom.parseString', 'xml.dom.expatbuilder.parse',
  'xml.dom.expatbuilder.parseString', 'lxml.etree.parse', 'lxml.etree.fromstring', 'lxml.etree.RestrictedElement',
  'lxml.etree.GlobalParserTLS', 'lxml.etree.getDefaultParser', 'lxml.etree.check_docinfo',
]);
const BAD_TLS_VERSIONS = /PROTOCOL_SSLv2|PROTOCOL_SSLv3|PROTOCOL_TLSv1$|PROTOCOL_TLSv1_1|SSLv2_METHOD|SSLv23_METHOD|SSLv3_METHOD|TLSv1_METHOD|TLSv1_1_METHOD/;
const TLS_APIS = new Set(['ssl.wrap_socket', 'ssl.SSLContext', 'OpenSSL.SSL.Context', 'pyOpenSSL.SSL.Context']);
const REQUESTS_LIKE = /^(?:requests|httpx)(?:\.Session\(\)|\.Client\(\)|\.AsyncClient\(\))?\.(?:get|post|put|patch|delete|head|options|request|stream)$|^httpx\.(?:Client|AsyncClient)$/;
const TMP_PREFIXES = ['/tmp', '/var/tmp', '/dev/shm'];
const SQL_EXECUTE = /\.(?:execute|executemany|executescript|raw|text)$/;

/** One Python call checked against the Bandit tests above; the ratings are Bandit's. */
export function checkPythonCall(call: CallFact): CodeFinding[] {
  const callee = call.callee;
  const executesSql = SQL_EXECUTE.test(callee ?? `.${call.written.split('.').pop() ?? ''}`);
  if (callee === null) return [...checkShellKeyword(call), ...(executesSql ? checkSqlExecute(call) : [])];
  const found: CodeFinding[] = [];
  const add = (test: BanditTest, severity: Rating, confidence: Rating, detail: string) => found.push(banditFinding(call, test, severity, confidence, detail));
  const command = call.args[0] ?? call.keywords.args ?? call.keywords.cmd;

  if (SUBPROCESS_SHELL_APIS.has(callee) && usesShell(call)) {
    const literal = isLiteral(command);
    add(TESTS.B602, literal ? 'LOW' : 'HIGH', 'HIGH', literal ? `${callee} with shell=True and a literal command` : `${callee} with shell=True and a command built at run time`);
  } else if (SHELL_STARTERS.has(callee)) {
    const literal = isLiteral(command);
    add(TESTS.B605, literal ? 'LOW' : 'HIGH', 'HIGH', literal ? `${callee} runs a literal command through a shell` : `${callee} runs a command built at run time through a shell`);
  } else {
    found.push(...checkShellKeyword(call));
  }
  if (callee === 'exec') add(TESTS.B102, 'MEDIUM', 'HIGH', 'exec() runs a string as Python code');
  if (callee === 'eval') add(TESTS.B307, 'MEDIUM', 'HIGH', 'eval() runs a string as Python code');
  if (PICKLE_APIS.has(callee)) add(TESTS.B301, 'MEDIUM', 'HIGH', `${callee} deserializes with pickle`);
  if (MARSHAL_APIS.has(callee)) add(TESTS.B302, 'MEDIUM', 'HIGH', `${callee} deserializes with marshal`);
  if (YAML_LOADS.has(callee) && !hasSafeYamlLoader(call)) add(TESTS.B506, 'MEDIUM', 'HIGH', `${callee} without Loader=SafeLoader`);
  if (callee === 'tempfile.mktemp') add(TESTS.B306, 'MEDIUM', 'HIGH', 'tempfile.mktemp creates a race between naming and creating the file');
  if (callee === 'ssl._create_unverified_context') add(TESTS.B323, 'MEDIUM', 'HIGH', 'an SSL context that does not verify certificates');
  if (REQUESTS_LIKE.test(callee) && call.keywords.verify && call.keywords.verify.kind === 'literal' && call.keywords.verify.value === false) {
    add(TESTS.B501, 'HIGH', 'HIGH', `${callee} with verify=False`);
  }
  if (TLS_APIS.has(callee)) {
    const version = call.keywords.ssl_version ?? call.keywords.protocol ?? (callee === 'ssl.wrap_socket' ? undefined : call.args[0]);
    if (version?.name && BAD_TLS_VERSIONS.test(version.name)) add(TESTS.B502, 'HIGH', 'HIGH', `${callee} with ${version.name}`);
  }
  const hash = weakHashOf(call);
  if (hash) {
    if (hash.via === 'hashlib') add(TESTS.B324, 'HIGH', 'HIGH', `hashlib ${hash.name} without usedforsecurity=False`);
    else add(TESTS.B303, 'MEDIUM', 'HIGH', `${callee} (${hash.name})`);
  }
  if (XML_PARSERS.has(callee)) add(TESTS.B313, 'MEDIUM', 'HIGH', `${callee} parses XML without defusedxml`);
  if (/^flask\.Flask\(\)\.run$/.test(callee) && call.keywords.debug?.value === true) add(TESTS.B201, 'HIGH', 'MEDIUM', 'app.run(debug=True)');
  if (callee === 'urllib.request.urlopen' || callee === 'urllib.request.urlretrieve' || callee === 'urllib.request.URLopener') {
    if (!(typeof call.args[0]?.value === 'string' && /^https?:\/\//i.test(call.args[0].value))) add(TESTS.B310, 'MEDIUM', 'HIGH', `${callee} of a URL whose scheme is not fixed`);
  }
  if (executesSql) found.push(...checkSqlExecute(call));
  return found;
}

/** B604: `shell=True` on a function that is not a known subprocess API (a wrapper that passes it on). */
function checkShellKeyword(call: CallFact): CodeFinding[] {
  if (call.callee !== null && SUBPROCESS_SHELL_APIS.has(call.callee)) return [];
  const shell = call.keywords.shell;
  if (!shell || shell.kind !== 'literal' || shell.value !== true) return [];
  return [banditFinding(call, TESTS.B604, 'MEDIUM', 'LOW', `${call.written}(..., shell=True)`)];
}

/** B608 with Bandit's MEDIUM confidence: a query built from strings passed straight to `.execute(...)`. */
function checkSqlExecute(call: CallFact): CodeFinding[] {
  const query = call.args[0];
  if (!query || query.kind === 'literal' || query.value !== undefined) return [];
  if (query.kind !== 'template' && query.kind !== 'concatenation' && !(query.kind === 'call' && query.name?.endsWith('.format'))) return [];
  return [banditFinding(call, TESTS.B608, 'MEDIUM', 'MEDIUM', `${call.written}() of a query built from strings`)];
}

/** B104, B108 and B608 (LOW confidence) on the strings of a Python file. */
export function checkPythonString(fact: StringFact, executedQueryLines: ReadonlySet<string>): CodeFinding[] {
  const found: CodeFinding[] = [];
  const at = { file: fact.file, line: fact.line };
  if (fact.kind === 'literal' && fact.text === '0.0.0.0') found.push(stringFinding(at, TESTS.B104, 'MEDIUM', 'MEDIUM', 'the literal "0.0.0.0" binds every network interface'));
  if (fact.kind === 'literal' && TMP_PREFIXES.some((prefix) => fact.text === prefix || fact.text.startsWith(`${prefix}/`))) {
    found.push(stringFinding(at, TESTS.B108, 'MEDIUM', 'MEDIUM', `the hard-coded path "${fact.text.slice(0, 60)}" in a shared temporary directory`));
  }
  if (fact.kind !== 'literal' && fact.kind !== 'regex' && looksLikeSql(fact.text) && !executedQueryLines.has(`${fact.file}:${fact.line}`)) {
    found.push(stringFinding(at, TESTS.B608, 'MEDIUM', 'LOW', 'SQL text built with string formatting'));
  }
  return found;
}

function banditFinding(call: CallFact, test: BanditTest, severity: Rating, confidence: Rating, detail: string): CodeFinding {
  return { ...stringFinding({ file: call.file, line: call.line }, test, severity, confidence, detail), endLine: call.endLine };
}

function stringFinding(at: { file: string; line: number }, test: BanditTest, severity: Rating, confidence: Rating, detail: string): CodeFinding {
  const mapped = mapRating(severity, confidence);
  return {
    rule: `${test.id}-${test.name}`,
    severity: mapped,
    action: actionFor(mapped),
    title: `${test.id} ${test.name}: ${detail}`,
    description: `Bandit ${test.id} (severity ${severity}, confidence ${confidence}, MTF ${mapped.toUpperCase()}): ${test.text}`,
    file: at.file,
    line: at.line,
  };
}

function isLiteral(value: ValueFact | undefined): boolean {
  if (!value) return false;
  if (value.kind === 'literal' || value.value !== undefined) return true;
  return value.kind === 'array' && (value.elements ?? []).every((element) => element.kind === 'literal');
}

function hasSafeYamlLoader(call: CallFact): boolean {
  if (call.callee === 'yaml.unsafe_load' || call.callee === 'yaml.unsafe_load_all') return false;
  const loader = call.keywords.Loader ?? call.args[1];
  return loader?.name !== undefined && SAFE_YAML_LOADERS.test(loader.name);
}

/** `hashlib.md5(...)`, `hashlib.new("md5")` without `usedforsecurity=False`, or a weak hash class of another library. */
function weakHashOf(call: CallFact): { name: string; via: 'hashlib' | 'other' } | null {
  const callee = call.callee!;
  if (WEAK_HASH_CLASSES.has(callee)) return { name: callee.split('.').slice(-2).join('.'), via: 'other' };
  let name: string | null = null;
  if (callee === 'hashlib.new') name = typeof call.args[0]?.value === 'string' ? call.args[0].value.toLowerCase() : null;
  else if (callee.startsWith('hashlib.')) name = callee.slice('hashlib.'.length).toLowerCase();
  if (name === null || !WEAK_HASHES.has(name)) return null;
  const forSecurity = call.keywords.usedforsecurity;
  if (forSecurity && forSecurity.kind === 'literal' && forSecurity.value === false) return null;
  return { name, via: 'hashlib' };
}
