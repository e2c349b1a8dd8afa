/**
 * Tokenizer of the filter language. A "bare" token is a run of letters, digits and `_ . : / -`:
 * a column name, keyword, number, IP address, CIDR range or unquoted word; the parser decides
 * which from where it stands. Strings are single- or double-quoted with backslash escapes.
 */
import { FilterSyntaxError } from './filter-error';

export type TokenKind = 'bare' | 'string' | 'operator' | 'lparen' | 'rparen' | 'comma' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token's meaning: string contents (escapes resolved), operator symbol, or the bare text. */
  text: string;
  /** 0-based offset of the token's first character in the expression. */
  position: number;
}

/** Longest expression accepted (a typed filter, not a data file). */
export const MAX_EXPRESSION_LENGTH = 10_000;

const OPERATORS = ['==', '!=', '<>', '<=', '>=', '&&', '||', '=', '<', '>', '!'] as const;
const BARE_CHAR = /[A-Za-z0-9_.:/-]/;
const TYPOGRAPHIC_QUOTES = '\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\uff02\uff07';

/** Splits an expression into tokens; the last is always `end`. Throws FilterSyntaxError. */
export function tokenize(expression: string): Token[] {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new FilterSyntaxError(
      `Expected at most ${MAX_EXPRESSION_LENGTH} characters in a filter expression, found ${expression.length}`,
      MAX_EXPRESSION_LENGTH,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const char = expression[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === "'" || char === '"') {
      const { text, end } = readString(expression, i);
      tokens.push({ kind: 'string', text, position: i });
      i = end;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char === '(' ? 'lparen' : char === ')' ? 'rparen' : 'comma', text: char, position: i });
      i++;
      continue;
    }
    const operator = OPERATORS.find((symbol) => expression.startsWith(symbol, i));
    if (operator) {
      tokens.push({ kind: 'operator', text: operator, position: i });
      i += operator.length;
      continue;
    }
    if (BARE_CHAR.test(char)) {
      let end = i + 1;
      while (end < expression.length && BARE_CHAR.test(expression[end]!)) end++;
      tokens.push({ kind: 'bare', text: expression.slice(i, end), position: i });
      i = end;
      continue;
    }
    throw new FilterSyntaxError(unexpectedCharacter(expression, i), i);
  }
  tokens.push({ kind: 'end', text: '', position: expression.length });
  return tokens;
}

function unexpectedCharacter(expression: string, index: number): string {
  const codePoint = expression.codePointAt(index)!;
  const shown = codePoint < 0x20 || codePoint === 0x7f ? `U+${codePoint.toString(16).padStart(4, '0').toUpperCase()}` : `'${String.fromCodePoint(codePoint)}'`;
  const hint = TYPOGRAPHIC_QUOTES.includes(expression[index]!) ? ` (strings use straight quotes ' or ")` : '';
  return `Unexpected character ${shown} at position ${index}${hint}`;
}

/** Reads a quoted string starting at `start`; `\x` escapes x (so \' \" \\). */
function readString(expression: string, start: number): { text: string; end: number } {
  const quote = expression[start]!;
  let text = '';
  let i = start + 1;
  while (i < expression.length) {
    const char = expression[i]!;
    if (char === '\\' && i + 1 < expression.length) {
      text += expression[i + 1]!;
      i += 2;
    } else if (char === quote) {
      return { text, end: i + 1 };
    } else {
      text += char;
      i++;
    }
  }
  throw new FilterSyntaxError(
    `Expected a closing ${quote} for the string at position ${start}, found end of input at position ${expression.length}`,
    start,
  );
}

/** How a token is shown in an error message: `'and'`, `')'` or `end of input`. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  if (token.kind === 'string') return `string ${JSON.stringify(token.text.length > 40 ? token.text.slice(0, 40) + '…' : token.text)}`;
  return `'${token.text.length > 40 ? token.text.slice(0, 40) + '…' : token.text}'`;
}
