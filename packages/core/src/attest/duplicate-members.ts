/**
 * The first member name an object of `text` repeats, or undefined. `{"a":1,"a":2}` reads
 * last-one-wins in JSON.parse and first-one-wins in other readers, so a statement that a
 * builder's tool and an agent could read two ways is refused before it means anything.
 * Names compare after unescaping: `"a"` and `"\u0061"` are one name.
 * `text` must already have parsed as JSON (so strings and brackets are well formed).
 */
export function firstDuplicateMember(text: string): string | undefined {
  // one entry per open bracket: the names seen so far in an object, null for an array
  const open: (Set<string> | null)[] = [];
  let nameNext = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const names = open[open.length - 1];
      if (nameNext && names) {
        const name = JSON.parse(text.slice(start, i + 1)) as string;
        if (names.has(name)) return name;
        names.add(name);
      }
      nameNext = false;
    } else if (c === '{') {
      open.push(new Set());
      nameNext = true;
    } else if (c === '[') {
      open.push(null);
      nameNext = false;
    } else if (c === '}' || c === ']') {
      open.pop();
      nameNext = false;
    } else if (c === ',') {
      nameNext = open[open.length - 1] != null;
    }
  }
  return undefined;
}
