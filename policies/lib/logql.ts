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
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}
