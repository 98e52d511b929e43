package dev.banter.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds statements and expressions from tokens with Jinja's grammar and operator precedence
 * (lowest first): {@code x if c else y}, {@code or}, {@code and}, {@code not}, one comparison or
 * {@code in}, {@code + -}, {@code ~}, {@code * %}, unary {@code -}, then attribute, item and call
 * postfixes, filters ({@code |}) and tests ({@code is}). Jinja syntax that chat templates do not use
 * fails here, naming what is not supported.
 */
final class Parser {
  private static final Set<String> COMPARISONS = names("==", "!=", "<", "<=", ">", ">=");
  private static final Set<String> END_TAGS = names(
      "endfor", "endif", "else", "elif", "endset", "endmacro", "endfilter", "endgeneration");
  private static final Set<String> UNSUPPORTED_TAGS = names("call", "with", "continue", "do", "autoescape");
  private static final Set<String> LOADING_TAGS = names("include", "import", "from", "extends", "block");

  private final List<Token> tokens;
  private final String source;
  private int p;
  private int blockDepth;
  private int exprNesting;
  private int loopDepth;

  private Parser(List<Token> tokens, String source) {
    this.tokens = tokens;
    this.source = source;
  }

  static Set<String> names(String... names) {
    return new HashSet<>(Arrays.asList(names));
  }

  /** Parses a newline-normalized template source. */
  static Stmt[] parse(String normalized) {
    Parser parser = new Parser(Lexer.tokenize(normalized), normalized);
    List<Stmt> body = new ArrayList<>();
    parser.subparse(body, null, 0);
    return toArray(body);
  }

  // ---------------------------------------------------------------- statements

  /**
   * Parses statements into {@code body} until a block tag named in {@code ends}; consumes that
   * tag's {@code {%} and name and returns the name. With no {@code ends}, parses to the end.
   */
  private String subparse(List<Stmt> body, String opener, int openerPos, String... ends) {
    if (ends.length > 0 && ++blockDepth > Limits.MAX_BLOCK_DEPTH) {
      throw error(openerPos, "blocks nest deeper than " + Limits.MAX_BLOCK_DEPTH + " levels");
    }
    while (true) {
      Token t = peek();
      switch (t.kind()) {
        case TEXT -> {
          p++;
          body.add(new Stmt.Text(t.pos(), t.text()));
        }
        case VAR_BEGIN -> {
          p++;
          Expr e = parseTuple(true, false);
          expect(Token.Kind.VAR_END, "'}}'");
          body.add(new Stmt.Output(t.pos(), e));
        }
        case BLOCK_BEGIN -> {
          Token name = peek(1);
          if (name.kind() != Token.Kind.NAME) {
            throw error(name, "expected a tag name after '{%', found " + name.describe());
          }
          for (String end : ends) {
            if (name.text().equals(end)) {
              p += 2;
              blockDepth--;
              return end;
            }
          }
          if (ends.length > 0 && END_TAGS.contains(name.text())) {
            throw error(name, "unexpected '{% " + name.text() + " %}': the innermost open block is the '" + opener
                + "' opened at line " + Renderer.lineColumn(source, openerPos)[0] + ", which expects "
                + expected(ends));
          }
          p += 2;
          statement(body, t, name);
        }
        case EOF -> {
          if (ends.length == 0) {
            return null;
          }
          throw error(t, "unexpected end of template: the '" + opener + "' block opened at line "
              + Renderer.lineColumn(source, openerPos)[0] + " is never closed; expected " + expected(ends));
        }
        default -> throw error(t, "unexpected " + t.describe());
      }
    }
  }

  private static String expected(String[] ends) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ends.length; i++) {
      if (i > 0) {
        sb.append(i == ends.length - 1 ? " or " : ", ");
      }
      sb.append("{% ").append(ends[i]).append(" %}");
    }
    return sb.toString();
  }

  private void statement(List<Stmt> body, Token open, Token name) {
    switch (name.text()) {
      case "for" -> body.add(forStatement(open));
      case "if" -> body.add(ifStatement(open));
      case "set" -> body.add(setStatement(open));
      case "macro" -> body.add(macroStatement(open));
      case "filter" -> body.add(filterStatement(open));
      case "generation" -> {
        // Hugging Face's marker of the assistant's text, for training masks; it renders its content.
        expect(Token.Kind.BLOCK_END, "'%}'");
        subparse(body, "generation", open.pos(), "endgeneration");
        expect(Token.Kind.BLOCK_END, "'%}'");
      }
      case "break" -> {
        if (loopDepth == 0) {
          throw error(name, "'break' is only allowed inside a for loop");
        }
        expect(Token.Kind.BLOCK_END, "'%}'");
        body.add(new Stmt.Break(open.pos()));
      }
      default -> {
        if (END_TAGS.contains(name.text())) {
          throw error(name, "unexpected '{% " + name.text() + " %}': no open block expects it here");
        }
        if (UNSUPPORTED_TAGS.contains(name.text())) {
          throw error(name, "the '" + name.text() + "' tag is not supported");
        }
        if (LOADING_TAGS.contains(name.text())) {
          throw error(name, "'" + name.text() + "' is not available: a chat template is a single file"
              + " and cannot load other templates");
        }
        throw error(name, "unknown tag '" + name.text() + "'");
      }
    }
  }

  private Stmt forStatement(Token open) {
    Stmt.Target target = assignTarget(false, true);
    expectName("in");
    Expr iterable = parseTuple(false, false);
    Expr filter = skipName("if") ? parseExpression() : null;
    if (peek().isName("recursive")) {
      throw error(peek(), "recursive for loops are not supported");
    }
    expect(Token.Kind.BLOCK_END, "'%}'");
    loopDepth++;
    List<Stmt> body = new ArrayList<>();
    String end = subparse(body, "for", open.pos(), "endfor", "else");
    loopDepth--;
    if (end.equals("else")) {
      throw error(tokens.get(p - 1), "'{% else %}' in a for loop is not supported");
    }
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.For(open.pos(), target, iterable, filter, toArray(body));
  }

  private Stmt ifStatement(Token open) {
    List<Expr> tests = new ArrayList<>();
    List<Stmt[]> bodies = new ArrayList<>();
    tests.add(parseTuple(false, false));
    expect(Token.Kind.BLOCK_END, "'%}'");
    String end;
    do {
      List<Stmt> body = new ArrayList<>();
      end = subparse(body, "if", open.pos(), "elif", "else", "endif");
      bodies.add(toArray(body));
      if (end.equals("elif")) {
        tests.add(parseTuple(false, false));
      }
      expect(Token.Kind.BLOCK_END, "'%}'");
    } while (end.equals("elif"));
    List<Stmt> otherwise = new ArrayList<>();
    if (end.equals("else")) {
      subparse(otherwise, "if", open.pos(), "endif");
      expect(Token.Kind.BLOCK_END, "'%}'");
    }
    return new Stmt.If(open.pos(), tests.toArray(new Expr[0]), bodies.toArray(new Stmt[0][]), toArray(otherwise));
  }

  private Stmt setStatement(Token open) {
    Stmt.Target target = assignTarget(true, false);
    if (skipOperator("=")) {
      Expr value = parseTuple(true, false);
      expect(Token.Kind.BLOCK_END, "'%}'");
      return new Stmt.Set(open.pos(), target, value);
    }
    if (peek().isOperator("|")) {
      throw error(peek(), "filters on a set block ({% set x | filter %}) are not supported");
    }
    expect(Token.Kind.BLOCK_END, "'=' or '%}'");
    Stmt[] body = innerBody("set", open, "endset");
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.SetBlock(open.pos(), target, body);
  }

  private Stmt macroStatement(Token open) {
    Token name = next();
    if (name.kind() != Token.Kind.NAME) {
      throw error(name, "expected a macro name, found " + name.describe());
    }
    List<String> parameters = new ArrayList<>();
    List<Expr> defaults = new ArrayList<>();
    expectOperator("(");
    while (!peek().isOperator(")")) {
      if (!parameters.isEmpty()) {
        expectOperator(",");
        if (peek().isOperator(")")) {
          break;
        }
      }
      Token parameter = next();
      if (parameter.kind() != Token.Kind.NAME) {
        throw error(parameter, "expected a parameter name, found " + parameter.describe());
      }
      if (parameters.contains(parameter.text())) {
        throw error(parameter, "duplicate parameter '" + parameter.text() + "'");
      }
      parameters.add(parameter.text());
      if (skipOperator("=")) {
        defaults.add(parseExpression());
      } else if (!defaults.isEmpty() && defaults.get(defaults.size() - 1) != null) {
        throw error(parameter, "non-default parameter '" + parameter.text() + "' follows a parameter with a default");
      } else {
        defaults.add(null);
      }
    }
    expectOperator(")");
    expect(Token.Kind.BLOCK_END, "'%}'");
    Stmt[] body = innerBody("macro", open, "endmacro");
    if (peek().isName(name.text())) {
      p++;
    }
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.Macro(open.pos(), name.text(), parameters.toArray(new String[0]), defaults.toArray(new Expr[0]),
        body);
  }

  private Stmt filterStatement(Token open) {
    List<Integer> positions = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Expr.ArgList> args = new ArrayList<>();
    do {
      Token name = filterName();
      positions.add(name.pos());
      names.add(name.text());
      args.add(peek().isOperator("(") ? argList() : Expr.ArgList.EMPTY);
    } while (skipOperator("|"));
    expect(Token.Kind.BLOCK_END, "'%}'");
    int[] at = new int[positions.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = positions.get(i);
    }
    Stmt[] body = innerBody("filter", open, "endfilter");
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.FilterBlock(open.pos(), at, names.toArray(new String[0]), args.toArray(new Expr.ArgList[0]), body);
  }

  /** The body of a set, macro or filter block, where a {@code break} cannot reach an outer loop. */
  private Stmt[] innerBody(String opener, Token open, String end) {
    int savedLoops = loopDepth;
    loopDepth = 0;
    List<Stmt> body = new ArrayList<>();
    subparse(body, opener, open.pos(), end);
    loopDepth = savedLoops;
    return toArray(body);
  }

  /** An assignment target: a name, names separated by commas, or {@code ns.attribute}. */
  private Stmt.Target assignTarget(boolean withNamespace, boolean forLoop) {
    if (withNamespace && peek().kind() == Token.Kind.NAME && peek(1).isOperator(".")) {
      Token owner = next();
      p++;
      Token attribute = next();
      if (attribute.kind() != Token.Kind.NAME) {
        throw error(attribute, "expected an attribute name, found " + attribute.describe());
      }
      return new Stmt.AttributeTarget(owner.text(), attribute.text());
    }
    List<Stmt.Target> items = new ArrayList<>();
    boolean tuple = false;
    while (true) {
      if (!items.isEmpty()) {
        expectOperator(",");
      }
      Token t = peek();
      if (t.kind() == Token.Kind.BLOCK_END || t.isOperator("=") || t.isOperator(")") || (forLoop && t.isName("in"))) {
        break;
      }
      items.add(targetPrimary());
      if (!peek().isOperator(",")) {
        break;
      }
      tuple = true;
    }
    if (items.isEmpty()) {
      throw error(peek(), "expected a variable name to assign to, found " + peek().describe());
    }
    return tuple ? new Stmt.TupleTarget(items.toArray(new Stmt.Target[0])) : items.get(0);
  }

  private Stmt.Target targetPrimary() {
    Token t = next();
    if (t.kind() == Token.Kind.NAME) {
      return switch (t.text()) {
        case "true", "false", "none", "True", "False", "None" -> throw error(t, "cannot assign to '" + t.text() + "'");
        default -> new Stmt.NameTarget(t.text());
      };
    }
    if (t.isOperator("(")) {
      Stmt.Target inner = assignTarget(false, false);
      expectOperator(")");
      return inner;
    }
    throw error(t, "cannot assign to " + t.describe());
  }

  // ---------------------------------------------------------------- expressions

  /**
   * Expressions separated by commas form a tuple; a single one stands alone.
   *
   * @param condition whether each item may be a conditional expression ({@code a if b else c})
   * @param parenthesized whether {@code ()} may be an empty tuple
   */
  private Expr parseTuple(boolean condition, boolean parenthesized) {
    int start = peek().pos();
    List<Expr> items = new ArrayList<>();
    boolean tuple = false;
    while (true) {
      if (!items.isEmpty()) {
        expectOperator(",");
      }
      Token t = peek();
      if (t.kind() == Token.Kind.VAR_END || t.kind() == Token.Kind.BLOCK_END || t.kind() == Token.Kind.EOF
          || t.isOperator(")")) {
        break;
      }
      items.add(condition ? parseExpression() : withoutCondition());
      if (!peek().isOperator(",")) {
        break;
      }
      tuple = true;
    }
    if (!tuple) {
      if (!items.isEmpty()) {
        return items.get(0);
      }
      if (!parenthesized) {
        throw error(peek(), "expected an expression, found " + peek().describe());
      }
    }
    return checked(new Expr.TupleLiteral(start, items.toArray(new Expr[0])));
  }

  private Expr withoutCondition() {
    enter();
    Expr e = parseOr();
    exprNesting--;
    return e;
  }

  private Expr parseExpression() {
    enter();
    Expr e = parseOr();
    while (peek().isName("if")) {
      Token at = next();
      Expr test = parseOr();
      Expr otherwise = skipName("else") ? parseExpression() : null;
      e = checked(new Expr.Conditional(at.pos(), test, e, otherwise));
    }
    exprNesting--;
    return e;
  }

  private void enter() {
    if (++exprNesting > Limits.MAX_EXPR_DEPTH) {
      throw error(peek(), "expressions nest deeper than " + Limits.MAX_EXPR_DEPTH + " levels");
    }
  }

  private Expr checked(Expr e) {
    if (e.depth > Limits.MAX_EXPR_DEPTH) {
      throw error(e.pos, "expression is nested deeper than " + Limits.MAX_EXPR_DEPTH + " levels");
    }
    return e;
  }

  private Expr parseOr() {
    Expr e = parseAnd();
    while (peek().isName("or")) {
      Token at = next();
      e = checked(new Expr.ShortCircuit(at.pos(), false, e, parseAnd()));
    }
    return e;
  }

  private Expr parseAnd() {
    Expr e = parseNot();
    while (peek().isName("and")) {
      Token at = next();
      e = checked(new Expr.ShortCircuit(at.pos(), true, e, parseNot()));
    }
    return e;
  }

  private Expr parseNot() {
    if (peek().isName("not")) {
      Token at = next();
      enter();
      Expr operand = parseNot();
      exprNesting--;
      return checked(new Expr.Not(at.pos(), operand));
    }
    return parseCompare();
  }

  private Expr parseCompare() {
    Expr left = parseMath1();
    int pos = peek().pos();
    String op = comparison();
    if (op == null) {
      return left;
    }
    Expr right = parseMath1();
    if (comparison() != null) {
      throw error(pos, "chained comparisons such as a < b < c are not supported; join them with 'and'");
    }
    return checked(new Expr.Comparison(pos, op, left, right));
  }

  /** Consumes a comparison operator ({@code ==}, {@code in}, {@code not in}, ...) and returns it, or {@code null}. */
  private String comparison() {
    Token t = peek();
    if (t.kind() == Token.Kind.OPERATOR && COMPARISONS.contains(t.text())) {
      p++;
      return t.text();
    } else if (t.isName("in")) {
      p++;
      return "in";
    } else if (t.isName("not") && peek(1).isName("in")) {
      p += 2;
      return "not in";
    }
    return null;
  }

  private Expr parseMath1() {
    Expr e = parseConcat();
    while (peek().isOperator("+") || peek().isOperator("-")) {
      Token op = next();
      e = checked(new Expr.Binary(op.pos(), op.text(), e, parseConcat()));
    }
    return e;
  }

  private Expr parseConcat() {
    Expr first = parseMath2();
    if (!peek().isOperator("~")) {
      return first;
    }
    int pos = peek().pos();
    List<Expr> parts = new ArrayList<>();
    parts.add(first);
    while (skipOperator("~")) {
      parts.add(parseMath2());
    }
    return checked(new Expr.Concat(pos, parts.toArray(new Expr[0])));
  }

  private Expr parseMath2() {
    Expr e = parseUnary(true);
    while (true) {
      Token op = peek();
      if (op.isOperator("*") || op.isOperator("%")) {
        p++;
        e = checked(new Expr.Binary(op.pos(), op.text(), e, parseUnary(true)));
      } else if (op.isOperator("/") || op.isOperator("//") || op.isOperator("**")) {
        throw error(op, "the operator '" + op.text() + "' is not supported");
      } else {
        return e;
      }
    }
  }

  private Expr parseUnary(boolean withFilters) {
    Token t = peek();
    Expr node;
    if (t.isOperator("-")) {
      p++;
      enter();
      Expr operand = parseUnary(false);
      exprNesting--;
      node = checked(new Expr.Negate(t.pos(), operand));
    } else if (t.isOperator("+")) {
      throw error(t, "the unary operator '+' is not supported");
    } else {
      node = parsePrimary();
    }
    node = parsePostfix(node);
    return withFilters ? parseFilters(node) : node;
  }

  private Expr parsePrimary() {
    Token t = next();
    return switch (t.kind()) {
      case NAME -> switch (t.text()) {
        case "true", "True" -> new Expr.Const(t.pos(), Boolean.TRUE);
        case "false", "False" -> new Expr.Const(t.pos(), Boolean.FALSE);
        case "none", "None" -> new Expr.Const(t.pos(), null);
        default -> new Expr.Name(t.pos(), t.text());
      };
      case STRING -> {
        StringBuilder sb = new StringBuilder((String) t.value());
        while (peek().kind() == Token.Kind.STRING) {
          sb.append((String) next().value());
        }
        yield new Expr.Const(t.pos(), sb.toString());
      }
      case INTEGER -> new Expr.Const(t.pos(), t.value());
      case OPERATOR -> {
        if (t.text().equals("(")) {
          enter();
          Expr inner = parseTuple(true, true);
          expectOperator(")");
          exprNesting--;
          yield inner;
        }
        if (t.text().equals("[")) {
          enter();
          List<Expr> items = new ArrayList<>();
          while (!peek().isOperator("]")) {
            if (!items.isEmpty()) {
              expectOperator(",");
              if (peek().isOperator("]")) {
                break;
              }
            }
            items.add(parseExpression());
          }
          expectOperator("]");
          exprNesting--;
          yield checked(new Expr.ListLiteral(t.pos(), items.toArray(new Expr[0])));
        }
        if (t.text().equals("{")) {
          enter();
          List<Expr> keys = new ArrayList<>();
          List<Expr> values = new ArrayList<>();
          while (!peek().isOperator("}")) {
            if (!keys.isEmpty()) {
              expectOperator(",");
              if (peek().isOperator("}")) {
                break;
              }
            }
            keys.add(parseExpression());
            expectOperator(":");
            values.add(parseExpression());
          }
          expectOperator("}");
          exprNesting--;
          yield checked(new Expr.DictLiteral(t.pos(), keys.toArray(new Expr[0]), values.toArray(new Expr[0])));
        }
        throw error(t, "unexpected " + t.describe());
      }
      default -> throw error(t, "unexpected " + t.describe() + "; expected an expression");
    };
  }

  private Expr parsePostfix(Expr node) {
    while (true) {
      Token t = peek();
      if (t.isOperator(".")) {
        p++;
        Token attribute = next();
        if (attribute.kind() == Token.Kind.NAME) {
          node = checked(new Expr.GetAttr(t.pos(), node, attribute.text()));
        } else if (attribute.kind() == Token.Kind.INTEGER) {
          node = checked(new Expr.GetItem(t.pos(), node, new Expr.Const(attribute.pos(), attribute.value())));
        } else {
          throw error(attribute, "expected an attribute name after '.', found " + attribute.describe());
        }
      } else if (t.isOperator("[")) {
        p++;
        node = subscript(t, node);
      } else if (t.isOperator("(")) {
        node = checked(new Expr.Call(t.pos(), node, argList()));
      } else {
        return node;
      }
    }
  }

  /** {@code x[key]} or {@code x[start:stop:step]}. */
  private Expr subscript(Token open, Expr node) {
    enter();
    Expr start = peek().isOperator(":") ? null : parseExpression();
    Expr result;
    if (skipOperator(":")) {
      Expr stop = peek().isOperator("]") || peek().isOperator(":") ? null : parseExpression();
      Expr step = skipOperator(":") && !peek().isOperator("]") ? parseExpression() : null;
      result = new Expr.Slice(open.pos(), node, start, stop, step);
    } else {
      result = new Expr.GetItem(open.pos(), node, start);
    }
    if (peek().isOperator(",")) {
      throw error(peek(), "tuple subscripts such as x[a, b] are not supported");
    }
    expectOperator("]");
    exprNesting--;
    return checked(result);
  }

  private Expr.ArgList argList() {
    p++;
    enter();
    List<Expr> positional = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Expr> keywords = new ArrayList<>();
    while (!peek().isOperator(")")) {
      if (!positional.isEmpty() || !names.isEmpty()) {
        expectOperator(",");
        if (peek().isOperator(")")) {
          break;
        }
      }
      Token t = peek();
      if (t.isOperator("*") || t.isOperator("**")) {
        throw error(t, "'" + t.text() + "' arguments in a call are not supported");
      } else if (t.kind() == Token.Kind.NAME && peek(1).isOperator("=")) {
        p += 2;
        if (names.contains(t.text())) {
          throw error(t, "keyword argument '" + t.text() + "' repeated");
        }
        names.add(t.text());
        keywords.add(parseExpression());
      } else if (!names.isEmpty()) {
        throw error(t, "a positional argument cannot follow keyword arguments");
      } else {
        positional.add(parseExpression());
      }
    }
    expectOperator(")");
    exprNesting--;
    if (positional.isEmpty() && names.isEmpty()) {
      return Expr.ArgList.EMPTY;
    }
    return new Expr.ArgList(positional.toArray(new Expr[0]), names.toArray(new String[0]),
        keywords.toArray(new Expr[0]));
  }

  private Expr parseFilters(Expr node) {
    while (true) {
      Token t = peek();
      if (t.isOperator("|")) {
        p++;
        Token name = filterName();
        Expr.ArgList args = peek().isOperator("(") ? argList() : Expr.ArgList.EMPTY;
        node = checked(new Expr.Filter(name.pos(), node, name.text(), args));
      } else if (t.isName("is")) {
        p++;
        node = test(t, node);
      } else if (t.isOperator("(")) {
        node = checked(new Expr.Call(t.pos(), node, argList()));
      } else {
        return node;
      }
    }
  }

  private Token filterName() {
    Token name = next();
    if (name.kind() != Token.Kind.NAME) {
      throw error(name, "expected a filter name after '|', found " + name.describe());
    }
    if (!Filters.NAMES.contains(name.text())) {
      throw error(name, "the filter '" + name.text() + "' is not supported; the filters are "
          + String.join(", ", new TreeSet<>(Filters.NAMES)));
    }
    return name;
  }

  private Expr test(Token is, Expr operand) {
    boolean negated = skipName("not");
    Token name = next();
    if (name.kind() != Token.Kind.NAME) {
      throw error(name, "expected a test name after 'is', found " + name.describe());
    }
    if (!Tests.NAMES.contains(name.text())) {
      throw error(name, "the test '" + name.text() + "' is not supported; the tests are "
          + String.join(", ", new TreeSet<>(Tests.NAMES)));
    }
    Expr.ArgList args = Expr.ArgList.EMPTY;
    Token t = peek();
    if (t.isOperator("(")) {
      args = argList();
    } else if ((t.kind() == Token.Kind.NAME || t.kind() == Token.Kind.STRING || t.kind() == Token.Kind.INTEGER
        || t.isOperator("[") || t.isOperator("{")) && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
      if (t.isName("is")) {
        throw error(t, "tests cannot be chained with another 'is'");
      }
      Expr argument = parsePostfix(parsePrimary());
      args = new Expr.ArgList(new Expr[] {argument}, new String[0], new Expr[0]);
    }
    return checked(new Expr.Test(is.pos(), operand, name.text(), args, negated));
  }

  // ---------------------------------------------------------------- token helpers

  private Token peek() {
    return tokens.get(Math.min(p, tokens.size() - 1));
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(p + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = peek();
    if (p < tokens.size() - 1) {
      p++;
    }
    return t;
  }

  private void expect(Token.Kind kind, String what) {
    Token t = peek();
    if (t.kind() != kind) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
    p++;
  }

  private void expectOperator(String op) {
    Token t = peek();
    if (!t.isOperator(op)) {
      throw error(t, "expected '" + op + "', found " + t.describe());
    }
    p++;
  }

  private void expectName(String name) {
    Token t = peek();
    if (!t.isName(name)) {
      throw error(t, "expected '" + name + "', found " + t.describe());
    }
    p++;
  }

  private boolean skipName(String name) {
    if (peek().isName(name)) {
      p++;
      return true;
    }
    return false;
  }

  private boolean skipOperator(String op) {
    if (peek().isOperator(op)) {
      p++;
      return true;
    }
    return false;
  }

  private static Stmt[] toArray(List<Stmt> body) {
    return body.toArray(new Stmt[0]);
  }

  private TemplateSyntaxException error(Token at, String message) {
    return error(at.pos(), message);
  }

  private TemplateSyntaxException error(int pos, String message) {
    int[] lc = Renderer.lineColumn(source, pos);
    return new TemplateSyntaxException("line " + lc[0] + ", column " + lc[1] + ": " + message, lc[0], lc[1]);
  }
}
