import { resourcePolicy } from "../lib/define";
import { asRecord, asString } from "../lib/props";
import { PROMETHEUS_RULE_TYPE, rulesOf } from "../lib/rules";

const SEVERITIES = ["critical", "warning", "info"];

export const alertsMustHaveSeverityAndSummary = resourcePolicy({
  name: "alerts-must-have-severity-and-summary",
  area: "monitoring",
  description: "Every alert has a severity label that routing understands and a summary annotation a person can act on.",
  remediation: "give the alert labels.severity (critical, warning or info) and annotations.summary",
  validate: (args, report) => {
    if (args.type !== PROMETHEUS_RULE_TYPE) return;
    for (const r of rulesOf(args.props)) {
      if (r.kind !== "alert") continue;
      const severity = asString(asRecord(r.rule.labels).severity);
      if (!severity || !SEVERITIES.includes(severity)) report(`alert ${r.name}: severity is ${severity ?? "missing"}`);
      if (!asString(asRecord(r.rule.annotations).summary)) report(`alert ${r.name}: no summary annotation`);
    }
  },
});
