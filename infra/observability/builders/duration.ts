const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration ("1h30m" = 5400); throws on anything Prometheus would refuse. */
export function durationSeconds(duration: string): number {
  if (!PROM_DURATION.test(duration)) {
    throw new Error(`"${duration}" is not a Prometheus duration: use a number and a unit such as 30s, 5m or 1h30m`);
  }
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_SECONDS[unit];
  return total;
}
