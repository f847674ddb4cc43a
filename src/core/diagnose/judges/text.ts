/** Small helpers the judges share: shell quoting, plurals, lists (names from ARNs are in ../../arn). */
import type { ContainerDefFacts } from '../facts';

/** ECS's default: a container is essential unless it says otherwise. */
export const essential = (c: ContainerDefFacts) => c.essential !== false;

/** A shell word: as is when it is safe, else single-quoted. */
export const q = (s: string) => (/^[A-Za-z0-9_./:@=+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a", "a and b", "a, b and c". */
export const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

export function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** One line, trailing space dropped, cut to `n` characters with an ellipsis. */
export function clip(s: string, n: number): string {
  const one = s.replace(/\s+$/g, '');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
