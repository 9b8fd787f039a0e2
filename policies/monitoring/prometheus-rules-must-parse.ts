import { resourcePolicy } from "../lib/define";
import { promqlErrors } from "../lib/promql";
import { PROMETHEUS_RULE_TYPE, rulesOf } from "../lib/rules";

export const prometheusRulesMustParse = resourcePolicy({
  name: "prometheus-rules-must-parse",
  area: "monitoring",
  description: "Every alerting and recording rule expression is valid PromQL; the operator would load a broken rule file and the alert would never fire.",
  remediation: "fix the expression (the catalogue in infra/catalogue/metrics.ts builds them) and check it with promtool check rules",
  validate: (args, report) => {
    if (args.type !== PROMETHEUS_RULE_TYPE) return;
    for (const r of rulesOf(args.props)) {
      for (const e of promqlErrors(r.expr)) report(`${r.kind} ${r.name} in group ${r.group}: ${e}`);
    }
  },
});
