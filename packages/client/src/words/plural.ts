/**
 * A count with its noun agreeing, for the CLI and the dashboard alike: "1 host",
 * "2 hosts", "0 failures". Irregular nouns pass their plural.
 */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n} ${n === 1 ? one : many}`;
