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
  return new SdlBuilder(source).build();
}

/** The SDL of the codegen typings in one source file: declarations are read once, then printed. */
class SdlBuilder {
  readonly aliases = new Map<string, ts.TypeAliasDeclaration>();
  readonly enums = new Map<string, string[]>();
  readonly objects = new Map<string, Composite>();
  readonly interfaces = new Set<string>();
  readonly unions = new Map<string, string[]>();
  readonly argsAliases = new Map<string, ts.TypeAliasDeclaration>();

  constructor(readonly source: ts.SourceFile) {
    for (const statement of source.statements) {
      if (ts.isTypeAliasDeclaration(statement)) this.aliases.set(statement.name.text, statement);
      else if (ts.isEnumDeclaration(statement)) {
        this.enums.set(
          statement.name.text,
          statement.members.map((member) =>
            member.initializer && ts.isStringLiteral(member.initializer)
              ? member.initializer.text
              : member.name.getText(source),
          ),
        );
      }
    }
    for (const [name, alias] of this.aliases)
      if (name.endsWith('Args')) this.argsAliases.set(name.toLowerCase(), alias);
    this.#collectComposites();
  }

  build(): string {
    const out: string[] = this.#scalars().map((name) => `scalar ${name}`);
    for (const [name, values] of this.enums)
      out.push(`enum ${name} {\n${values.map((value) => `  ${value}`).join('\n')}\n}`);
    for (const name of this.interfaces) {
      const literal = this.literalOf(name);
      if (literal) out.push(`interface ${name} {\n${this.fieldLines(literal, name, false).join('\n')}\n}`);
    }
    for (const [name, { literal, implements: impl }] of this.objects) {
      const header = impl.length > 0 ? `type ${name} implements ${impl.join(' & ')}` : `type ${name}`;
      out.push(`${header} {\n${this.fieldLines(literal, name, false).join('\n')}\n}`);
    }
    for (const [name, members] of this.unions) out.push(`union ${name} = ${members.join(' | ')}`);
    for (const [name, literal] of this.#inputs())
      out.push(`input ${name} {\n${this.fieldLines(literal, null, true).join('\n')}\n}`);
    return `${out.join('\n\n')}\n`;
  }

  typenameOf(literal: ts.TypeLiteralNode): string | undefined {
    for (const member of literal.members) {
      if (
        !ts.isPropertySignature(member) ||
        member.name.getText(this.source) !== '__typename' ||
        !member.type
      )
        continue;
      if (ts.isLiteralTypeNode(member.type) && ts.isStringLiteral(member.type.literal))
        return member.type.literal.text;
    }
    return undefined;
  }

  literalOf(name: string): ts.TypeLiteralNode | undefined {
    const type = this.aliases.get(name)?.type;
    return type && ts.isTypeLiteralNode(type) ? type : undefined;
  }

  /** Objects (a `__typename` literal), the interfaces they intersect with, and unions of objects. */
  #collectComposites(): void {
    const { source } = this;
    for (const [name, alias] of this.aliases) {
      const type = alias.type;
      if (ts.isTypeLiteralNode(type)) {
        if (this.typenameOf(type) === name) this.objects.set(name, { literal: type, implements: [] });
      } else if (ts.isIntersectionTypeNode(type)) {
        const literal = type.types.find(ts.isTypeLiteralNode);
        const refs = type.types.filter(ts.isTypeReferenceNode).map((ref) => ref.typeName.getText(source));
        const refsAreInterfaces = refs.every((ref) => {
          const refLiteral = this.literalOf(ref);
          return refLiteral !== undefined && this.typenameOf(refLiteral) === undefined;
        });
        if (literal && this.typenameOf(literal) === name && refsAreInterfaces) {
          this.objects.set(name, { literal, implements: refs });
          for (const ref of refs) this.interfaces.add(ref);
        }
      } else if (ts.isUnionTypeNode(type) && type.types.every(ts.isTypeReferenceNode)) {
        this.unions.set(
          name,
          type.types.map((member) => (member as ts.TypeReferenceNode).typeName.getText(source)),
        );
      }
    }
    for (const [name, members] of this.unions)
      if (!members.every((member) => this.objects.has(member))) this.unions.delete(name);
  }

  #scalars(): string[] {
    return (this.literalOf('Scalars')?.members ?? [])
      .map((member) => member.name?.getText(this.source).replace(/^['"]|['"]$/g, '') ?? '')
      .filter((name) => name !== '' && !BUILTIN_SCALARS.has(name));
  }

  /** The GraphQL type of a typings node (`Maybe<…>` nullable, `Scalars['X']['output']` → X). */
  gqlType(node: ts.TypeNode, nonNull: boolean): string {
    const bang = nonNull ? '!' : '';
    if (ts.isParenthesizedTypeNode(node)) return this.gqlType(node.type, nonNull);
    if (ts.isUnionTypeNode(node)) {
      const present = node.types.filter(
        (member) =>
          member.kind !== ts.SyntaxKind.NullKeyword &&
          member.kind !== ts.SyntaxKind.UndefinedKeyword &&
          !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword),
      );
      const first = present[0];
      if (!first) throw new Error(`cannot map type ${node.getText(this.source)}`);
      return this.gqlType(first, nonNull && present.length === node.types.length);
    }
    if (ts.isIndexedAccessTypeNode(node)) {
      let object: ts.TypeNode = node;
      while (ts.isIndexedAccessTypeNode(object) && ts.isIndexedAccessTypeNode(object.objectType))
        object = object.objectType;
      const index = (object as ts.IndexedAccessTypeNode).indexType;
      if (ts.isLiteralTypeNode(index) && ts.isStringLiteral(index.literal)) return index.literal.text + bang;
    }
    if (ts.isArrayTypeNode(node)) return `[${this.gqlType(node.elementType, true)}]${bang}`;
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(this.source);
      const [argument] = node.typeArguments ?? [];
      if ((name === 'Maybe' || name === 'InputMaybe') && argument) return this.gqlType(argument, false);
      if (name === 'Array' && argument) return `[${this.gqlType(argument, true)}]${bang}`;
      return name + bang;
    }
    throw new Error(`cannot map type ${node.getText(this.source)}`);
  }

  /** `(a: T, b: U)` of field `owner.field`, from its `<Owner><Field>Args` alias ('' without one). */
  #argumentList(owner: string, field: string): string {
    const args = this.argsAliases.get(`${owner}${field}Args`.toLowerCase());
    if (!args || !ts.isTypeLiteralNode(args.type)) return '';
    const list = args.type.members
      .filter(ts.isPropertySignature)
      .map(
        (arg) =>
          `${arg.name.getText(this.source)}: ${this.gqlType(arg.type as ts.TypeNode, !arg.questionToken)}`,
      );
    return list.length > 0 ? `(${list.join(', ')})` : '';
  }

  fieldLines(literal: ts.TypeLiteralNode, owner: string | null, input: boolean): string[] {
    return literal.members.filter(ts.isPropertySignature).flatMap((member) => {
      const field = member.name.getText(this.source).replace(/^['"]|['"]$/g, '');
      if (field === '__typename' || !member.type) return [];
      const args = owner ? this.#argumentList(owner, field) : '';
      return [`  ${field}${args}: ${this.gqlType(member.type, input ? !member.questionToken : true)}`];
    });
  }

  #references(node: ts.Node, found: string[] = []): string[] {
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText(this.source);
      if (!WRAPPERS.has(name)) found.push(name);
    }
    ts.forEachChild(node, (child) => {
      this.#references(child, found);
    });
    return found;
  }

  /** Inputs: the remaining plain literals whose fields reference only scalars, enums and inputs. */
  #inputs(): Map<string, ts.TypeLiteralNode> {
    const inputs = new Map<string, ts.TypeLiteralNode>();
    for (const [name, alias] of this.aliases) {
      if (!ts.isTypeLiteralNode(alias.type) || this.objects.has(name) || this.interfaces.has(name)) continue;
      if (name === 'Scalars' || name.endsWith('Args') || name.includes('$')) continue;
      if (/(Variables|Fragment|Query|Mutation|Subscription)$/.test(name)) continue;
      inputs.set(name, alias.type);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name, literal] of inputs) {
        const valid = literal.members.every(
          (member) =>
            ts.isPropertySignature(member) &&
            member.type !== undefined &&
            !member.type.getText(this.source).includes('$') &&
            this.#references(member.type).every((ref) => this.enums.has(ref) || inputs.has(ref)),
        );
        if (!valid) {
          inputs.delete(name);
          changed = true;
        }
      }
    }
    return inputs;
  }
}
