/**
 * The one way to put a count in words: "1 warning", "2 warnings", "1 secret reference exists",
 * "3 secret references exist". Every face says counts through here so the grammar agrees.
 */

/** "1 task", "2 tasks"; `many` for irregular plurals ("1 entry", "2 entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verb that agrees with a count: `agree(1, 'exists', 'exist')` is "exists". */
export function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
