/** Words for numbers, the same in every message and report. */

/** "a, b, c and 17 more": long lists stop at `cap` with a count of the rest. */
export function capped(items: string[], cap = 20): string {
  return items.length <= cap ? items.join(', ') : `${items.slice(0, cap).join(', ')} and ${items.length - cap} more`;
}

/** "1 account", "3 accounts". */
export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
