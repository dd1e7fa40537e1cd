import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './demo-process.js';

/** The README's text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function readmeSection(name: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(
    readme,
  )?.[1];
  if (!section) throw new Error(`README.md has no ${name} section`);
  return section;
}

/** The demo's paths and ports in README text, made this test's. */
export function localize(
  text: string,
  demo: { dir: string; hubPort: number; webPort?: number },
): string {
  let out = text
    .replaceAll('$PWD/.serfbort-demo', demo.dir)
    .replaceAll('.serfbort-demo', demo.dir)
    .replaceAll('127.0.0.1:7700', `127.0.0.1:${demo.hubPort}`);
  if (demo.webPort) out = out.replaceAll('127.0.0.1:3000', `127.0.0.1:${demo.webPort}`);
  return out;
}

/** The first ```sh block of a README section, as a person would paste it. */
export function shellBlock(section: string): string {
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('no sh block in this README section');
  return block;
}

/** The README paragraph that starts with `opening` (up to the next blank line). */
export function readmeParagraph(opening: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${opening}`);
  if (at < 0) throw new Error(`README.md has no paragraph starting "${opening}"`);
  const end = readme.indexOf('\n\n', at + 1);
  return readme.slice(at + 1, end < 0 ? undefined : end);
}
