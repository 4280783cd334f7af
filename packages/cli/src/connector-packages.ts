// Where connector packages are found. A project installs its connectors next to its own code, so
// they are looked up from the project directory (and its parents) first, and only then from the
// CLI's own folder — a globally installed CLI still loads the project's connectors.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The package.json keyword third-party connector packages carry so `discover` and `init` find them. */
export const CONNECTOR_KEYWORD = 'spec-kitty-connector';

interface PackageManifest {
  name?: unknown;
  keywords?: unknown;
  main?: unknown;
  exports?: unknown;
}

/** A connector package installed in a project's node_modules. */
export interface InstalledPackage {
  readonly name: string;
  /** `file://` URL of its ESM entry point. */
  readonly entryUrl: string;
}

function readManifest(dir: string): PackageManifest | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
  } catch {
    return null;
  }
}

/** The `.` entry of an `exports` map, preferring the `import` condition (connectors are ESM). */
function exportTarget(exports: unknown): string | null {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return null;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return exportTarget(map['.']);
  for (const condition of ['import', 'node', 'default']) {
    if (condition in map) {
      const target = exportTarget(map[condition]);
      if (target !== null) return target;
    }
  }
  return null;
}

function entryUrlOf(dir: string, manifest: PackageManifest): string {
  const target =
    exportTarget(manifest.exports) ?? (typeof manifest.main === 'string' ? manifest.main : 'index.js');
  return pathToFileURL(resolve(dir, target)).href;
}

/** `start` and each parent directory's `node_modules`, nearest first, that exist. */
function nodeModulesDirs(start: string): string[] {
  const dirs: string[] = [];
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(candidate)) dirs.push(candidate);
    const parent = dirname(dir);
    if (parent === dir) return dirs;
    dir = parent;
  }
}

function uniqueNodeModules(searchFrom: readonly string[]): string[] {
  return [...new Set(searchFrom.flatMap(nodeModulesDirs))];
}

/** `packageName` installed under one of the `searchFrom` directories (or their parents), nearest first. */
export function findProjectPackage(
  packageName: string,
  searchFrom: readonly string[],
): InstalledPackage | null {
  for (const modules of uniqueNodeModules(searchFrom)) {
    const dir = join(modules, ...packageName.split('/'));
    const manifest = readManifest(dir);
    if (manifest !== null) return { name: packageName, entryUrl: entryUrlOf(dir, manifest) };
  }
  return null;
}

/** What `import()` should load for `specifier`: a file URL or path as is, else the project's copy when installed. */
export function importTarget(specifier: string, searchFrom: readonly string[]): string {
  if (specifier.startsWith('file:')) return specifier;
  if (isAbsolute(specifier)) return pathToFileURL(specifier).href;
  return findProjectPackage(specifier, searchFrom)?.entryUrl ?? specifier;
}

function packageDirsIn(modules: string): string[] {
  const dirs: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(modules);
  } catch {
    return dirs;
  }
  for (const entry of entries.sort()) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      try {
        for (const scoped of readdirSync(join(modules, entry)).sort())
          dirs.push(join(modules, entry, scoped));
      } catch {
        // An unreadable scope directory holds nothing we can load.
      }
    } else {
      dirs.push(join(modules, entry));
    }
  }
  return dirs;
}

/** Packages under the `searchFrom` directories' node_modules whose package.json has the connector keyword. */
export function findKeywordPackages(searchFrom: readonly string[]): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  for (const modules of uniqueNodeModules(searchFrom)) {
    for (const dir of packageDirsIn(modules)) {
      const manifest = readManifest(dir);
      if (manifest === null || typeof manifest.name !== 'string' || found.has(manifest.name)) continue;
      if (!Array.isArray(manifest.keywords) || !manifest.keywords.includes(CONNECTOR_KEYWORD)) continue;
      found.set(manifest.name, { name: manifest.name, entryUrl: entryUrlOf(dir, manifest) });
    }
  }
  return [...found.values()];
}
