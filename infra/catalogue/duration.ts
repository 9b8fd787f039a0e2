/*
 * Durations, as Prometheus and Argo Rollouts write them: one or more whole
 * numbers each with a unit, such as `30s`, `5m` or `1h30m`. The config schema
 * checks every duration key against these patterns; the builders and the
 * release tools read them with `durationSeconds`, the one parser.
 */

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 } as const;
type Unit = keyof typeof UNIT_SECONDS;

/** A Prometheus duration (`for`, rate windows, Alertmanager's timers): units ms, s, m, h, d, w, y. */
export const PROMETHEUS_DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

/** An Argo Rollouts duration (Go's time.ParseDuration, whole units): ms, s, m, h. Every one is also a Prometheus duration. */
export const ARGO_DURATION = /^([0-9]+(ms|s|m|h))+$/;

/** Seconds in a duration ("1h30m" = 5400); throws on anything Prometheus would refuse. */
export function durationSeconds(duration: string): number {
  if (!PROMETHEUS_DURATION.test(duration)) {
    throw new Error(`"${duration}" is not a duration: use a number and a unit such as 30s, 5m or 1h30m`);
  }
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_SECONDS[unit as Unit];
  return total;
}
