import { Props, asArray, asRecord, asString, at } from "./props";

export const PROMETHEUS_RULE_TYPE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

export interface RuleRef {
  readonly group: string;
  readonly name: string;
  readonly kind: "alert" | "record";
  readonly expr: string;
  readonly rule: Props;
}

/** Every rule of a PrometheusRule's spec.groups, flattened. */
export function rulesOf(props: Props): RuleRef[] {
  return asArray(at(props, "spec", "groups")).flatMap((g) =>
    asArray(asRecord(g).rules).map((r) => {
      const rule = asRecord(r);
      const alert = asString(rule.alert);
      return {
        group: String(asRecord(g).name ?? ""),
        name: alert ?? String(rule.record ?? ""),
        kind: alert !== undefined ? ("alert" as const) : ("record" as const),
        expr: typeof rule.expr === "string" ? rule.expr : String(rule.expr ?? ""),
        rule,
      };
    }),
  );
}
