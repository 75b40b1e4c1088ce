import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * Figures about the shape of the code, read from the sources with the TypeScript compiler (imports
 * through the `@tms/*` barrels are followed to the file that declares each name):
 *
 *   npm run figures:architecture [-- <root>]
 *
 * - imports between core's folders (file → file edges), those that point up the dependency tree of
 *   ARCHITECTURE.md, and folder loops;
 * - imports between LTI 1.1 and LTI 1.3 code in each layer (they should be none);
 * - non-null assertions (`!`), and those on a provider's version registration (`provider.lti1p3!`);
 * - writers of the score ledger, enrollment lock call sites, copies of the public URL's normalization
 *   and of the UUID pattern, places that turn an error into a response;
 * - the longest files.
 *
 * It prints figures and exits 0 whatever they are; the lint rules (eslint.config.mjs) keep the
 * boundaries.
 */
const root = resolve(process.argv[2] ?? '.');

/** Core's folders, from the bottom of the tree up (libs/core/layers.json, which lint enforces): a folder may import only lower ranks. */
const CORE_RANK: Readonly<Record<string, number>> = JSON.parse(
  readFileSync(join(__dirname, '..', 'libs', 'core', 'layers.json'), 'utf8'),
).ranks;

/** Protocol library files whose names do not say their version (before they were filed by version). */
const LTI_FLAT_VERSIONS: Readonly<Record<string, '1.1' | '1.3'>> = {
  'oauth1.ts': '1.1',
  'basic-outcomes.ts': '1.1',
  'content-item.ts': '1.1',
  'deep-linking.ts': '1.3',
  'ags.ts': '1.3',
  'lti-services.ts': '1.3',
  'tool-public-key.ts': '1.3',
};

const configPath = join(root, 'tsconfig.json');
const parsed = ts.parseJsonConfigFileContent(
  ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)).config,
  ts.sys,
  root,
);
const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
const checker = program.getTypeChecker();

const rel = (file: string) => relative(root, file).split(sep).join('/');
const isSpec = (path: string) => /\.(spec|e2e-spec)\.ts$/.test(path) || /\.fake\.ts$/.test(path);
const sources = program
  .getSourceFiles()
  .filter((file) => !file.isDeclarationFile && !rel(file.fileName).startsWith('..'))
  .filter((file) => /^(apps|libs)\//.test(rel(file.fileName)));
const production = sources.filter((file) => !isSpec(rel(file.fileName)) && !rel(file.fileName).includes('/testing/'));

type Layer = 'core' | 'persistence' | 'apps' | 'lti' | 'other';
function layerOf(path: string): Layer {
  if (path.startsWith('libs/core/')) return 'core';
  if (path.startsWith('libs/persistence/')) return 'persistence';
  if (path.startsWith('apps/')) return 'apps';
  if (path.startsWith('libs/lti/')) return 'lti';
  return 'other';
}

function coreFolderOf(path: string): string | null {
  const match = /^libs\/core\/src\/([^/]+)\//.exec(path);
  return match ? match[1] : null;
}

function versionOf(path: string): '1.1' | '1.3' | null {
  if (/(^|[/._-])(lti)?1p1([/._-]|$)/.test(path)) return '1.1';
  if (/(^|[/._-])(lti)?1p3([/._-]|$)/.test(path)) return '1.3';
  const flat = /^libs\/lti\/src\/([^/]+)$/.exec(path);
  return flat ? (LTI_FLAT_VERSIONS[flat[1]] ?? null) : null;
}

/** The project files an import declaration reaches: through a barrel, the file declaring each name. */
function importedFiles(node: ts.ImportDeclaration | ts.ExportDeclaration, file: ts.SourceFile): Set<string> {
  const targets = new Set<string>();
  const specifier = node.moduleSpecifier;
  if (!specifier || !ts.isStringLiteral(specifier)) return targets;
  const resolved = ts.resolveModuleName(specifier.text, file.fileName, parsed.options, ts.sys).resolvedModule;
  if (!resolved || resolved.isExternalLibraryImport) return targets;
  const target = rel(resolved.resolvedFileName);
  if (!/\/index\.ts$/.test(target)) return targets.add(target);
  const names: ts.ModuleExportName[] = [];
  if (ts.isImportDeclaration(node)) {
    const bindings = node.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => e.name));
  } else if (node.exportClause && ts.isNamedExports(node.exportClause)) {
    names.push(...node.exportClause.elements.map((e) => e.name));
  }
  if (names.length === 0) return targets.add(target);
  for (const name of names) {
    let symbol = checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.[0];
    targets.add(declaration ? rel(declaration.getSourceFile().fileName) : target);
  }
  return targets;
}

interface Edge {
  readonly from: string;
  readonly to: string;
}
const edges: Edge[] = [];
for (const file of sources) {
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    for (const to of importedFiles(statement, file)) edges.push({ from: rel(file.fileName), to });
  }
}
const productionEdges = edges.filter((e) => !isSpec(e.from) && !e.from.includes('/testing/'));

const out = (line = '') => process.stdout.write(`${line}\n`);
const pad = (text: string | number, width: number) => String(text).padStart(width);

out(`Architecture figures of ${root}`);
out();

// Core's folders.
const pairs = new Map<string, number>();
for (const { from, to } of productionEdges) {
  const [a, b] = [coreFolderOf(from), coreFolderOf(to)];
  if (!a || !b || a === b || layerOf(to) !== 'core') continue;
  pairs.set(`${a} -> ${b}`, (pairs.get(`${a} -> ${b}`) ?? 0) + 1);
}
const rankOf = (folder: string) => CORE_RANK[folder] ?? Number.NaN;
const upward = [...pairs].filter(([pair]) => {
  const [a, b] = pair.split(' -> ');
  const sibling = a !== b && rankOf(a) === rankOf(b);
  return !(rankOf(b) < rankOf(a)) || sibling;
});
out('Imports between core folders (file → file edges; production code):');
for (const [pair, count] of [...pairs].sort()) {
  const flag = upward.some(([p]) => p === pair) ? '   ← not down the tree' : '';
  out(`  ${pad(count, 3)}  ${pair}${flag}`);
}
out(`  folder pairs ${pairs.size}, edges ${[...pairs.values()].reduce((a, b) => a + b, 0)}`);
out(
  `  not down the tree: ${upward.length} pairs, ${upward.reduce((sum, [, n]) => sum + n, 0)} edges` +
    ` (folders outside the tree: ${[...new Set([...pairs.keys()].flatMap((p) => p.split(' -> ')))].filter((f) => Number.isNaN(rankOf(f))).join(', ') || 'none'})`,
);
out(
  `  folder loops: ${
    folderLoops(pairs)
      .map((loop) => loop.join(' ↔ '))
      .join('; ') || 'none'
  }`,
);
for (const leaf of ['shared', 'errors']) {
  const count = [...pairs].filter(([pair]) => pair.startsWith(`${leaf} -> `)).reduce((sum, [, n]) => sum + n, 0);
  out(`  ${leaf}/ imports from other core folders: ${count}`);
}
out();

// LTI versions.
out('Imports between LTI 1.1 and LTI 1.3 code (file → file edges, barrels followed; specs included):');
for (const layer of ['lti', 'core', 'persistence', 'apps'] as const) {
  const crossing = (from: '1.1' | '1.3', to: '1.1' | '1.3') =>
    edges.filter((e) => layerOf(e.from) === layer && versionOf(e.from) === from && versionOf(e.to) === to);
  const p3p1 = crossing('1.3', '1.1');
  const p1p3 = crossing('1.1', '1.3');
  out(`  ${layer.padEnd(12)} 1.3 → 1.1: ${pad(p3p1.length, 3)}   1.1 → 1.3: ${pad(p1p3.length, 3)}`);
  for (const e of [...p3p1, ...p1p3]) out(`      ${e.from} → ${e.to}`);
}
out();

// Statements.
const nonNull = { all: 0, version: 0, versionInSpecs: 0 };
const ledgerWriters: string[] = [];
const lockSites: string[] = [];
const uuidPatterns: string[] = [];
const normalizations: string[] = [];
const filters: string[] = [];
const catchToResponse: string[] = [];
const coreAnswers: string[] = [];
const errorPages: string[] = [];
for (const file of sources) {
  const path = rel(file.fileName);
  const spec = isSpec(path) || path.includes('/testing/');
  // A file that declares a controller: what it answers should be successes; errors belong to the filters.
  const controller = /@Controller\(/.test(file.text);
  const where = (node: ts.Node) => `${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isNonNullExpression(node)) {
      const onVersion = /\blti1p[13]\b/.test(node.expression.getText(file));
      if (!spec) nonNull.all++;
      if (onVersion && !spec) nonNull.version++;
      if (onVersion && spec) nonNull.versionInSpecs++;
    }
    if (!spec && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = checker.getTypeAtLocation(node.expression.expression).getSymbol()?.getName();
      if (method === 'record' && receiver === 'ScoreLedgerRepository') ledgerWriters.push(where(node));
      if (method === 'lockEnrollment') lockSites.push(where(node));
      if (method === 'replace' && node.arguments[0]?.getText(file) === '/\\/+$/') normalizations.push(where(node));
      if (method === 'outcomeResponse' && layerOf(path) === 'core') coreAnswers.push(`${where(node)} (POX)`);
    }
    if (!spec && ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      if (node.expression.text === 'outcomeResponse' && layerOf(path) === 'core')
        coreAnswers.push(`${where(node)} (POX)`);
    }
    if (!spec && ts.isRegularExpressionLiteral(node) && /\[0-9a-f\]\{8\}|\[0-9a-f-\]\{36\}/.test(node.text)) {
      uuidPatterns.push(where(node));
    }
    if (!spec && ts.isDecorator(node) && /^Catch\(/.test(node.expression.getText(file))) filters.push(where(node));
    if (!spec && ts.isCatchClause(node) && layerOf(path) === 'apps' && /\/http\//.test(path)) {
      if (/\b(send\w*|status|problemFor|render)\(/.test(node.block.getText(file))) catchToResponse.push(where(node));
    }
    if (!spec && layerOf(path) === 'core' && ts.isLiteralTypeNode(node) && ts.isNumericLiteral(node.literal)) {
      const status = Number(node.literal.text);
      if (status >= 400 && status < 600) coreAnswers.push(`${where(node)} (HTTP status ${status})`);
    }
    if (!spec && controller && ts.isCallExpression(node)) {
      const [view] = node.arguments;
      if (view && ts.isStringLiteral(view) && view.text === 'errors/error')
        errorPages.push(`${where(node)} (error page)`);
    }
    if (!spec && controller && ts.isPropertyAssignment(node) && node.name.getText(file) === 'error_description') {
      errorPages.push(`${where(node)} (OAuth error)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

const list = (title: string, items: readonly string[]) => {
  out(`${title}: ${items.length}`);
  for (const item of items) out(`    ${item}`);
};
out(`Non-null assertions (production code): ${nonNull.all}`);
out(`  on a provider's version registration (lti1p1/lti1p3): ${nonNull.version} (specs: ${nonNull.versionInSpecs})`);
list('Score ledger writers (calls of ScoreLedgerRepository.record)', ledgerWriters);
list('Enrollment lock call sites (lockEnrollment)', lockSites);
list("Public URL normalizations (.replace(/\\/+$/, ''))", normalizations);
list('UUID pattern literals', uuidPatterns);
out('Places that turn an error into a response:');
list('  exception filters (@Catch)', filters);
list('  catch blocks in HTTP code that answer', catchToResponse);
list('  error answers written by controllers', errorPages);
list('  protocol answers built in core (HTTP status, XML)', coreAnswers);
out(`  total: ${filters.length + catchToResponse.length + errorPages.length + coreAnswers.length}`);
out();

const lengths = production
  .map((file) => ({ path: rel(file.fileName), lines: readFileSync(file.fileName, 'utf8').split('\n').length - 1 }))
  .sort((a, b) => b.lines - a.lines);
out(
  `Production files: ${lengths.length}; over 300 lines: ${lengths.filter((f) => f.lines > 300).length}; over 400: ${lengths.filter((f) => f.lines > 400).length}`,
);
for (const { path, lines } of lengths.slice(0, 5)) out(`  ${pad(lines, 4)}  ${path}`);

/** Strongly connected folder groups of more than one folder (Tarjan). */
function folderLoops(folderPairs: ReadonlyMap<string, number>): string[][] {
  const graph = new Map<string, string[]>();
  for (const pair of folderPairs.keys()) {
    const [a, b] = pair.split(' -> ');
    graph.set(a, [...(graph.get(a) ?? []), b]);
    if (!graph.has(b)) graph.set(b, []);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const loops: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) loops.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return loops;
}
