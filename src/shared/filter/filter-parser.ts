/**
 * Recursive-descent parser of Flowlab's quick-filter language over flow columns:
 *
 *   expression := or
 *   or         := and (('or' | '||') and)*
 *   and        := unary (('and' | '&&') unary)*
 *   unary      := ('not' | '!') unary | '(' expression ')' | predicate
 *   predicate  := column ( comparison value
 *                        | ['not'] 'in' ( '(' value (',' value)* ')' | value )
 *                        | ['not'] ('contains' | 'startswith' | 'endswith') value
 *                        | 'is' ['not'] 'null' )
 *   comparison := '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='
 *
 * Keywords and column names are case-insensitive. Errors say what was expected, what was found
 * and the 0-based character position: `Expected a value after '>' at position 15, found end of input`.
 */
import { DERIVED_COLUMNS } from '../derived-columns';
import { FLOW_COLUMNS } from '../flow-schema';
import type { ColumnRef, ComparisonOperator, FilterNode, FilterValue, TextOperator } from './filter-ast';
import { IP_COLUMNS } from './filter-ast';
import { FilterSyntaxError } from './filter-error';
import { describeToken, tokenize } from './filter-tokenizer';
import type { Token } from './filter-tokenizer';
import { RESERVED_WORDS, valueFor } from './filter-values';

/** Deepest nesting of parentheses and `not` accepted (hostile input must not blow the stack). */
export const MAX_NESTING = 64;
/** Most values in one `in (...)` list. */
export const MAX_IN_VALUES = 1000;

const COMPARISONS: Record<string, ComparisonOperator> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const TEXT_OPERATORS: readonly TextOperator[] = ['contains', 'startswith', 'endswith'];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Flow columns plus the joined ones (label, predictions): see derived-columns.ts.
const COLUMN_TYPES = new Map([...FLOW_COLUMNS, ...DERIVED_COLUMNS].map((column) => [column.name, column.type]));

/** Parses a quick-filter expression; an empty or blank expression is `null` (no filter). */
export function parseFilter(expression: string): FilterNode | null {
  const parser = new Parser(tokenize(expression));
  if (parser.peek().kind === 'end') return null;
  const tree = parser.expression(0);
  const next = parser.peek();
  if (next.kind !== 'end') {
    const hint = next.kind === 'rparen' ? " (no '(' is open)" : '';
    throw new FilterSyntaxError(`Expected 'and', 'or' or end of input at position ${next.position}, found ${describeToken(next)}${hint}`, next.position);
  }
  return tree;
}

/** Checks an expression: `{ ok: true }` or the error message and position. */
export function validateFilterExpression(expression: string): { ok: boolean; error?: string; position?: number } {
  try {
    parseFilter(expression);
    return { ok: true };
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { ok: false, error: error.message, position: error.position };
    throw error;
  }
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** True (and consumed) when the next token is the keyword `word` (or one of `symbols`). */
  private accept(word: string, symbols: readonly string[] = []): Token | undefined {
    const token = this.peek();
    const matches = (token.kind === 'bare' && token.text.toLowerCase() === word) || (token.kind === 'operator' && symbols.includes(token.text));
    return matches ? this.next() : undefined;
  }

  expression(depth: number): FilterNode {
    let left = this.conjunction(depth);
    for (let token = this.accept('or', ['||']); token; token = this.accept('or', ['||'])) {
      left = { kind: 'or', left, right: this.conjunction(depth), position: token.position };
    }
    return left;
  }

  private conjunction(depth: number): FilterNode {
    let left = this.unary(depth);
    for (let token = this.accept('and', ['&&']); token; token = this.accept('and', ['&&'])) {
      left = { kind: 'and', left, right: this.unary(depth), position: token.position };
    }
    return left;
  }

  private unary(depth: number): FilterNode {
    const start = this.peek();
    if (depth >= MAX_NESTING) {
      throw new FilterSyntaxError(`Expected at most ${MAX_NESTING} nested parentheses or 'not', found more at position ${start.position}`, start.position);
    }
    const not = this.accept('not', ['!']);
    if (not) return { kind: 'not', operand: this.unary(depth + 1), position: not.position };
    if (start.kind === 'lparen') {
      this.next();
      const inner = this.expression(depth + 1);
      const close = this.peek();
      if (close.kind !== 'rparen') {
        throw new FilterSyntaxError(
          `Expected ')' to close the '(' at position ${start.position}, found ${describeToken(close)} at position ${close.position}`,
          close.position,
        );
      }
      this.next();
      return inner;
    }
    return this.predicate();
  }

  private column(): ColumnRef {
    const token = this.peek();
    if (token.kind !== 'bare' || !IDENTIFIER.test(token.text) || RESERVED_WORDS.includes(token.text.toLowerCase())) {
      throw new FilterSyntaxError(`Expected a column name at position ${token.position}, found ${describeToken(token)}`, token.position);
    }
    const name = token.text.toLowerCase();
    const type = COLUMN_TYPES.get(name);
    if (!type) {
      const suggestion = closestColumn(name);
      throw new FilterSyntaxError(
        `Unknown column '${token.text}' at position ${token.position}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
        token.position,
      );
    }
    this.next();
    return { name, type, position: token.position };
  }

  private predicate(): FilterNode {
    const column = this.column();
    const position = column.position;
    const operatorToken = this.peek();
    const comparison = operatorToken.kind === 'operator' ? COMPARISONS[operatorToken.text] : undefined;
    if (comparison) {
      this.next();
      if (IP_COLUMNS.includes(column.name) && comparison !== '=' && comparison !== '!=') {
        throw new FilterSyntaxError(
          `Expected =, !=, in, contains, startswith or endswith for ${column.name} at position ${operatorToken.position}, found '${operatorToken.text}' (addresses have no order; use a CIDR range)`,
          operatorToken.position,
        );
      }
      return { kind: 'compare', column, operator: comparison, value: this.value(column, operatorToken, true), position };
    }
    if (this.accept('is')) {
      const negated = Boolean(this.accept('not'));
      const nullToken = this.peek();
      if (!this.accept('null')) {
        throw new FilterSyntaxError(`Expected 'null' at position ${nullToken.position}, found ${describeToken(nullToken)}`, nullToken.position);
      }
      return { kind: 'null', column, negated, position };
    }
    const negated = Boolean(this.accept('not'));
    const keyword = this.peek();
    const word = keyword.kind === 'bare' ? keyword.text.toLowerCase() : '';
    if (word === 'in') {
      this.next();
      return { kind: 'in', column, values: this.inValues(column, keyword), negated, position };
    }
    const textOperator = TEXT_OPERATORS.find((name) => name === word);
    if (textOperator) {
      this.next();
      if (column.type !== 'VARCHAR') {
        throw new FilterSyntaxError(
          `Expected a text column for '${textOperator}' at position ${column.position}, found ${column.name} (${column.type})`,
          column.position,
        );
      }
      const token = this.valueToken(keyword);
      const value: FilterValue = { kind: 'string', value: token.text, text: token.text, position: token.position };
      return { kind: 'text', column, operator: textOperator, value, negated, position };
    }
    const expected = negated ? "'in', 'contains', 'startswith' or 'endswith'" : 'an operator (=, !=, <, <=, >, >=, in, contains, startswith, endswith, is null)';
    throw new FilterSyntaxError(
      `Expected ${expected} after '${column.name}' at position ${keyword.position}, found ${describeToken(keyword)}`,
      keyword.position,
    );
  }

  private inValues(column: ColumnRef, inToken: Token): FilterValue[] {
    const open = this.peek();
    if (open.kind !== 'lparen') return [this.value(column, inToken, true)];
    this.next();
    const values: FilterValue[] = [];
    do {
      if (values.length >= MAX_IN_VALUES) {
        const token = this.peek();
        throw new FilterSyntaxError(`Expected at most ${MAX_IN_VALUES} values in 'in (...)', found more at position ${token.position}`, token.position);
      }
      values.push(this.value(column, values.length ? this.tokens[this.index - 1]! : open, true));
    } while (this.peek().kind === 'comma' && this.next());
    const close = this.peek();
    if (close.kind !== 'rparen') {
      throw new FilterSyntaxError(
        `Expected ',' or ')' to close the list at position ${close.position}, found ${describeToken(close)}`,
        close.position,
      );
    }
    this.next();
    return values;
  }

  /** Reads a value for `column`; `after` names the token the value should follow. */
  private value(column: ColumnRef, after: Token, allowRange: boolean): FilterValue {
    const value = valueFor(column, this.valueToken(after, false), allowRange);
    this.next();
    return value;
  }

  /** The next token when it can be a value (a string or a non-keyword word); consumed when `consume`. */
  private valueToken(after: Token, consume = true): Token {
    const token = this.peek();
    const isValueToken = token.kind === 'string' || (token.kind === 'bare' && !RESERVED_WORDS.filter((word) => word !== 'null').includes(token.text.toLowerCase()));
    if (!isValueToken) {
      throw new FilterSyntaxError(
        `Expected a value after '${after.text}' at position ${token.position}, found ${describeToken(token)}`,
        token.position,
      );
    }
    if (consume) this.next();
    return token;
  }
}

/** The flow column nearest to `name` by edit distance, when near enough to be a typo. */
function closestColumn(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const column of COLUMN_TYPES.keys()) {
    const distance = editDistance(name, column, bestDistance);
    if (distance < bestDistance) {
      best = column;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
