import Table from 'cli-table3';

/** A plain table: borders only as light rules, no colour codes inside cells' width maths. */
export function renderTable(head: string[], rows: (string | number)[][], color: boolean): string {
  const table = new Table({
    head,
    style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: true,
  });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}
