import { StringDecoder } from 'node:string_decoder';

/**
 * Turns a byte stream into lines of at most `maxBytes` bytes. A line that never ends
 * is emitted in pieces, so a process printing without newlines cannot grow our memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly maxBytes: number,
    private readonly emit: (line: string) => void,
  ) {}

  write(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  end(): void {
    this.take(this.decoder.end());
    if (this.partial.length > 0) this.emit(cut(this.partial, this.maxBytes));
    this.partial = '';
  }

  private take(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts)
      this.emit(cut(line.endsWith('\r') ? line.slice(0, -1) : line, this.maxBytes));
    while (Buffer.byteLength(this.partial) > this.maxBytes) {
      const head = cut(this.partial, this.maxBytes);
      this.emit(head);
      this.partial = this.partial.slice(head.length);
    }
  }
}

/** The longest prefix of `line` within `maxBytes` UTF-8 bytes, never splitting a character. */
export function cut(line: string, maxBytes: number): string {
  if (Buffer.byteLength(line) <= maxBytes) return line;
  let bytes = 0;
  let end = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return line.slice(0, end);
}
