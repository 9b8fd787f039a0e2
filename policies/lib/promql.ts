// The package is an ES module with a CommonJS build behind its `require`
// condition; TypeScript's node16 resolution only sees its ESM typings, so the
// types come through a type query and the value through require.
type LezerPromql = typeof import("@prometheus-io/lezer-promql", { with: { "resolution-mode": "import" } });
const { parser } = require("@prometheus-io/lezer-promql") as LezerPromql;

/**
 * Parse errors in a PromQL expression, from Prometheus's own grammar (the
 * Lezer parser its UI uses); empty when the expression parses.
 */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  if (expr.trim() === "") return ["empty expression"];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}
