/** Where the engine writes progress and diagnostics: the Actions log in the action, stderr in the CLI. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/** Writes to stderr so that stdout stays pure report output. */
export function stderrLogger(verbose: boolean): Logger {
  const write = (prefix: string, message: string) => process.stderr.write(`${prefix}${message}\n`);
  return {
    debug: (m) => verbose && write('debug: ', m),
    info: (m) => verbose && write('', m),
    warn: (m) => write('warning: ', m),
  };
}
