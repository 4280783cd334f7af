// Rebuilds a GraphQL SDL of Linear's API from the graphql-codegen typings bundled in the
// `@linear/sdk` npm package, for environments without `shared/specs/linear/schema.graphql`.
// The typings carry every object (`__typename` literal), interface, union, enum, scalar, input
// and field-argument type (`<Owner><Field>Args`), which is enough for `validate()`; descriptions
// and directives are lost. Known differences to the published SDL (see toolchain.md §5.3):
// codegen renames a few input types (`IDComparator` → `IdComparator`) and nullability differs in
// a handful of fields, so a document declaring a variable of a renamed type validates only
// against the published schema.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const BUILTIN_SCALARS = new Set(['ID', 'String', 'Boolean', 'Int', 'Float']);
const WRAPPERS = new Set(['Maybe', 'InputMaybe', 'Array', 'Scalars', 'Exact', 'Incremental']);

/** The `.d.mts`/`.d.ts` file of `@linear/sdk` that holds the generated schema types. */
export function linearSdkTypingsPath(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@linear/sdk');
  const dist = dirname(entry);
  const candidates = readdirSync(dist)
    .filter((name) => name.endsWith('.d.mts') || name.endsWith('.d.ts'))
    .map((name) => join(dist, name));
  const found = candidates.find((path) => readFileSync(path, 'utf8').includes('type QueryIssuesArgs = {'));
  if (!found) throw new Error(`@linear/sdk typings with the generated schema types not found in ${dist}`);
  return found;
}

interface Composite {
  literal: ts.TypeLiteralNode;
  implements: string[];
}

/** Reconstructs Linear's SDL from `@linear/sdk` (about 1 s). */
export function reconstructLinearSdl(typingsPath: string = linearSdkTypingsPath()): string {
  const source = ts.createSourceFile(
    typingsPath,
    readFileSync(typingsPath, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const aliases = new Map<string, ts.TypeAliasDeclaration>();
  const enums = new Map<string, string[]>();
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement);
    else if (ts.isEnumDeclaration(statement)) {
      enums.set(
        statement.name.text,
        statement.members.map((member) =>
          member.initializer && ts.isStringLiteral(member.initializer)
            ? member.initializer.text
            : member.name.getText(source),
        ),
      );
    }
  }

  const typenameOf = (literal: ts.TypeLiteralNode): string | undefined => {
    for (const member of literal.members) {
      if (!ts.isPropertySignature(member) || member.name.getText(source) !== '__typename' || !member.type)
        continue;
      if (ts.isLiteralTypeNode(member.type) && ts.isStringLiteral(member.type.literal))
        return member.type.literal.text;
    }
    return undefined;
  };
  const literalOf = (name: string): ts.TypeLiteralNode | undefined => {
    const type = aliases.get(name)?.type;
    return type && ts.isTypeLiteralNode(type) ? type : undefined;
  };

  // Objects, interfaces, unions.
  const objects = new Map<string, Composite>();
  const interfaces = new Set<string>();
  const unions = new Map<string, string[]>();
  for (const [name, alias] of aliases) {
    const type = alias.type;
    if (ts.isTypeLiteralNode(type)) {
      if (typenameOf(type) === name) objects.set(name, { literal: type, implements: [] });
    } else if (ts.isIntersectionTypeNode(type)) {
      const literal = type.types.find(ts.isTypeLiteralNode);
      const refs = type.types.filter(ts.isTypeReferenceNode).map((ref) => ref.typeName.getText(source));
      const refsAreInterfaces = refs.every((ref) => {
        const refLiteral = literalOf(ref);
        return refLiteral !== undefined && typenameOf(refLiteral) === undefined;
      });
      if (literal && typenameOf(literal) === name && refsAreInterfaces) {
        objects.set(name, { literal, implements: refs });
        for (const ref of refs) interfaces.add(ref);
      }
    } else if (ts.isUnionTypeNode(type) && type.types.every(ts.isTypeReferenceNode)) {
      unions.set(
        name,
        type.types.map((member) => (member as ts.TypeReferenceNode).typeName.getText(source)),
      );
    }
  }
  for (const [name, members] of unions)
    if (!members.every((member) => objects.has(member))) unions.delete(name);

  const scalarsLiteral = literalOf('Scalars');
  const scalars = (scalarsLiteral?.members ?? [])
    .map((member) => member.name?.getText(source).replace(/^['"]|['"]$/g, '') ?? '')
    .filter((name) => name !== '' && !BUILTIN_SCALARS.has(name));

  const gqlType = (node: ts.TypeNode, nonNull: boolean): string => {
    if (ts.isParenthesizedTypeNode(node)) return gqlType(node.type, nonNull);
    if (ts.isUnionTypeNode(node)) {
      const present = node.types.filter(
        (member) =>
          member.kind !== ts.SyntaxKind.NullKeyword &&
          member.kind !== ts.SyntaxKind.UndefinedKeyword &&
          !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword),
      );
      const first = present[0];
      if (!first) throw new Error(`cannot map type ${node.getText(source)}`);
      return gqlType(first, nonNull && present.length === node.types.length);
    }
    if (ts.isIndexedAccessTypeNode(node)) {
      // Scalars['DateTime']['output'] → DateTime
      let object: ts.TypeNode = node;
      while (ts.isIndexedAccessTypeNode(object) && ts.isIndexedAccessTypeNode(object.objectType))
        object = object.objectType;
      const index = (object as ts.IndexedAccessTypeNode).indexType;
      if (ts.isLiteralTypeNode(index) && ts.isStringLiteral(index.literal))
        return index.literal.text + (nonNull ? '!' : '');
    }
    if (ts.isArrayTypeNode(node)) return `[${gqlType(node.elementType, true)}]${nonNull ? '!' : ''}`;
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(source);
      const [argument] = node.typeArguments ?? [];
      if ((name === 'Maybe' || name === 'InputMaybe') && argument) return gqlType(argument, false);
      if (name === 'Array' && argument) return `[${gqlType(argument, true)}]${nonNull ? '!' : ''}`;
      return name + (nonNull ? '!' : '');
    }
    throw new Error(`cannot map type ${node.getText(source)}`);
  };

  const argsAliases = new Map<string, ts.TypeAliasDeclaration>();
  for (const [name, alias] of aliases) if (name.endsWith('Args')) argsAliases.set(name.toLowerCase(), alias);

  const fieldLines = (literal: ts.TypeLiteralNode, owner: string | null, input: boolean): string[] =>
    literal.members.filter(ts.isPropertySignature).flatMap((member) => {
      const field = member.name.getText(source).replace(/^['"]|['"]$/g, '');
      if (field === '__typename' || !member.type) return [];
      let line = `  ${field}`;
      if (owner) {
        const args = argsAliases.get(`${owner}${field}Args`.toLowerCase());
        if (args && ts.isTypeLiteralNode(args.type)) {
          const list = args.type.members
            .filter(ts.isPropertySignature)
            .map(
              (arg) => `${arg.name.getText(source)}: ${gqlType(arg.type as ts.TypeNode, !arg.questionToken)}`,
            );
          if (list.length > 0) line += `(${list.join(', ')})`;
        }
      }
      return [`${line}: ${gqlType(member.type, input ? !member.questionToken : true)}`];
    });

  const out: string[] = scalars.map((name) => `scalar ${name}`);
  for (const [name, values] of enums)
    out.push(`enum ${name} {\n${values.map((value) => `  ${value}`).join('\n')}\n}`);
  for (const name of interfaces) {
    const literal = literalOf(name);
    if (literal) out.push(`interface ${name} {\n${fieldLines(literal, name, false).join('\n')}\n}`);
  }
  for (const [name, { literal, implements: impl }] of objects) {
    const header = impl.length > 0 ? `type ${name} implements ${impl.join(' & ')}` : `type ${name}`;
    out.push(`${header} {\n${fieldLines(literal, name, false).join('\n')}\n}`);
  }
  for (const [name, members] of unions) out.push(`union ${name} = ${members.join(' | ')}`);

  // Inputs: the remaining plain literals whose fields reference only scalars, enums and inputs.
  const inputs = new Map<string, ts.TypeLiteralNode>();
  for (const [name, alias] of aliases) {
    if (!ts.isTypeLiteralNode(alias.type) || objects.has(name) || interfaces.has(name) || name === 'Scalars')
      continue;
    if (
      name.endsWith('Args') ||
      /(Variables|Fragment|Query|Mutation|Subscription)$/.test(name) ||
      name.includes('$')
    )
      continue;
    inputs.set(name, alias.type);
  }
  const references = (node: ts.Node, found: string[] = []): string[] => {
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(source);
      if (!WRAPPERS.has(name)) found.push(name);
    }
    ts.forEachChild(node, (child) => {
      references(child, found);
    });
    return found;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, literal] of inputs) {
      const valid = literal.members.every(
        (member) =>
          ts.isPropertySignature(member) &&
          member.type !== undefined &&
          !member.type.getText(source).includes('$') &&
          references(member.type).every((ref) => enums.has(ref) || inputs.has(ref)),
      );
      if (!valid) {
        inputs.delete(name);
        changed = true;
      }
    }
  }
  for (const [name, literal] of inputs)
    out.push(`input ${name} {\n${fieldLines(literal, null, true).join('\n')}\n}`);
  return `${out.join('\n\n')}\n`;
}
