import { PROJECT } from "../infra/catalogue/names";
import { RawStackConfig } from "../stacks/config/parse";
import { readStackFile } from "../stacks/offline/stack-file";

/**
 * A stack config like production's with `count` services: what the platform
 * looks like as the hive grows. Everything else stays as committed.
 */
export function stackWithServices(root: string, count: number): RawStackConfig {
  const raw = readStackFile(root, "production");
  const key = (k: string) => `${PROJECT}:${k}`;
  const base = (JSON.parse(raw.values[key("services")]) as Record<string, unknown>[])[0];
  const services = Array.from({ length: count }, (_, i) => ({
    ...base,
    name: i === 0 ? base.name : `worker-${i}`,
    replicas: 3,
    ...(i === 0 ? {} : { stableServiceName: undefined }),
  }));
  const namespace = JSON.parse(raw.values[key("namespace")]) as { quota: Record<string, unknown> };
  namespace.quota.pods = Math.max(Number(namespace.quota.pods), 2 * 3 * count);
  // The compute quotas grow with the services (the schema wants room for every pod twice, during a rollout).
  const scale = Math.max(1, count / 5);
  for (const q of ["requestsCpu", "requestsMemory", "limitsCpu", "limitsMemory"]) {
    const m = /^(\d+(?:\.\d+)?)(.*)$/.exec(String(namespace.quota[q] ?? ""));
    if (m) namespace.quota[q] = `${Math.ceil(Number(m[1]) * scale)}${m[2]}`;
  }
  namespace.quota.services = Math.max(Number(namespace.quota.services ?? 20), 4 * count);
  return {
    ...raw,
    stack: `bench-${count}`,
    values: { ...raw.values, [key("services")]: JSON.stringify(services), [key("namespace")]: JSON.stringify(namespace) },
  };
}
