// Like lezer-promql: an ES module with a CommonJS build behind its `require`
// condition; the types come through a type query, the value through require.
type LezerLogql = typeof import("@grafana/lezer-logql", { with: { "resolution-mode": "import" } });
const { parser } = require("@grafana/lezer-logql") as LezerLogql;

/**
 * Parse errors in a LogQL query, from Grafana's own grammar (the Lezer parser
 * its Loki query editor uses); empty when the query parses. Dashboard
 * variables (`$revision`) sit inside string literals, where any text parses.
 */
export function logqlErrors(expr: string): string[] {
  const errors: string[] = [];
  if (expr.trim() === "") return ["empty query"];
  const selectors: boolean[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
      if (node.name === "Selector") selectors.push(false);
      if (node.name === "Matcher" && selectors.length > 0 && !matchesEmpty(expr.slice(node.from, node.to))) selectors[selectors.length - 1] = true;
    },
  });
  // Loki refuses a stream selector whose every matcher can match the empty string (it would select every stream).
  if (errors.length === 0 && selectors.some((bounded) => !bounded)) {
    errors.push('a stream selector has no matcher that excludes the empty value (such as namespace="..."): Loki refuses to run it');
  }
  return errors;
}

const MATCHER = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)\s*$/;

/**
 * Whether a parsed matcher may match an empty label value, as Loki judges:
 * `!=` and `!~` always may; `=""` does; `=~` does when its regex matches "".
 * A value with a dashboard variable (`$revision`, whose "All" is `.*`) is
 * assumed to.
 */
function matchesEmpty(matcher: string): boolean {
  const m = MATCHER.exec(matcher);
  if (m === null) return true;
  const [, op, quoted] = m;
  let value: string;
  try {
    value = quoted.startsWith("`") ? quoted.slice(1, -1) : (JSON.parse(quoted) as string);
  } catch {
    return true;
  }
  // A dashboard variable ($name, ${name}, [[name]]), not a regex's end anchor.
  if (op === "!=" || op === "!~" || /\$\{?[A-Za-z_]|\[\[/.test(value)) return true;
  if (op === "=") return value === "";
  try {
    return new RegExp(`^(?:${value})$`).test("");
  } catch {
    return true;
  }
}
