/**
 * Names that are an external contract: the guide's workflows, scripts and
 * dashboards refer to them, and renaming a Kubernetes object replaces it.
 */

/** The Pulumi project name; config keys are `agent-hive-platform:<key>`. */
export const PROJECT = "agent-hive-platform";

/** The application's label value, as the guide's `kubectl logs -l app=agent-hive`. */
export const APP = "agent-hive";

/** Default namespace of an environment: `agent-hive-staging`, `agent-hive-production`. */
export function defaultNamespace(environment: string): string {
  return `${APP}-${environment}`;
}

/** Component type tokens: `agent-hive:<module>:<Type>`. */
export const componentType = (module: string, type: string): string => `agent-hive:${module}:${type}`;
