import type { RuleProblem } from "./rules";

/**
 * The committed stack files name hosts under `.example` (RFC 2606 reserves it for
 * documentation) where each deployment has its own: the API server GitHub's runners reach,
 * written into the deployer kubeconfig. The offline plan, policy, diff and golden files work
 * with them; a real `pulumi preview` or `up` would write a kubeconfig nobody can use, or
 * query a Prometheus that is not there. So a real deployment (stacks/config/load.ts, mode
 * "deploy") refuses, naming the key, the value and the command that sets the real one:
 * - every http(s) URL in the stack config whose host is a `.example` name (today
 *   kubernetes.apiServer, delivery.analysis.prometheusAddress, observability.runbookBaseUrl,
 *   and any URL-valued key added later, wherever it is);
 * - kubernetes.context when it is itself a `.example` host name (a context named after the
 *   placeholder API server).
 * Not secret keys: their values never reach this check (parse.ts keeps them out of the input).
 */
export function placeholderRules(input: Readonly<Record<string, unknown>>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const walk = (value: unknown, path: PropertyKey[]): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    else if (typeof value === "string" && isPlaceholder(value, path)) problems.push({ path, problem: placeholderProblem(path) });
  };
  walk(input, []);
  return problems;
}

const isExampleHost = (host: string): boolean => /(^|\.)example\.?$/i.test(host);
const isContext = (path: readonly PropertyKey[]): boolean => path.length === 2 && path[0] === "kubernetes" && path[1] === "context";

function isPlaceholder(value: string, path: readonly PropertyKey[]): boolean {
  if (isContext(path)) return isExampleHost(value.trim());
  if (!/^https?:\/\//i.test(value.trim())) return false;
  try {
    return isExampleHost(new URL(value.trim()).hostname);
  } catch {
    return false; // not a URL: the schema says what is wrong with it
  }
}

/** What to set instead, by key; any other URL-valued key gets the generic hint. */
const REAL_VALUE: Readonly<Record<string, string>> = {
  "kubernetes.apiServer": "https://<your API server>",
  "kubernetes.context": "<your kubeconfig context>",
  "delivery.analysis.prometheusAddress": "http://<your Prometheus>:9090",
  "observability.runbookBaseUrl": "https://<your runbooks>/",
};

function placeholderProblem(path: readonly PropertyKey[]): string {
  const key = path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
  const real = REAL_VALUE[key] ?? "https://<the real host>";
  return `is a placeholder (.example is reserved for documentation), refused for a real deployment; run: pulumi config set --path ${key} ${real}`;
}
