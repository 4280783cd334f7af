import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Linear's per-query complexity cap (points). */
export const LINEAR_MAX_COMPLEXITY = 10_000;
const DEFAULT_CONNECTION_SIZE = 50;

/**
 * An estimate of Linear's query complexity, after Linear's published rule: each scalar field
 * 0.1 point, each object 1 point, and a connection multiplies the points of everything under it
 * by its `first`/`last` argument (50 when absent). The multiplier is applied to the whole
 * connection selection (including `pageInfo`), so the estimate errs high: a query this fake
 * accepts stays under the real cap.
 */
export function estimateComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;

  const argValue = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.VARIABLE) return variables[node.name.value];
    if (node.kind === Kind.INT) return Number(node.value);
    return undefined;
  };

  const score = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        if (type && isCompositeType(type)) total += score(selection.selectionSet, type);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
        if (fragment && type && isCompositeType(type)) total += score(fragment.selectionSet, type);
        continue;
      }
      if (selection.name.value === '__typename' || !('getFields' in parent)) {
        total += 0.1;
        continue;
      }
      const field = parent.getFields()[selection.name.value] as GraphQLField<unknown, unknown> | undefined;
      if (!field) continue;
      const named = getNamedType(field.type);
      if (!selection.selectionSet || !isCompositeType(named)) {
        total += 0.1;
        continue;
      }
      const inner = score(selection.selectionSet, named);
      if (named.name.endsWith('Connection')) {
        const first = argValue(selection.arguments?.find((a) => a.name.value === 'first')?.value);
        const last = argValue(selection.arguments?.find((a) => a.name.value === 'last')?.value);
        const size =
          typeof first === 'number' ? first : typeof last === 'number' ? last : DEFAULT_CONNECTION_SIZE;
        total += 1 + size * inner;
      } else {
        total += 1 + inner;
      }
    }
    return total;
  };

  return Math.ceil(score(operation.selectionSet, root));
}
