import { gzipSync } from 'node:zlib';

/** One entry of a hand-made tarball: hostile ones (`../x`, `/etc/x`, devices) included on purpose. */
export interface TarEntry {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'fifo';
  body?: string | Uint8Array;
  linkname?: string;
  mode?: number;
}

const FLAG = { file: '0', hardlink: '1', symlink: '2', char: '3', dir: '5', fifo: '6' } as const;

function header(e: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (text: string, at: number, len: number) => {
    const b = Buffer.from(text, 'utf8');
    if (b.length > len) throw new Error(`tar fixture: ${text} does not fit ${len} bytes`);
    b.copy(h, at);
  };
  const octal = (n: number, at: number, len: number) =>
    put(`${n.toString(8).padStart(len - 1, '0')}\0`, at, len);
  const type = e.type ?? 'file';
  put(e.name, 0, 100);
  octal(e.mode ?? (type === 'dir' ? 0o755 : 0o644), 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(1_700_000_000, 136, 12);
  put(FLAG[type], 156, 1);
  put(e.linkname ?? '', 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  // the checksum is computed with its own field read as eight spaces
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** A tarball byte for byte (ustar), gzipped unless `gzip: false`; entries are written as given. */
export function makeTarball(
  entries: readonly TarEntry[],
  options: { gzip?: boolean } = {},
): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body =
      e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body as string | Uint8Array);
    blocks.push(header(e, body.length), body);
    const pad = (512 - (body.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return options.gzip === false ? tar : gzipSync(tar);
}
