package dev.banter.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds statements and expressions from tokens with Jinja's grammar and operator precedence
 * (lowest first): {@code x if c else y}, {@code or}, {@code and}, {@code not}, comparisons and
 * {@code in}, {@code + -}, {@code ~}, {@code * / // %}, {@code **}, unary {@code - +}, then
 * attribute, item and call postfixes, filters ({@code |}) and tests ({@code is}).
 */
final class Parser {
  private static final Set<String> COMPARISONS = new HashSet<>(Arrays.asList("==", "!=", "<", "<=", ">", ">="));
  private static final Set<String> END_TAGS = new HashSet<>(Arrays.asList(
      "endfor", "endif", "else", "elif", "endset", "endmacro", "endcall", "endfilter", "endwith",
      "endgeneration", "endraw", "endblock"));
  private static final Set<String> LOADING_TAGS = new HashSet<>(Arrays.asList(
      "include", "import", "from", "extends", "block"));

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

  /** Parses a newline-normalized template source. */
  static Stmt[] parse(String normalized) {
    Parser parser = new Parser(Lexer.tokenize(normalized), normalized);
    List<Stmt> body = new ArrayList<>();
    parser.subparse(body, null, 0);
    return body.toArray(new Stmt[0]);
  }

  // ---------------------------------------------------------------- statements

  /**
   * Parses statements into {@code body} until a block tag named in {@code ends}; consumes that
   * tag's {@code {%} and name and returns the name. With no {@code ends}, parses to the end.
   */
  private String subparse(List<Stmt> body, String opener, int openerPos, String... ends) {
    while (true) {
      Token t = peek();
      switch (t.kind) {
        case TEXT:
          p++;
          body.add(new Stmt.Text(t.pos, t.text));
          break;
        case VAR_BEGIN: {
          p++;
          Expr e = parseTuple(true, false, false);
          expect(Token.Kind.VAR_END, "'}}'");
          body.add(new Stmt.Output(t.pos, e));
          break;
        }
        case BLOCK_BEGIN: {
          Token name = peek(1);
          if (name.kind != Token.Kind.NAME) {
            throw error(name, "expected a tag name after '{%', found " + name.describe());
          }
          for (String end : ends) {
            if (name.text.equals(end)) {
              p += 2;
              return end;
            }
          }
          if (ends.length > 0 && END_TAGS.contains(name.text)) {
            throw error(name, "unexpected '{% " + name.text + " %}': the innermost open block is the '" + opener
                + "' opened at line " + Renderer.lineColumn(source, openerPos)[0] + ", which expects "
                + expected(ends));
          }
          p += 2;
          statement(body, t, name);
          break;
        }
        case EOF:
          if (ends.length == 0) {
            return null;
          }
          throw error(t, "unexpected end of template: the '" + opener + "' block opened at line "
              + Renderer.lineColumn(source, openerPos)[0] + " is never closed; expected " + expected(ends));
        default:
          throw error(t, "unexpected " + t.describe());
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
    switch (name.text) {
      case "for":
        enterBlock(name);
        body.add(forStatement(open));
        blockDepth--;
        return;
      case "if":
        enterBlock(name);
        body.add(ifStatement(open));
        blockDepth--;
        return;
      case "set":
        enterBlock(name);
        body.add(setStatement(open));
        blockDepth--;
        return;
      case "macro":
        enterBlock(name);
        body.add(macroStatement(open));
        blockDepth--;
        return;
      case "call":
        enterBlock(name);
        body.add(callStatement(open));
        blockDepth--;
        return;
      case "filter":
        enterBlock(name);
        body.add(filterStatement(open));
        blockDepth--;
        return;
      case "with":
        enterBlock(name);
        body.add(withStatement(open));
        blockDepth--;
        return;
      case "generation":
        enterBlock(name);
        expect(Token.Kind.BLOCK_END, "'%}'");
        subparse(body, "generation", open.pos, "endgeneration");
        expect(Token.Kind.BLOCK_END, "'%}'");
        blockDepth--;
        return;
      case "break":
      case "continue":
        if (loopDepth == 0) {
          throw error(name, "'" + name.text + "' is only allowed inside a for loop");
        }
        expect(Token.Kind.BLOCK_END, "'%}'");
        body.add(name.text.equals("break") ? new Stmt.Break(open.pos) : new Stmt.Continue(open.pos));
        return;
      default:
        if (END_TAGS.contains(name.text)) {
          throw error(name, "unexpected '{% " + name.text + " %}': no open block expects it here");
        }
        if (LOADING_TAGS.contains(name.text)) {
          throw error(name, "'" + name.text + "' is not available: a chat template is a single file"
              + " and cannot load other templates");
        }
        throw error(name, "unknown tag '" + name.text + "'");
    }
  }

  private void enterBlock(Token name) {
    if (++blockDepth > Limits.MAX_BLOCK_DEPTH) {
      throw error(name, "blocks nest deeper than " + Limits.MAX_BLOCK_DEPTH + " levels");
    }
  }

  private Stmt forStatement(Token open) {
    Stmt.Target target = assignTarget(false, true);
    expectName("in");
    Expr iterable = parseTuple(false, false, true);
    Expr filter = null;
    if (skipName("if")) {
      filter = parseExpression();
    }
    boolean recursive = skipName("recursive");
    expect(Token.Kind.BLOCK_END, "'%}'");
    loopDepth++;
    List<Stmt> body = new ArrayList<>();
    String end = subparse(body, "for", open.pos, "endfor", "else");
    loopDepth--;
    List<Stmt> otherwise = new ArrayList<>();
    if (end.equals("else")) {
      expect(Token.Kind.BLOCK_END, "'%}'");
      subparse(otherwise, "for", open.pos, "endfor");
    }
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.For(open.pos, target, iterable, filter, toArray(body), toArray(otherwise), recursive);
  }

  private Stmt ifStatement(Token open) {
    List<Expr> tests = new ArrayList<>();
    List<Stmt[]> bodies = new ArrayList<>();
    tests.add(parseTuple(false, false, false));
    expect(Token.Kind.BLOCK_END, "'%}'");
    Stmt[] otherwise = new Stmt[0];
    while (true) {
      List<Stmt> body = new ArrayList<>();
      String end = subparse(body, "if", open.pos, "elif", "else", "endif");
      bodies.add(toArray(body));
      if (end.equals("elif")) {
        tests.add(parseTuple(false, false, false));
        expect(Token.Kind.BLOCK_END, "'%}'");
        continue;
      }
      expect(Token.Kind.BLOCK_END, "'%}'");
      if (end.equals("else")) {
        List<Stmt> rest = new ArrayList<>();
        subparse(rest, "if", open.pos, "endif");
        expect(Token.Kind.BLOCK_END, "'%}'");
        otherwise = toArray(rest);
      }
      break;
    }
    return new Stmt.If(open.pos, tests.toArray(new Expr[0]), bodies.toArray(new Stmt[0][]), otherwise);
  }

  private Stmt setStatement(Token open) {
    Stmt.Target target = assignTarget(true, false);
    if (skipOperator("=")) {
      Expr value = parseTuple(true, false, false);
      expect(Token.Kind.BLOCK_END, "'%}'");
      return new Stmt.Set(open.pos, target, value);
    }
    Stmt.FilterChain filters = peek().isOperator("|") ? filterChain(true) : null;
    expect(Token.Kind.BLOCK_END, "'=' or '%}'");
    int savedLoops = loopDepth;
    loopDepth = 0;
    List<Stmt> body = new ArrayList<>();
    subparse(body, "set", open.pos, "endset");
    loopDepth = savedLoops;
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.SetBlock(open.pos, target, toArray(body), filters);
  }

  private Stmt macroStatement(Token open) {
    Token name = next();
    if (name.kind != Token.Kind.NAME) {
      throw error(name, "expected a macro name, found " + name.describe());
    }
    List<String> parameters = new ArrayList<>();
    List<Expr> defaults = new ArrayList<>();
    signature(parameters, defaults);
    expect(Token.Kind.BLOCK_END, "'%}'");
    int savedLoops = loopDepth;
    loopDepth = 0;
    List<Stmt> body = new ArrayList<>();
    subparse(body, "macro", open.pos, "endmacro");
    loopDepth = savedLoops;
    if (peek().kind == Token.Kind.NAME && peek().text.equals(name.text)) {
      p++;
    }
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.Macro(open.pos, name.text, parameters.toArray(new String[0]), defaults.toArray(new Expr[0]),
        toArray(body));
  }

  private Stmt callStatement(Token open) {
    List<String> parameters = new ArrayList<>();
    List<Expr> defaults = new ArrayList<>();
    if (peek().isOperator("(")) {
      signature(parameters, defaults);
    }
    Token at = peek();
    Expr call = parseExpression();
    if (!(call instanceof Expr.Call)) {
      throw error(at, "a 'call' block needs a macro call such as {% call my_macro() %}");
    }
    expect(Token.Kind.BLOCK_END, "'%}'");
    int savedLoops = loopDepth;
    loopDepth = 0;
    List<Stmt> body = new ArrayList<>();
    subparse(body, "call", open.pos, "endcall");
    loopDepth = savedLoops;
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.CallBlock(open.pos, (Expr.Call) call, parameters.toArray(new String[0]),
        defaults.toArray(new Expr[0]), toArray(body));
  }

  private Stmt filterStatement(Token open) {
    Stmt.FilterChain filters = filterChain(false);
    expect(Token.Kind.BLOCK_END, "'%}'");
    int savedLoops = loopDepth;
    loopDepth = 0;
    List<Stmt> body = new ArrayList<>();
    subparse(body, "filter", open.pos, "endfilter");
    loopDepth = savedLoops;
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.FilterBlock(open.pos, filters, toArray(body));
  }

  private Stmt withStatement(Token open) {
    List<Stmt.Target> targets = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    while (peek().kind != Token.Kind.BLOCK_END) {
      if (!targets.isEmpty()) {
        expectOperator(",");
      }
      targets.add(assignTarget(false, false));
      expectOperator("=");
      values.add(parseExpression());
    }
    expect(Token.Kind.BLOCK_END, "'%}'");
    List<Stmt> body = new ArrayList<>();
    subparse(body, "with", open.pos, "endwith");
    expect(Token.Kind.BLOCK_END, "'%}'");
    return new Stmt.With(open.pos, targets.toArray(new Stmt.Target[0]), values.toArray(new Expr[0]), toArray(body));
  }

  /** {@code (a, b=1, ...)} of a macro or call block. */
  private void signature(List<String> parameters, List<Expr> defaults) {
    expectOperator("(");
    while (!peek().isOperator(")")) {
      if (!parameters.isEmpty()) {
        expectOperator(",");
        if (peek().isOperator(")")) {
          break;
        }
      }
      Token name = next();
      if (name.kind != Token.Kind.NAME) {
        throw error(name, "expected a parameter name, found " + name.describe());
      }
      if (parameters.contains(name.text)) {
        throw error(name, "duplicate parameter '" + name.text + "'");
      }
      parameters.add(name.text);
      if (skipOperator("=")) {
        defaults.add(parseExpression());
      } else {
        if (!defaults.isEmpty() && defaults.get(defaults.size() - 1) != null) {
          throw error(name, "non-default parameter '" + name.text + "' follows a parameter with a default");
        }
        defaults.add(null);
      }
    }
    expectOperator(")");
  }

  private Stmt.FilterChain filterChain(boolean leadingPipe) {
    List<Integer> positions = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Expr.ArgList> args = new ArrayList<>();
    boolean first = true;
    while (first ? !leadingPipe || skipOperator("|") : skipOperator("|")) {
      first = false;
      Token name = filterName();
      positions.add(name.pos);
      names.add(name.text);
      args.add(peek().isOperator("(") ? argList() : Expr.ArgList.EMPTY);
    }
    int[] at = new int[positions.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = positions.get(i);
    }
    return new Stmt.FilterChain(at, names.toArray(new String[0]), args.toArray(new Expr.ArgList[0]));
  }

  /** An assignment target: a name, names separated by commas, or {@code ns.attribute}. */
  private Stmt.Target assignTarget(boolean withNamespace, boolean forLoop) {
    if (withNamespace && peek().kind == Token.Kind.NAME && peek(1).isOperator(".")) {
      Token owner = next();
      p++;
      Token attribute = next();
      if (attribute.kind != Token.Kind.NAME) {
        throw error(attribute, "expected an attribute name, found " + attribute.describe());
      }
      return new Stmt.AttributeTarget(owner.text, attribute.text);
    }
    List<Stmt.Target> items = new ArrayList<>();
    boolean tuple = false;
    while (true) {
      if (!items.isEmpty()) {
        expectOperator(",");
      }
      Token t = peek();
      if (t.kind == Token.Kind.BLOCK_END || t.isOperator("=") || t.isOperator(")") || (forLoop && t.isName("in"))) {
        break;
      }
      items.add(targetPrimary());
      if (peek().isOperator(",")) {
        tuple = true;
      } else {
        break;
      }
    }
    if (items.isEmpty()) {
      throw error(peek(), "expected a variable name to assign to, found " + peek().describe());
    }
    return tuple ? new Stmt.TupleTarget(items.toArray(new Stmt.Target[0])) : items.get(0);
  }

  private Stmt.Target targetPrimary() {
    Token t = next();
    if (t.kind == Token.Kind.NAME) {
      switch (t.text) {
        case "true":
        case "false":
        case "none":
        case "True":
        case "False":
        case "None":
          throw error(t, "cannot assign to '" + t.text + "'");
        default:
          return new Stmt.NameTarget(t.text);
      }
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
   * @param forIterable whether the name {@code recursive} ends the list, as in a for tag
   */
  private Expr parseTuple(boolean condition, boolean parenthesized, boolean forIterable) {
    int start = peek().pos;
    List<Expr> items = new ArrayList<>();
    boolean tuple = false;
    while (true) {
      if (!items.isEmpty()) {
        expectOperator(",");
      }
      Token t = peek();
      if (t.kind == Token.Kind.VAR_END || t.kind == Token.Kind.BLOCK_END || t.kind == Token.Kind.EOF
          || t.isOperator(")") || (forIterable && t.isName("recursive"))) {
        break;
      }
      items.add(condition ? parseExpression() : withoutCondition());
      if (peek().isOperator(",")) {
        tuple = true;
      } else {
        break;
      }
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
      Expr otherwise = null;
      if (skipName("else")) {
        otherwise = parseExpression();
      }
      e = checked(new Expr.Conditional(at.pos, test, e, otherwise));
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
      e = checked(new Expr.Or(at.pos, e, parseAnd()));
    }
    return e;
  }

  private Expr parseAnd() {
    Expr e = parseNot();
    while (peek().isName("and")) {
      Token at = next();
      e = checked(new Expr.And(at.pos, e, parseNot()));
    }
    return e;
  }

  private Expr parseNot() {
    if (peek().isName("not")) {
      Token at = next();
      enter();
      Expr operand = parseNot();
      exprNesting--;
      return checked(new Expr.Not(at.pos, operand));
    }
    return parseCompare();
  }

  private Expr parseCompare() {
    Expr first = parseMath1();
    List<String> ops = new ArrayList<>();
    List<Expr> rest = new ArrayList<>();
    int pos = peek().pos;
    while (true) {
      Token t = peek();
      if (t.kind == Token.Kind.OPERATOR && COMPARISONS.contains(t.text)) {
        p++;
        ops.add(t.text);
      } else if (t.isName("in")) {
        p++;
        ops.add("in");
      } else if (t.isName("not") && peek(1).isName("in")) {
        p += 2;
        ops.add("not in");
      } else {
        break;
      }
      rest.add(parseMath1());
    }
    if (ops.isEmpty()) {
      return first;
    }
    return checked(new Expr.Compare(pos, first, ops.toArray(new String[0]), rest.toArray(new Expr[0])));
  }

  private Expr parseMath1() {
    Expr e = parseConcat();
    while (peek().isOperator("+") || peek().isOperator("-")) {
      Token op = next();
      e = checked(new Expr.Binary(op.pos, op.text, e, parseConcat()));
    }
    return e;
  }

  private Expr parseConcat() {
    Expr first = parseMath2();
    if (!peek().isOperator("~")) {
      return first;
    }
    int pos = peek().pos;
    List<Expr> parts = new ArrayList<>();
    parts.add(first);
    while (skipOperator("~")) {
      parts.add(parseMath2());
    }
    return checked(new Expr.Concat(pos, parts.toArray(new Expr[0])));
  }

  private Expr parseMath2() {
    Expr e = parsePow();
    while (peek().isOperator("*") || peek().isOperator("/") || peek().isOperator("//") || peek().isOperator("%")) {
      Token op = next();
      e = checked(new Expr.Binary(op.pos, op.text, e, parsePow()));
    }
    return e;
  }

  private Expr parsePow() {
    Expr e = parseUnary(true);
    while (peek().isOperator("**")) {
      Token op = next();
      e = checked(new Expr.Binary(op.pos, "**", e, parseUnary(true)));
    }
    return e;
  }

  private Expr parseUnary(boolean withFilters) {
    Token t = peek();
    Expr node;
    if (t.isOperator("-") || t.isOperator("+")) {
      p++;
      enter();
      Expr operand = parseUnary(false);
      exprNesting--;
      node = checked(new Expr.Unary(t.pos, t.text.equals("-"), operand));
    } else {
      node = parsePrimary();
    }
    node = parsePostfix(node);
    return withFilters ? parseFilters(node) : node;
  }

  private Expr parsePrimary() {
    Token t = next();
    switch (t.kind) {
      case NAME:
        switch (t.text) {
          case "true":
          case "True":
            return new Expr.Const(t.pos, Boolean.TRUE);
          case "false":
          case "False":
            return new Expr.Const(t.pos, Boolean.FALSE);
          case "none":
          case "None":
            return new Expr.Const(t.pos, null);
          default:
            return new Expr.Name(t.pos, t.text);
        }
      case STRING: {
        StringBuilder sb = new StringBuilder((String) t.value);
        while (peek().kind == Token.Kind.STRING) {
          sb.append((String) next().value);
        }
        return new Expr.Const(t.pos, sb.toString());
      }
      case INTEGER:
      case FLOAT:
        return new Expr.Const(t.pos, t.value);
      case OPERATOR:
        if (t.text.equals("(")) {
          enter();
          Expr inner = parseTuple(true, true, false);
          expectOperator(")");
          exprNesting--;
          return inner;
        }
        if (t.text.equals("[")) {
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
          return checked(new Expr.ListLiteral(t.pos, items.toArray(new Expr[0])));
        }
        if (t.text.equals("{")) {
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
          return checked(new Expr.DictLiteral(t.pos, keys.toArray(new Expr[0]), values.toArray(new Expr[0])));
        }
        throw error(t, "unexpected " + t.describe());
      default:
        throw error(t, "unexpected " + t.describe() + "; expected an expression");
    }
  }

  private Expr parsePostfix(Expr node) {
    while (true) {
      Token t = peek();
      if (t.isOperator(".")) {
        p++;
        Token attribute = next();
        if (attribute.kind == Token.Kind.NAME) {
          node = checked(new Expr.GetAttr(t.pos, node, attribute.text));
        } else if (attribute.kind == Token.Kind.INTEGER) {
          node = checked(new Expr.GetItem(t.pos, node, new Expr.Const(attribute.pos, attribute.value)));
        } else {
          throw error(attribute, "expected an attribute name after '.', found " + attribute.describe());
        }
      } else if (t.isOperator("[")) {
        p++;
        node = subscript(t, node);
      } else if (t.isOperator("(")) {
        node = checked(new Expr.Call(t.pos, node, argList()));
      } else {
        return node;
      }
    }
  }

  private Expr subscript(Token open, Expr node) {
    enter();
    List<Object> items = new ArrayList<>();
    while (!peek().isOperator("]")) {
      if (!items.isEmpty()) {
        expectOperator(",");
      }
      items.add(subscribed());
    }
    expectOperator("]");
    exprNesting--;
    if (items.isEmpty()) {
      throw error(open, "expected an index or slice inside '[]'");
    }
    if (items.size() == 1) {
      Object item = items.get(0);
      if (item instanceof Expr[]) {
        Expr[] slice = (Expr[]) item;
        return checked(new Expr.Slice(open.pos, node, slice[0], slice[1], slice[2]));
      }
      return checked(new Expr.GetItem(open.pos, node, (Expr) item));
    }
    Expr[] keys = new Expr[items.size()];
    for (int i = 0; i < keys.length; i++) {
      if (!(items.get(i) instanceof Expr)) {
        throw error(open, "a slice cannot be part of a tuple index");
      }
      keys[i] = (Expr) items.get(i);
    }
    return checked(new Expr.GetItem(open.pos, node, checked(new Expr.TupleLiteral(open.pos, keys))));
  }

  /** One subscript: an expression, or a slice as {@code Expr[] {start, stop, step}}. */
  private Object subscribed() {
    Expr start = null;
    if (!peek().isOperator(":")) {
      start = parseExpression();
      if (!peek().isOperator(":")) {
        return start;
      }
    }
    p++;
    Expr stop = null;
    if (!peek().isOperator("]") && !peek().isOperator(",") && !peek().isOperator(":")) {
      stop = parseExpression();
    }
    Expr step = null;
    if (skipOperator(":") && !peek().isOperator("]") && !peek().isOperator(",")) {
      step = parseExpression();
    }
    return new Expr[] {start, stop, step};
  }

  private Expr.ArgList argList() {
    p++;
    enter();
    List<Expr> positional = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Expr> keywords = new ArrayList<>();
    Expr star = null;
    Expr doubleStar = null;
    boolean first = true;
    while (!peek().isOperator(")")) {
      if (!first) {
        expectOperator(",");
        if (peek().isOperator(")")) {
          break;
        }
      }
      first = false;
      Token t = peek();
      if (t.isOperator("*")) {
        p++;
        if (star != null) {
          throw error(t, "only one *argument is allowed in a call");
        }
        star = parseExpression();
      } else if (t.isOperator("**")) {
        p++;
        if (doubleStar != null) {
          throw error(t, "only one **argument is allowed in a call");
        }
        doubleStar = parseExpression();
      } else if (t.kind == Token.Kind.NAME && peek(1).isOperator("=")) {
        p += 2;
        if (names.contains(t.text)) {
          throw error(t, "keyword argument '" + t.text + "' repeated");
        }
        names.add(t.text);
        keywords.add(parseExpression());
      } else {
        if (!names.isEmpty() || doubleStar != null) {
          throw error(t, "a positional argument cannot follow keyword arguments");
        }
        positional.add(parseExpression());
      }
    }
    expectOperator(")");
    exprNesting--;
    if (positional.isEmpty() && names.isEmpty() && star == null && doubleStar == null) {
      return Expr.ArgList.EMPTY;
    }
    return new Expr.ArgList(positional.toArray(new Expr[0]), names.toArray(new String[0]),
        keywords.toArray(new Expr[0]), star, doubleStar);
  }

  private Expr parseFilters(Expr node) {
    while (true) {
      Token t = peek();
      if (t.isOperator("|")) {
        p++;
        Token name = filterName();
        Expr.ArgList args = peek().isOperator("(") ? argList() : Expr.ArgList.EMPTY;
        node = checked(new Expr.Filter(name.pos, node, name.text, args));
      } else if (t.isName("is")) {
        p++;
        node = test(t, node);
      } else if (t.isOperator("(")) {
        node = checked(new Expr.Call(t.pos, node, argList()));
      } else {
        return node;
      }
    }
  }

  private Token filterName() {
    Token name = next();
    if (name.kind != Token.Kind.NAME) {
      throw error(name, "expected a filter name after '|', found " + name.describe());
    }
    if (!Filters.NAMES.contains(name.text)) {
      throw error(name, "no filter named '" + name.text + "'");
    }
    return name;
  }

  private Expr test(Token is, Expr operand) {
    boolean negated = skipName("not");
    Token name = next();
    if (name.kind != Token.Kind.NAME) {
      throw error(name, "expected a test name after 'is', found " + name.describe());
    }
    if (!Tests.NAMES.contains(name.text)) {
      throw error(name, "no test named '" + name.text + "'");
    }
    Expr.ArgList args = Expr.ArgList.EMPTY;
    Token t = peek();
    if (t.isOperator("(")) {
      args = argList();
    } else if ((t.kind == Token.Kind.NAME || t.kind == Token.Kind.STRING || t.kind == Token.Kind.INTEGER
        || t.kind == Token.Kind.FLOAT || t.isOperator("[") || t.isOperator("{"))
        && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
      if (t.isName("is")) {
        throw error(t, "tests cannot be chained with another 'is'");
      }
      Expr argument = parsePostfix(parsePrimary());
      args = new Expr.ArgList(new Expr[] {argument}, new String[0], new Expr[0], null, null);
    }
    return checked(new Expr.Test(is.pos, operand, name.text, args, negated));
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
    if (t.kind != kind) {
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
    return error(at.pos, message);
  }

  private TemplateSyntaxException error(int pos, String message) {
    int[] lc = Renderer.lineColumn(source, pos);
    return new TemplateSyntaxException("line " + lc[0] + ", column " + lc[1] + ": " + message, lc[0], lc[1]);
  }
}
