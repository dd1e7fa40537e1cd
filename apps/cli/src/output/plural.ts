/** A count with its noun agreeing: "1 host", "2 hosts", "1 step", "0 failures". */
export const counted = (n: number, one: string, many = `${one}s`): string =>
  `${n} ${n === 1 ? one : many}`;
