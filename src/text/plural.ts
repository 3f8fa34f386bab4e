/** "1 finding", "3 findings": a count and its noun, for messages. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
