#!/usr/bin/env node
// Every workspace declares in its package.json the packages its code imports (tests
// included), and no relative import reaches into another workspace. npm's hoisting
// would otherwise let an undeclared import work here and break wherever it is installed
// alone. Run by `npm run lint`; exits 1 naming each file and import at fault.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIP_DIRS = new Set([
  'node_modules',
  'dist',
  '.next',
  'out',
  '.turbo',
  'results',
  'artifacts',
]);
const BUILTINS = new Set(builtinModules);

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The workspace folders named by the root package.json (`dir` or `dir/*` entries). */
function workspaces() {
  return readJson(join(root, 'package.json')).workspaces.flatMap((entry) => {
    if (!entry.endsWith('/*')) return [join(root, entry)];
    const parent = join(root, entry.slice(0, -2));
    return readdirSync(parent)
      .map((name) => join(parent, name))
      .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false }));
  });
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name))
      yield* sourceFiles(join(dir, entry.name));
    else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts'))
      yield join(dir, entry.name);
  }
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const isBuiltin = (specifier) =>
  specifier.startsWith('node:') || BUILTINS.has(packageOf(specifier));

/** Imports, re-exports, dynamic imports and requires, as the TypeScript scanner sees them. */
const importsOf = (file) =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);

/** What a workspace may import: its own declarations, plus the root's shared tooling (vitest, tsx…). */
function declared(dir, rootTools) {
  const pkg = readJson(join(dir, 'package.json'));
  const names = new Set([pkg.name, ...rootTools]);
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies'])
    for (const name of Object.keys(pkg[field] ?? {})) names.add(name);
  return { name: pkg.name, names };
}

function problemsIn(dir, rootTools) {
  const { name, names } = declared(dir, rootTools);
  const problems = new Set();
  for (const file of sourceFiles(dir)) {
    const where = relative(root, file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (target !== dir && !target.startsWith(dir + sep))
          problems.add(`${where}: '${specifier}' reaches out of ${name}; import a package instead`);
      } else if (specifier.startsWith('@/') || isBuiltin(specifier)) {
        // the dashboard's own path alias, and Node's built-in modules
      } else if (!names.has(packageOf(specifier))) {
        problems.add(
          `${where}: imports '${packageOf(specifier)}', not declared in ${name}'s package.json`,
        );
      }
    }
  }
  return [...problems];
}

const rootTools = Object.keys(readJson(join(root, 'package.json')).devDependencies ?? {});
const problems = workspaces().flatMap((dir) => problemsIn(dir, rootTools));
if (problems.length > 0) {
  console.error(`check-deps: ${problems.length} undeclared or cross-workspace import(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('check-deps: every workspace declares what it imports');
