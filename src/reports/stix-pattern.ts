// A recogniser for the STIX 2.1 patterning language (STIX 2.1 §9, the OASIS ANTLR grammar
// STIXPattern.g4), so the patterns fanzha writes are checked against the grammar in tests and
// before export, not only by eye. It accepts exactly the grammar's sentences: observation
// expressions joined by AND / OR / FOLLOWEDBY with WITHIN / REPEATS / START…STOP qualifiers, and
// comparison expressions over object paths with =, !=, <, >, <=, >=, IN, LIKE, MATCHES,
// ISSUBSET, ISSUPERSET, EXISTS and NOT. No npm package maintains a STIX pattern parser.

type Tok = { t: string; v: string };

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'FOLLOWEDBY',
  'LIKE',
  'MATCHES',
  'ISSUPERSET',
  'ISSUBSET',
  'EXISTS',
  'LAST',
  'IN',
  'START',
  'STOP',
  'SECONDS',
  'TRUE',
  'FALSE',
  'WITHIN',
  'REPEATS',
  'TIMES',
]);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= s.length) throw new Error('unterminated string');
        const d = s[j]!;
        if (d === '\\') {
          const e = s[j + 1];
          if (e !== "'" && e !== '\\') throw new Error('bad escape');
          v += e;
          j += 2;
        } else if (d === "'") break;
        else {
          v += d;
          j++;
        }
      }
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if (s.startsWith("t'", i)) {
      const m = /^t'(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)'/.exec(s.slice(i));
      if (!m) throw new Error('bad timestamp');
      out.push({ t: 'ts', v: m[1]! });
      i += m[0].length;
      continue;
    }
    if (s.startsWith("h'", i) || s.startsWith("b'", i)) {
      const m = s[i] === 'h' ? /^h'((?:[0-9a-fA-F]{2})*)'/.exec(s.slice(i)) : /^b'([A-Za-z0-9+/]*={0,2})'/.exec(s.slice(i));
      if (!m) throw new Error('bad binary literal');
      out.push({ t: 'bin', v: m[1]! });
      i += m[0].length;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (['!=', '<>', '<=', '>='].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('=<>[]():,.*'.includes(c)) {
      out.push({ t: c === '=' || c === '<' || c === '>' ? 'op' : c, v: c });
      i++;
      continue;
    }
    const num = /^[+-]?(?:\d+\.\d+|\d+)/.exec(s.slice(i));
    if (num && (c === '-' || c === '+' || /\d/.test(c))) {
      out.push({ t: num[0].includes('.') ? 'float' : 'int', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[a-zA-Z_][a-zA-Z0-9_-]*/.exec(s.slice(i));
    if (id) {
      out.push({ t: KEYWORDS.has(id[0]) ? id[0] : 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new Error(`unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}
  private peek(k = 0) {
    return this.toks[this.i + k]?.t;
  }
  private take(t: string): Tok {
    const tok = this.toks[this.i];
    if (tok?.t !== t) throw new Error(`expected ${t}, found ${tok ? tok.v : 'end'}`);
    this.i++;
    return tok;
  }
  private eat(t: string) {
    if (this.peek() === t) {
      this.i++;
      return true;
    }
    return false;
  }
  pattern() {
    this.observationExpressions();
    if (this.i !== this.toks.length) throw new Error(`unexpected ${this.toks[this.i]!.v}`);
  }
  private observationExpressions() {
    do this.obsOr();
    while (this.eat('FOLLOWEDBY'));
  }
  private obsOr() {
    do this.obsAnd();
    while (this.eat('OR'));
  }
  private obsAnd() {
    do this.observation();
    while (this.eat('AND'));
  }
  private observation() {
    if (this.eat('[')) {
      this.comparison();
      this.take(']');
    } else {
      this.take('(');
      this.observationExpressions();
      this.take(')');
    }
    this.qualifiers();
  }
  private qualifiers() {
    for (;;) {
      if (this.eat('WITHIN')) {
        if (!this.eat('int')) this.take('float');
        this.take('SECONDS');
      } else if (this.eat('REPEATS')) {
        this.take('int');
        this.take('TIMES');
      } else if (this.eat('START')) {
        this.take('ts');
        this.take('STOP');
        this.take('ts');
      } else return;
    }
  }
  private comparison() {
    do this.comparisonAnd();
    while (this.eat('OR'));
  }
  private comparisonAnd() {
    do this.propTest();
    while (this.eat('AND'));
  }
  private propTest() {
    if (this.eat('(')) {
      this.comparison();
      this.take(')');
      return;
    }
    if (this.eat('EXISTS')) {
      this.objectPath();
      return;
    }
    this.objectPath();
    this.eat('NOT');
    const t = this.peek();
    if (t === 'op') {
      this.i++;
      this.literal();
    } else if (t === 'IN') {
      this.i++;
      this.take('(');
      do this.literal();
      while (this.eat(','));
      this.take(')');
    } else if (t === 'LIKE' || t === 'MATCHES' || t === 'ISSUBSET' || t === 'ISSUPERSET') {
      this.i++;
      this.take('str');
    } else throw new Error(`expected a comparison operator, found ${this.toks[this.i]?.v ?? 'end'}`);
  }
  private literal() {
    const t = this.peek();
    if (t && ['str', 'int', 'float', 'ts', 'bin', 'TRUE', 'FALSE'].includes(t)) this.i++;
    else throw new Error(`expected a literal, found ${this.toks[this.i]?.v ?? 'end'}`);
  }
  private objectPath() {
    const type = this.take('id').v;
    if (!/^[a-z0-9][a-z0-9-]+[a-z0-9]$/.test(type) || type.includes('--')) throw new Error(`bad object type ${type}`);
    this.take(':');
    if (!this.eat('str')) {
      const first = this.take('id').v;
      if (first.includes('-')) throw new Error('a property name has no hyphen');
    }
    for (;;) {
      if (this.eat('.')) {
        if (!this.eat('str')) this.take('id');
      } else if (this.peek() === '[' && (this.peek(1) === 'int' || this.peek(1) === '*') && this.peek(2) === ']') {
        this.i += 3;
      } else return;
    }
  }
}

/** Null when `pattern` is a sentence of the STIX 2.1 patterning grammar, else the reason it is not. */
export function stixPatternError(pattern: string): string | null {
  try {
    new Parser(tokenize(pattern)).pattern();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A STIX string literal: backslash and quote escaped. */
export const stixString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
