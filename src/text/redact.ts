/**
 * The only form in which a detected secret ever leaves the scanner (titles, descriptions, logs): its first
 * characters and its length, e.g. `ghp_… (40 chars)`. Four characters are shown for secrets of 16 characters
 * or more (for provider tokens they are the public prefix); shorter secrets, such as passwords, show at most a
 * quarter of their length, so a redacted 8-character password reveals 2.
 */
export function redact(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}… (${secret.length} chars)`;
}
