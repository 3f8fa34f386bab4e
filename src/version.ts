/** Reported as `scan.scanner` / `scan.scanner_version`; a test keeps the version equal to package.json's. */
export const SCANNER_NAME = 'mtf-action';
export const SCANNER_VERSION = '0.1.0';
