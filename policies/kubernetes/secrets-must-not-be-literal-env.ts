import { resourcePolicy } from "../lib/define";
import { asArray, asRecord } from "../lib/props";
import { workloadOf } from "../lib/workloads";

/** Names that hold credentials: the API key, tokens, passwords. */
const CREDENTIAL = /(API[_-]?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE[_-]?KEY)/i;

export const secretsMustNotBeLiteralEnv = resourcePolicy({
  name: "secrets-must-not-be-literal-env",
  area: "kubernetes-hardening",
  description: "A container's credentials (the API key, tokens, passwords) come from a Secret, never a literal env value written into the workload, its state and every diff.",
  remediation: "read the value with env[].valueFrom.secretKeyRef (the platform's API key is the agent-hive-api-key Secret)",
  validate: (args, report) => {
    const w = workloadOf(args.type, args.props);
    if (!w) return;
    for (const c of w.containers) {
      for (const e of asArray(c.env).map(asRecord)) {
        const name = String(e.name ?? "");
        if (CREDENTIAL.test(name) && e.value !== undefined && e.value !== "") report(`${w.kind} ${w.name}: container ${c.name} sets ${name} as a literal value`);
      }
    }
  },
});
