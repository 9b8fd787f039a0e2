/**
 * Kubernetes resource quantities (`500m`, `2`, `512Mi`, `1.5Gi`, `1e3`),
 * parsed exactly so that the config can compare a request with a limit the
 * way the API server does: no floating point, `1Gi` is 1073741824 and `0.1`
 * is one tenth. A quantity is `mantissa × 10^exponent` with a whole mantissa.
 */

/** resource.Quantity's syntax: sign (only `+` is allowed in the config), number, then one suffix. */
export const QUANTITY_PATTERN = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$/;

/** Kubernetes caps a quantity at 2^63-1 (in its base unit) instead of refusing it. */
export const MAX_QUANTITY_TEXT = "9223372036854775807";

/** Decimal exponents beyond this are refused: no real quantity needs them, and they would cost memory to expand. */
const MAX_EXPONENT = 1000;

const BINARY_SUFFIX: Readonly<Record<string, bigint>> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export interface Quantity {
  readonly mantissa: bigint;
  readonly exponent: number;
}

/** The exact value of a quantity, or undefined when `text` is not one (or its exponent is beyond ±1000). */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY_PATTERN.exec(text);
  if (m === null) return undefined;
  const number = m[1];
  const suffix = m[3] ?? "";
  const [whole, fraction = ""] = number.split(".");
  let mantissa = BigInt(`${whole}${fraction}` || "0");
  let exponent = -fraction.length;
  if (suffix in BINARY_SUFFIX) mantissa *= BINARY_SUFFIX[suffix];
  else if (suffix in DECIMAL_SUFFIX) exponent += DECIMAL_SUFFIX[suffix];
  else if (suffix !== "") {
    const e = Number(suffix.slice(1));
    if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) return undefined;
    exponent += e;
  }
  return normalize({ mantissa, exponent });
}

/** Trailing zeros moved into the exponent, so equal values look alike. */
function normalize(q: Quantity): Quantity {
  if (q.mantissa === 0n) return { mantissa: 0n, exponent: 0 };
  let { mantissa, exponent } = q;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  return { mantissa, exponent };
}

const digits = (n: bigint) => n.toString().length;

/** -1, 0 or 1 as a is less than, equal to or greater than b. Exact. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  if (a.mantissa === 0n || b.mantissa === 0n) return a.mantissa === b.mantissa ? 0 : a.mantissa === 0n ? -1 : 1;
  // Orders of magnitude first: cheap, and keeps the alignment below small.
  const ma = digits(a.mantissa) + a.exponent;
  const mb = digits(b.mantissa) + b.exponent;
  if (ma !== mb) return ma < mb ? -1 : 1;
  const [x, y] = align(a, b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Both mantissas on the smaller exponent. */
function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const e = Math.min(a.exponent, b.exponent);
  return [a.mantissa * 10n ** BigInt(a.exponent - e), b.mantissa * 10n ** BigInt(b.exponent - e), e];
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const [x, y, exponent] = align(a, b);
  return normalize({ mantissa: x + y, exponent });
}

/** `q` times a whole number, such as a request times the replicas. */
export function scaleQuantity(q: Quantity, times: number): Quantity {
  if (!Number.isSafeInteger(times) || times < 0) throw new RangeError(`cannot scale a quantity by ${times}`);
  return normalize({ mantissa: q.mantissa * BigInt(times), exponent: q.exponent });
}

/**
 * A readable exact form: for memory the largest binary suffix that divides
 * the value; whole CPUs as digits; else `m` (millicores), else an exponent.
 */
export function formatQuantity(q: Quantity, unit: "cpu" | "memory" = "memory"): string {
  if (q.mantissa === 0n) return "0";
  if (q.exponent >= 0) {
    const n = q.mantissa * 10n ** BigInt(q.exponent);
    if (unit === "cpu") return n.toString();
    for (const [suffix, factor] of Object.entries(BINARY_SUFFIX).reverse()) {
      if (n % factor === 0n && n >= factor) return `${n / factor}${suffix}`;
    }
    return n.toString();
  }
  if (q.exponent >= -3) return `${q.mantissa * 10n ** BigInt(q.exponent + 3)}m`;
  return `${q.mantissa}e${q.exponent}`;
}
