/** Words for numbers, the same in every message and report. */

/** "1 account", "3 accounts". */
export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
