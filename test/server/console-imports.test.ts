// The console is a browser app: it may use the server's types (erased at build time) but
// never its runtime code (zod schemas, express helpers), which would ship server code to
// the browser and couple the two. Read with TypeScript's own parser, not a text search.
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const consoleDir = join(root, 'console');

/** Imports and re-exports of a file that survive compilation (not `import type`, not all-type specifiers). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0]!)) {
      found.push((node.arguments[0] as ts.StringLiteral).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('console imports', () => {
  it('takes only types from server/', () => {
    const files = readdirSync(consoleDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offending: string[] = [];
    for (const name of files) {
      const file = join(consoleDir, name);
      for (const spec of runtimeImports(file)) {
        const target = relative(root, resolve(dirname(file), spec));
        if (spec.startsWith('.') && !target.startsWith('console')) offending.push(`${relative(root, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('notices a runtime import (the check can fail)', () => {
    const tmp = join(tmpdir(), `console-imports-probe-${process.pid}.ts`);
    ts.sys.writeFile(tmp, "import { BadgeInput } from '../server/schemas.js';\nimport type { Slug } from '../server/schemas.js';\nimport { type X } from './x.js';\n");
    expect(runtimeImports(tmp)).toEqual(['../server/schemas.js']);
  });
});
