/**
 * A small JQL interpreter: enough of Jira's query language for what connectors send.
 * Clauses: `field op value`, `field in (a, b)`, `field is EMPTY`, combined with AND / OR / NOT and
 * parentheses, then `ORDER BY field [ASC|DESC], …`. Values are quoted strings (with `\"` escapes),
 * bare words or numbers.
 */

export type JqlOperator =
  | '='
  | '!='
  | '~'
  | '!~'
  | '>'
  | '>='
  | '<'
  | '<='
  | 'in'
  | 'not in'
  | 'is'
  | 'is not';

export interface JqlClause {
  kind: 'clause';
  field: string;
  operator: JqlOperator;
  values: string[];
  /** True when the (single) value was written as a quoted string. */
  quoted: boolean;
}

export type JqlNode =
  | JqlClause
  | { kind: 'and'; nodes: JqlNode[] }
  | { kind: 'or'; nodes: JqlNode[] }
  | { kind: 'not'; node: JqlNode };

export interface JqlSort {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  where: JqlNode | null;
  orderBy: JqlSort[];
}

export class JqlError extends Error {}

type Token = { type: 'word' | 'string' | 'op' | 'punct'; value: string };

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < jql.length) {
    const char = jql[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === '"' || char === "'") {
      let value = '';
      index += 1;
      while (index < jql.length && jql[index] !== char) {
        if (jql[index] === '\\' && index + 1 < jql.length) index += 1;
        value += jql[index];
        index += 1;
      }
      if (index >= jql.length) throw new JqlError(`Error in the JQL Query: unterminated quoted string.`);
      index += 1;
      tokens.push({ type: 'string', value });
      continue;
    }
    const twoChars = jql.slice(index, index + 2);
    if (['!=', '>=', '<=', '!~'].includes(twoChars)) {
      tokens.push({ type: 'op', value: twoChars });
      index += 2;
      continue;
    }
    if ('=~<>'.includes(char)) {
      tokens.push({ type: 'op', value: char });
      index += 1;
      continue;
    }
    if ('(),'.includes(char)) {
      tokens.push({ type: 'punct', value: char });
      index += 1;
      continue;
    }
    let word = '';
    while (index < jql.length && !/[\s=!~<>(),"']/.test(jql[index] ?? '')) {
      word += jql[index];
      index += 1;
    }
    // issue.property[key].path and cf[10042] keep their brackets inside the word.
    tokens.push({ type: 'word', value: word });
  }
  return tokens;
}

class Parser {
  #tokens: Token[];
  #position = 0;
  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): JqlQuery {
    let where: JqlNode | null = null;
    if (!this.#isKeyword('order')) where = this.#or();
    const orderBy: JqlSort[] = [];
    if (this.#isKeyword('order')) {
      this.#position += 1;
      if (!this.#isKeyword('by')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
      this.#position += 1;
      do {
        const field = this.#next();
        if (field === undefined || field.type === 'punct')
          throw new JqlError('Error in the JQL Query: Expecting a field name after ORDER BY.');
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (this.#isKeyword('asc') || this.#isKeyword('desc'))
          direction = (this.#next()?.value.toUpperCase() ?? 'ASC') as 'ASC' | 'DESC';
        orderBy.push({ field: field.value.toLowerCase(), direction });
      } while (this.#takePunct(','));
    }
    const rest = this.#tokens[this.#position];
    if (rest !== undefined)
      throw new JqlError(`Error in the JQL Query: The character '${rest.value}' is unexpected.`);
    return { where, orderBy };
  }

  #or(): JqlNode {
    const nodes = [this.#and()];
    while (this.#isKeyword('or')) {
      this.#position += 1;
      nodes.push(this.#and());
    }
    return nodes.length === 1 ? (nodes[0] as JqlNode) : { kind: 'or', nodes };
  }

  #and(): JqlNode {
    const nodes = [this.#unary()];
    while (this.#isKeyword('and')) {
      this.#position += 1;
      nodes.push(this.#unary());
    }
    return nodes.length === 1 ? (nodes[0] as JqlNode) : { kind: 'and', nodes };
  }

  #unary(): JqlNode {
    if (this.#isKeyword('not')) {
      this.#position += 1;
      return { kind: 'not', node: this.#unary() };
    }
    if (this.#takePunct('(')) {
      const node = this.#or();
      if (!this.#takePunct(')')) throw new JqlError("Error in the JQL Query: Expecting ')'.");
      return node;
    }
    return this.#clause();
  }

  #clause(): JqlClause {
    const fieldToken = this.#next();
    if (fieldToken === undefined) throw new JqlError('Error in the JQL Query: Expecting a field name.');
    const field = fieldToken.value.toLowerCase();
    let operator: JqlOperator;
    const opToken = this.#next();
    if (opToken === undefined)
      throw new JqlError(`Error in the JQL Query: Expecting an operator after '${fieldToken.value}'.`);
    if (opToken.type === 'op') operator = opToken.value as JqlOperator;
    else if (opToken.type === 'word' && opToken.value.toLowerCase() === 'in') operator = 'in';
    else if (opToken.type === 'word' && opToken.value.toLowerCase() === 'is') {
      operator = 'is';
      if (this.#isKeyword('not')) {
        this.#position += 1;
        operator = 'is not';
      }
    } else if (opToken.type === 'word' && opToken.value.toLowerCase() === 'not' && this.#isKeyword('in')) {
      this.#position += 1;
      operator = 'not in';
    } else throw new JqlError(`Error in the JQL Query: The operator '${opToken.value}' is not supported.`);

    if (operator === 'in' || operator === 'not in') {
      if (!this.#takePunct('(')) throw new JqlError("Error in the JQL Query: Expecting '(' after IN.");
      const values: string[] = [];
      do {
        const value = this.#next();
        if (value === undefined || value.type === 'punct' || value.type === 'op')
          throw new JqlError('Error in the JQL Query: Expecting a value.');
        values.push(value.value);
      } while (this.#takePunct(','));
      if (!this.#takePunct(')')) throw new JqlError("Error in the JQL Query: Expecting ')'.");
      return { kind: 'clause', field, operator, values, quoted: false };
    }
    const value = this.#next();
    if (value === undefined || value.type === 'punct' || value.type === 'op') {
      throw new JqlError(
        `Error in the JQL Query: Expecting either a value, list or function but got '${value?.value ?? 'end of query'}'.`,
      );
    }
    // Functions such as now() are accepted with an empty argument list.
    let raw = value.value;
    if (value.type === 'word' && this.#tokens[this.#position]?.value === '(') {
      this.#position += 1;
      if (!this.#takePunct(')'))
        throw new JqlError('Error in the JQL Query: functions with arguments are not supported by the fake.');
      raw = `${raw}()`;
    }
    return { kind: 'clause', field, operator, values: [raw], quoted: value.type === 'string' };
  }

  #isKeyword(word: string): boolean {
    const token = this.#tokens[this.#position];
    return token?.type === 'word' && token.value.toLowerCase() === word;
  }

  #takePunct(punct: string): boolean {
    const token = this.#tokens[this.#position];
    if (token?.type === 'punct' && token.value === punct) {
      this.#position += 1;
      return true;
    }
    return false;
  }

  #next(): Token | undefined {
    const token = this.#tokens[this.#position];
    this.#position += 1;
    return token;
  }
}

export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parse();
}

export interface JqlFieldResolver<T> {
  /** Evaluates one clause against an item; throws JqlError for unknown fields or values. */
  clause(item: T, clause: JqlClause): boolean;
}

export function evaluateJql<T>(node: JqlNode | null, item: T, resolver: JqlFieldResolver<T>): boolean {
  if (node === null) return true;
  switch (node.kind) {
    case 'and':
      return node.nodes.every((child) => evaluateJql(child, item, resolver));
    case 'or':
      return node.nodes.some((child) => evaluateJql(child, item, resolver));
    case 'not':
      return !evaluateJql(node.node, item, resolver);
    default:
      return resolver.clause(item, node);
  }
}
