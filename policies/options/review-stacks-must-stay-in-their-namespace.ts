import { stackPolicy } from "../lib/define";
import { stackOf } from "../lib/identity";
import { asString, at, kindOf } from "../lib/props";

interface ReviewConfig {
  /** Stacks that are review environments, by name (the engine's: a stack file cannot change it). */
  readonly stackPattern: string;
  /** A review stack's namespace is this prefix and its stack name: agent-hive-review-7. */
  readonly namespacePrefix: string;
  /** Namespaces no review stack may name anywhere: the long-lived environments'. */
  readonly forbiddenNamespaces: readonly string[];
}

const DEFAULTS: ReviewConfig = { stackPattern: "^review-[0-9]+$", namespacePrefix: "agent-hive-", forbiddenNamespaces: ["agent-hive-staging", "agent-hive-production"] };

/** Every string inside a value, with its path: a namespace can be named in a selector or an env var as well as in metadata. */
function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* strings(v, path ? `${path}.${k}` : k);
}

export const reviewStacksMustStayInTheirNamespace = stackPolicy<ReviewConfig>({
  name: "review-stacks-must-stay-in-their-namespace",
  area: "pulumi-options",
  description:
    "A review stack (one per pull request) owns one namespace of its own and touches nothing else: every Kubernetes object is in that namespace, none names a long-lived environment's namespace, and nothing is protected, so closing the pull request removes all of it.",
  remediation: "make review stacks from stacks/review/template.yaml (npm run review -- stack --pr <n>): namespace agent-hive-review-<n>, namespace.protect false",
  config: {
    schema: {
      properties: {
        stackPattern: { type: "string", default: DEFAULTS.stackPattern },
        namespacePrefix: { type: "string", default: DEFAULTS.namespacePrefix },
        forbiddenNamespaces: { type: "array", items: { type: "string" }, default: [...DEFAULTS.forbiddenNamespaces] },
      },
    },
    defaults: DEFAULTS,
  },
  validate: (args, report, config) => {
    const stack = stackOf(args.resources[0]?.urn ?? "");
    if (stack === undefined || !new RegExp(config.stackPattern).test(stack)) return;
    const own = `${config.namespacePrefix}${stack}`;
    for (const r of args.resources) {
      const what = `${kindOf(r.type) ?? r.type} ${asString(at(r.props, "metadata", "name")) ?? r.name}`;
      if (r.opts.protect) report(`review stack ${stack}: ${what} is protected; a review stack must be destroyable when its pull request closes`, r.urn);
      if (!r.type.startsWith("kubernetes:") || r.type.startsWith("kubernetes:helm")) continue;
      const name = asString(at(r.props, "metadata", "name"));
      const namespace = asString(at(r.props, "metadata", "namespace"));
      if (kindOf(r.type) === "Namespace") {
        if (name !== own) report(`review stack ${stack}: creates Namespace ${name}, not its own ${own}`, r.urn);
      } else if (namespace !== own) {
        report(`review stack ${stack}: ${what} is ${namespace === undefined ? "cluster-wide or in the default namespace" : `in namespace ${namespace}`}, not in its own ${own}`, r.urn);
      }
      for (const [path, value] of strings(r.props, "")) {
        if (config.forbiddenNamespaces.includes(value)) report(`review stack ${stack}: ${what} names ${value} (${path}), a long-lived environment's namespace`, r.urn);
      }
    }
  },
});
