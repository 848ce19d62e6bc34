"""Polynomial text parser: tokenizer + recursive descent, exact rationals, no ``eval``.

The grammar is the one of msolve's input files (and of what python-flint and
Singular print), with a few harmless extensions::

    polynomials := sum (',' sum)*
    sum         := product (('+' | '-') product)*
    product     := unary (('*' | '/') unary)*
    unary       := ('+' | '-') unary | power
    power       := atom (('^' | '**') INTEGER)?
    atom        := INTEGER | NAME | '(' sum ')'

NAME is a letter or underscore followed by letters, digits or underscores (Unicode
letters included: ``α``, ``λ1``), optionally followed by integer subscripts in
brackets: ``x[0]``, ``w[1][2]`` (one name each, as sympy's ``Symbol('x[0]')``; the
subscripts are part of the name, not indexing).  Python keywords such as ``lambda``
are plain names.

python-flint contexts take ASCII names only: :func:`flint_names` escapes the others
(``α`` becomes ``\\u03b1``, so a python-flint polynomial prints ``\\u03b1^2 - 1``) and
:func:`user_names` reads a context's names back; every context grobnet creates
from user names goes through them.

Numbers are non-negative integer literals; a rational coefficient is written
as a quotient (``3/4*x^2``), and dividing by anything but a non-zero constant
is an error (the result would not be a polynomial).  Decimal literals are
rejected rather than rounded.  Every error is a :class:`PolynomialSyntaxError`
(a ``ValueError``) that names the problem and its line and column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import flint

__all__ = ["PolynomialSyntaxError", "Token", "tokenize", "parse_polynomial",
           "parse_polynomials", "names_in", "is_name", "check_variable_names", "flint_names",
           "user_names", "NAME_RULE", "MAX_EXPONENT"]

#: Largest exponent accepted after ``^`` (flint packs exponents in machine words).
MAX_EXPONENT = 2**31 - 1

_NAME = re.compile(r"[^\W\d]\w*(?:\[[0-9]+\])*")
#: What a variable name is, for error messages.
NAME_RULE = ("a letter or '_' followed by letters, digits or '_' (Unicode letters allowed, "
             "e.g. 'α', 'lambda'), optionally with integer subscripts such as 'x[0]' or "
             "'w[1][2]'")
_INT = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]*\.[0-9]*(?:[eE][+-]?[0-9]+)?")
_SPACE = re.compile(r"[ \t\r\f\v]+")


class PolynomialSyntaxError(ValueError):
    """Malformed polynomial text.  ``line`` and ``column`` are 1-based (or ``None``);
    ``source`` names the file when known; ``reason`` is the message without the position."""

    def __init__(self, message, line=None, column=None, source=None):
        self.line = line
        self.column = column
        self.reason = message
        self.source = source
        where = [] if source is None else [str(source)]
        if line is not None:
            where.append(f"line {line}")
            if column is not None:
                where.append(f"column {column}")
        super().__init__(", ".join(where) + ": " + message if where else message)


@dataclass(frozen=True)
class Token:
    """One lexical token: ``kind`` is 'int', 'name', an operator string, or 'eof'."""
    kind: str
    text: str
    line: int
    column: int


def tokenize(text, line=1, column=1):
    """Split ``text`` into :class:`Token` s; ``line``/``column`` locate its first character.

    Newlines are whitespace (a polynomial may span lines).  Unknown characters
    and decimal numbers raise :class:`PolynomialSyntaxError`.
    """
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, column, i = line + 1, 1, i + 1
            continue
        m = _SPACE.match(text, i)
        if m:
            column += m.end() - i
            i = m.end()
            continue
        if ch.isdigit():
            m = _INT.match(text, i)
            j = m.end()
            if j < n and text[j] == ".":
                literal = _DECIMAL.match(text, i).group()
                raise PolynomialSyntaxError(
                    f"decimal number '{literal}' is not allowed: write rationals "
                    "as quotients of integers (e.g. 3/10)", line, column)
            if j < n and (text[j].isalpha() or text[j] == "_"):
                raise PolynomialSyntaxError(
                    f"number followed by a name without '*' in '{text[i:j + 1]}'", line, column)
            tokens.append(Token("int", text[i:j], line, column))
        elif ch.isalpha() or ch == "_":
            m = _NAME.match(text, i)
            j = m.end()
            if j < n and text[j] == "[":
                close = text.find("]", j)
                what = (f"subscript '{text[j:close + 1]}'" if close > 0 else "unclosed '['")
                raise PolynomialSyntaxError(
                    f"{what} after '{text[i:j]}': a subscript is a non-negative integer in "
                    "brackets, as in x[0] or w[1][2]", line, column + (j - i))
            tokens.append(Token("name", text[i:j], line, column))
        elif text.startswith("**", i):
            j = i + 2
            tokens.append(Token("^", "**", line, column))
        elif ch in "[]":
            raise PolynomialSyntaxError(
                f"unexpected {ch!r}: brackets only belong to subscripted names such as x[0]",
                line, column)
        elif ch in "+-*/^(),":
            j = i + 1
            tokens.append(Token(ch, ch, line, column))
        elif ch == ".":
            if tokens and tokens[-1].kind == "name":
                raise PolynomialSyntaxError(
                    f"attribute access '{tokens[-1].text}.' is not allowed in a polynomial",
                    line, column)
            raise PolynomialSyntaxError(
                "decimal number is not allowed: write rationals as quotients of integers "
                "(e.g. 3/10)", line, column)
        else:
            raise PolynomialSyntaxError(f"unexpected character {ch!r}", line, column)
        column += j - i
        i = j
    tokens.append(Token("eof", "", line, column))
    return tokens


class _Parser:
    """Recursive-descent parser over a token list, building ``fmpq_mpoly`` values."""

    def __init__(self, tokens, ctx):
        self.tokens = tokens
        self.pos = 0
        self.ctx = ctx
        self.names = {name: k for k, name in enumerate(user_names(ctx.names()))}

    # -- helpers -----------------------------------------------------------
    def peek(self):
        return self.tokens[self.pos]

    def advance(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, message, tok=None):
        tok = tok or self.peek()
        return PolynomialSyntaxError(message, tok.line, tok.column)

    @staticmethod
    def describe(tok):
        return "end of input" if tok.kind == "eof" else f"'{tok.text}'"

    # -- grammar -----------------------------------------------------------
    def polynomials(self):
        polys = [self.polynomial(first=True)]
        while self.peek().kind == ",":
            comma = self.advance()
            if self.peek().kind == "eof":
                raise self.error("trailing comma: no polynomial after the last ','", comma)
            polys.append(self.polynomial())
        tok = self.peek()
        if tok.kind != "eof":
            raise self.error(f"expected ',' or an operator between polynomials, found "
                             f"{self.describe(tok)}")
        return polys

    def polynomial(self, first=False):
        tok = self.peek()
        if tok.kind in (",", "eof"):
            raise self.error("empty polynomial" + (" (no polynomial given)" if first and tok.kind == "eof" else ""))
        return self.sum()

    def sum(self):
        value = self.product()
        while self.peek().kind in ("+", "-"):
            op = self.advance().kind
            rhs = self.product()
            value = value + rhs if op == "+" else value - rhs
        return value

    def product(self):
        value = self.unary()
        while self.peek().kind in ("*", "/"):
            op_tok = self.advance()
            rhs_tok = self.peek()
            rhs = self.unary()
            if op_tok.kind == "*":
                value = value * rhs
            else:
                if not rhs.is_constant():
                    raise self.error("division by a non-constant: the result is not a polynomial",
                                     rhs_tok)
                c = rhs.leading_coefficient() if not rhs.is_zero() else flint.fmpq(0)
                if c == 0:
                    raise self.error("division by zero", rhs_tok)
                value = value * (1 / c)
        return value

    def unary(self):
        tok = self.peek()
        if tok.kind == "-":
            self.advance()
            return -self.unary()
        if tok.kind == "+":
            self.advance()
            return self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek().kind == "^":
            self.advance()
            tok = self.peek()
            if tok.kind == "-":
                raise self.error("negative exponent: the result is not a polynomial", tok)
            if tok.kind == "(":
                # accept x^(3), but only an integer inside
                self.advance()
                exp_tok = self.peek()
                if exp_tok.kind != "int":
                    raise self.error(f"exponent must be a non-negative integer, found "
                                     f"{self.describe(exp_tok)}", exp_tok)
                self.advance()
                if self.peek().kind != ")":
                    raise self.error(f"expected ')' after exponent, found {self.describe(self.peek())}")
                self.advance()
            elif tok.kind == "int":
                exp_tok = self.advance()
            else:
                raise self.error(f"exponent must be a non-negative integer, found "
                                 f"{self.describe(tok)}", tok)
            # fmpz, not int: Python refuses to convert strings of more than 4300 digits
            e = flint.fmpz(exp_tok.text)
            if e > MAX_EXPONENT:
                shown = exp_tok.text if len(exp_tok.text) <= 30 else f"with {len(exp_tok.text)} digits"
                raise self.error(f"exponent {shown} is too large (at most {MAX_EXPONENT})", exp_tok)
            e = int(e)
            base = base ** e
            if self.peek().kind == "^":
                raise self.error("ambiguous repeated exponent 'a^b^c': add parentheses")
        return base

    def atom(self):
        tok = self.peek()
        if tok.kind == "int":
            self.advance()
            # fmpz parses any length (int() refuses more than 4300 digits)
            return self.ctx.constant(flint.fmpq(flint.fmpz(tok.text)))
        if tok.kind == "name":
            self.advance()
            if self.peek().kind == "(":
                raise self.error(f"'{tok.text}(...)' is a function call: a polynomial is made of "
                                 "numbers, variables, + - * / ^ and parentheses", tok)
            k = self.names.get(tok.text)
            if k is None:
                declared = ", ".join(user_names(self.ctx.names()))
                if len(declared) > 200:
                    declared = declared[:200] + ", ..."
                raise self.error(f"unknown variable '{tok.text}' (declared variables: {declared})", tok)
            return self.ctx.gen(k)
        if tok.kind == "(":
            self.advance()
            if self.peek().kind == ")":
                raise self.error("empty parentheses '()'")
            value = self.sum()
            if self.peek().kind != ")":
                raise self.error(f"expected ')' to close the '(' at line {tok.line}, column "
                                 f"{tok.column}, found {self.describe(self.peek())}")
            self.advance()
            return value
        if tok.kind == "eof":
            raise self.error("unexpected end of input: a term is missing")
        if tok.kind == ",":
            raise self.error("empty polynomial or missing term before ','")
        raise self.error(f"unexpected {self.describe(tok)}: expected a number, a variable or '('")


def _context(ctx_or_names):
    if isinstance(ctx_or_names, flint.fmpq_mpoly_ctx):
        return ctx_or_names
    return flint.fmpq_mpoly_ctx.get(flint_names(ctx_or_names), "degrevlex")


def parse_polynomials(text, ctx, line=1, column=1):
    """Parse comma-separated polynomials in ``text`` into a list of ``fmpq_mpoly`` over ``ctx``.

    ``ctx`` is an ``fmpq_mpoly_ctx`` or a sequence of variable names (then a
    degrevlex context is used).  ``line``/``column`` give the position of the
    first character of ``text`` in its file, for error messages.
    """
    ctx = _context(ctx)
    return _Parser(tokenize(text, line, column), ctx).polynomials()


def is_name(text) -> bool:
    """Whether ``text`` is a variable name of this grammar."""
    return isinstance(text, str) and _NAME.fullmatch(text) is not None


def flint_names(names) -> tuple:
    """The names for a python-flint context of the variables ``names``: ASCII names as
    they are, others with their non-ASCII characters escaped (``α`` -> ``\\u03b1``).

    python-flint encodes names as ASCII.  The escape is undone by :func:`user_names`;
    a name that contains a backslash itself is refused (it would not round-trip).
    """
    out = []
    for name in names:
        if "\\" in name:
            raise ValueError(f"variable name {name!r} contains a backslash; a variable name "
                             f"is {NAME_RULE}")
        out.append(name.encode("ascii", "backslashreplace").decode("ascii"))
    return tuple(out)


def user_names(names) -> tuple:
    """The variable names behind the names of a python-flint context (see
    :func:`flint_names`)."""
    return tuple(n.encode("ascii").decode("unicode_escape") if "\\" in n else n
                 for n in names)


def check_variable_names(variables):
    """Return ``variables`` as a tuple of str after checking they are distinct identifiers."""
    if isinstance(variables, str):
        raise TypeError("variables must be a sequence of names, not a single string "
                        f"{variables!r}")
    names = tuple(variables)
    if not names:
        raise ValueError("a polynomial system needs at least one variable")
    seen = set()
    for v in names:
        if not isinstance(v, str):
            raise TypeError(f"variable name {v!r} is not a string")
        if not is_name(v):
            raise ValueError(f"variable name {v!r} is not valid: a variable name is {NAME_RULE}")
        if v in seen:
            raise ValueError(f"variable name {v!r} appears twice")
        seen.add(v)
    return names


def names_in(text) -> list:
    """The variable names used in ``text``, in order of first appearance (syntax errors of
    the tokenizer are raised as :class:`PolynomialSyntaxError`)."""
    seen = {}
    for tok in tokenize(text):
        if tok.kind == "name":
            seen.setdefault(tok.text, None)
    return list(seen)


def parse_polynomial(text, ctx, line=1, column=1):
    """Parse a single polynomial (no top-level commas) into an ``fmpq_mpoly``."""
    polys = parse_polynomials(text, ctx, line, column)
    if len(polys) != 1:
        raise PolynomialSyntaxError(f"expected one polynomial, found {len(polys)}", line, column)
    return polys[0]
