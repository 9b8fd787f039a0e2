import { resourcePolicy } from "../lib/define";
import { ENVIRONMENT_SECRET, REPOSITORY_SECRET } from "../lib/github";

// Where each kind keeps its secret value. The engine unwraps secrets before a
// policy sees them, so what a policy can check in both runs is that the
// resource declares the value a secret output, which keeps it encrypted in
// state and hidden in every diff.
const SECRET_FIELDS: Record<string, string[]> = {
  [ENVIRONMENT_SECRET]: ["value", "plaintextValue"],
  [REPOSITORY_SECRET]: ["value", "plaintextValue"],
  "kubernetes:core/v1:Secret": ["data", "stringData"],
};

export const secretsMustBeSecretOutputs = resourcePolicy({
  name: "secrets-must-be-secret-outputs",
  area: "github",
  description: "Secret-holding resources (GitHub environment and repository secrets, Kubernetes Secrets) declare their values as secret outputs, so no value is ever stored or shown in plain text.",
  remediation: "pass the value as a Pulumi secret and set additionalSecretOutputs on the resource (the platform's components do both)",
  validate: (args, report) => {
    const fields = SECRET_FIELDS[args.type];
    if (!fields) return;
    const present = fields.filter((f) => args.props[f] !== undefined);
    const missing = present.filter((f) => !args.opts.additionalSecretOutputs.includes(f));
    if (missing.length > 0) report(`${args.type.split(":").pop()} ${args.name}: ${missing.join(", ")} not declared as secret outputs`);
  },
});
