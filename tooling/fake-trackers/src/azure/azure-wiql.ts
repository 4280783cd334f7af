/**
 * A small WIQL evaluator for the fake: flat queries only.
 * `SELECT [f], … FROM WorkItems [WHERE c AND c …] [ORDER BY [f] [ASC|DESC], …]` where each
 * condition is `[Field] op value`, op ∈ `= <> > >= < <= CONTAINS`, value a '…' string
 * ('' escapes a quote), a number, `@project` or `@today`. OR, parentheses, `IN`, `EVER`, link
 * queries (`FROM WorkItemLinks`) are rejected with a clear message (a fake limitation).
 */

export interface WiqlCondition {
  field: string;
  op: '=' | '<>' | '>' | '>=' | '<' | '<=' | 'CONTAINS';
  value: string | number | { macro: 'project' | 'today' };
}

export interface WiqlQuery {
  select: string[];
  where: WiqlCondition[];
  orderBy: { field: string; descending: boolean }[];
}

export class WiqlError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const TOKEN = /\s*(\[[^\]]+\]|'(?:[^']|'')*'|-?\d+(?:\.\d+)?|@\w+|<>|>=|<=|[=<>,]|[A-Za-z_][\w.]*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(text);
    if (!match)
      throw new WiqlError(
        `TF51006: The query statement is not supported by the fake WIQL parser near «${text.slice(index, index + 20)}».`,
        'TF51006',
      );
    tokens.push(match[1] as string);
    index = TOKEN.lastIndex;
  }
  return tokens;
}

function fieldName(token: string | undefined): string {
  if (!token) throw new WiqlError('TF51005: Expecting a field name.', 'TF51005');
  return token.startsWith('[') ? token.slice(1, -1).trim() : token;
}

export function parseWiql(text: string): WiqlQuery {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const take = () => tokens[position++];
  const expectKeyword = (word: string) => {
    const token = take();
    if (token?.toUpperCase() !== word)
      throw new WiqlError(`TF51005: Expecting '${word}' but found '${token ?? 'end of query'}'.`, 'TF51005');
  };
  expectKeyword('SELECT');
  const select: string[] = [];
  do {
    select.push(fieldName(take()));
  } while (peek() === ',' && take());
  expectKeyword('FROM');
  const source = take();
  if (source?.toLowerCase() !== 'workitems')
    throw new WiqlError(`TF51006: The fake supports only FROM WorkItems (got '${source ?? ''}').`, 'TF51006');
  const where: WiqlCondition[] = [];
  if (peek()?.toUpperCase() === 'WHERE') {
    take();
    for (;;) {
      const field = fieldName(take());
      const rawOp = take()?.toUpperCase();
      if (!rawOp || !['=', '<>', '>', '>=', '<', '<=', 'CONTAINS'].includes(rawOp)) {
        throw new WiqlError(
          `TF51006: Unsupported operator '${rawOp ?? ''}' in the fake WIQL parser.`,
          'TF51006',
        );
      }
      const rawValue = take();
      if (rawValue === undefined) throw new WiqlError('TF51005: Expecting a value.', 'TF51005');
      let value: WiqlCondition['value'];
      if (rawValue.startsWith("'")) value = rawValue.slice(1, -1).replace(/''/g, "'");
      else if (rawValue.toLowerCase() === '@project') value = { macro: 'project' };
      else if (rawValue.toLowerCase() === '@today') value = { macro: 'today' };
      else if (/^-?\d+(\.\d+)?$/.test(rawValue)) value = Number(rawValue);
      else throw new WiqlError(`TF51005: Unexpected value '${rawValue}'.`, 'TF51005');
      where.push({ field, op: rawOp as WiqlCondition['op'], value });
      const next = peek()?.toUpperCase();
      if (next === 'AND') {
        take();
        continue;
      }
      if (next === 'OR') throw new WiqlError('TF51006: The fake WIQL parser supports AND only.', 'TF51006');
      break;
    }
  }
  const orderBy: WiqlQuery['orderBy'] = [];
  if (peek()?.toUpperCase() === 'ORDER') {
    take();
    expectKeyword('BY');
    do {
      const field = fieldName(take());
      let descending = false;
      const direction = peek()?.toUpperCase();
      if (direction === 'ASC' || direction === 'DESC') {
        take();
        descending = direction === 'DESC';
      }
      orderBy.push({ field, descending });
    } while (peek() === ',' && take());
  }
  if (position < tokens.length)
    throw new WiqlError(`TF51005: Unexpected '${tokens[position]}' at the end of the query.`, 'TF51005');
  return { select, where, orderBy };
}

export const DATE_FIELDS = new Set([
  'System.ChangedDate',
  'System.CreatedDate',
  'Microsoft.VSTS.Common.ClosedDate',
  'Microsoft.VSTS.Common.StateChangeDate',
]);

/** True when a date literal carries a time part (needs `timePrecision=true`). */
export function hasTimePart(value: string): boolean {
  return /\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}/.test(value);
}
