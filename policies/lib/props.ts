/** Safe reads over untyped resource properties, as policies receive them. */
export type Props = Record<string, unknown>;

export function at(value: unknown, ...path: (string | number)[]): unknown {
  let cur = value;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asRecord(value: unknown): Props {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : {};
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The Kubernetes kind of a `kubernetes:<group>/<version>:<Kind>` type token. */
export function kindOf(type: string): string | undefined {
  const m = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(type);
  return m ? m[2] : undefined;
}

export function apiVersionOf(type: string): string | undefined {
  const m = /^kubernetes:([^:]+):[A-Za-z]+$/.exec(type);
  if (!m) return undefined;
  return m[1].startsWith("core/") ? m[1].slice("core/".length) : m[1];
}
