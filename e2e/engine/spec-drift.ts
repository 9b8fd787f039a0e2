import { COMPUTED_MARK, SECRET_MARK } from "../../stacks/offline/redact";

/**
 * Where a live object differs from what the offline plan wrote for it,
 * server defaults aside: every field the plan sets must be in the live object
 * with the same value, and the live object may have more (defaults, status,
 * the server's own metadata). Lists match element by element and must be the
 * same length: the API server adds fields inside list elements, never elements.
 *
 * Values the plan cannot know are skipped: `[secret]` (redacted) and
 * `[computed]` (known only after create). Quantities compare by value, since
 * the API server rewrites them to canonical form (`0.5` becomes `500m`).
 */
export function specDrift(planned: unknown, live: unknown, at = ""): string[] {
  if (planned === SECRET_MARK || planned === COMPUTED_MARK) return [];
  if (Array.isArray(planned)) {
    if (!Array.isArray(live)) return [`${at}: planned a list of ${planned.length}, live has ${show(live)}`];
    if (live.length !== planned.length) return [`${at}: planned ${planned.length} elements, live has ${live.length}`];
    return planned.flatMap((p, i) => specDrift(p, live[i], `${at}[${i}]`));
  }
  if (isObject(planned)) {
    if (!isObject(live)) return [`${at}: planned an object, live has ${show(live)}`];
    return Object.entries(planned).flatMap(([k, v]) => specDrift(v, live[k], at ? `${at}.${k}` : k));
  }
  if (planned === live) return [];
  if (typeof planned === "string" && typeof live === "string" && sameQuantity(planned, live)) return [];
  // The API server keeps a whole number given as text in an int-or-string field as text, and the reverse.
  if ((typeof planned === "number" || typeof live === "number") && String(planned) === String(live)) return [];
  return [`${at}: planned ${show(planned)}, live has ${show(live)}`];
}

/**
 * The fields of a planned object the API server is asked to keep: everything
 * but status. A Secret's `stringData` is write-only (the server moves it into
 * `data`), so only its keys are compared, and only when the plan knows them.
 */
export function comparable(planned: Record<string, unknown>, live: Record<string, unknown>): [unknown, unknown] {
  const { status: _status, ...rest } = planned;
  if (planned.kind !== "Secret" || !isObject(rest.stringData)) return [rest, live];
  const { stringData, ...others } = rest;
  const keys = Object.fromEntries(Object.keys(stringData).map((k) => [k, "(present)"]));
  const liveData = isObject(live.data) ? live.data : {};
  const liveKeys = Object.fromEntries(Object.keys(liveData).map((k) => [k, "(present)"]));
  return [{ ...others, data: keys }, { ...live, data: liveKeys }];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? "nothing" : JSON.stringify(v));

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** A Kubernetes quantity's value, or undefined when the text is not one. */
export function quantityValue(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, number, suffix, exponent] = m;
  const scale = exponent !== undefined ? 10 ** Number(exponent) : suffix === undefined ? 1 : (BINARY[suffix] ?? DECIMAL[suffix]);
  return Number(number) * scale;
}

function sameQuantity(a: string, b: string): boolean {
  const x = quantityValue(a);
  const y = quantityValue(b);
  if (x === undefined || y === undefined) return false;
  return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}
