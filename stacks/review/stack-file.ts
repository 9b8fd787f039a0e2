import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";

/** The template every review stack is made from (stacks/review/template.yaml). */
export const TEMPLATE = path.join(__dirname, "template.yaml");

/** A review stack's name: one per pull request. */
export const reviewStack = (pr: number): string => `review-${pr}`;
export const REVIEW_STACK = /^review-([1-9][0-9]*)$/;

export interface ReviewTemplate {
  /** Hours after its last update that a review stack is destroyed, its pull request open or not. */
  readonly ttlHours: number;
  /** The stack file's text for this pull request. */
  readonly stackFile: (pr: number) => string;
}

/**
 * Reads the template: `review.ttlHours` and the `config:` section, whose
 * `{{pr}}` placeholders become the pull request's number. Refuses a template
 * without them, so a review stack cannot quietly share a namespace.
 */
export function readTemplate(text: string = fs.readFileSync(TEMPLATE, "utf8")): ReviewTemplate {
  const doc = parse(text) as { review?: { ttlHours?: unknown }; config?: Record<string, unknown> };
  const ttl = doc.review?.ttlHours;
  if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 1) throw new Error(`${TEMPLATE}: review.ttlHours must be a whole number of hours (at least 1), not ${JSON.stringify(ttl)}`);
  if (!doc.config) throw new Error(`${TEMPLATE}: no config: section`);
  const config = stringify({ config: doc.config });
  const namespace = doc.config["agent-hive-platform:namespace"] as { name?: unknown } | undefined;
  const named = { "agent-hive-platform:environment": doc.config["agent-hive-platform:environment"], "namespace.name": namespace?.name };
  for (const [key, value] of Object.entries(named)) {
    if (typeof value !== "string" || !value.includes("{{pr}}")) throw new Error(`${TEMPLATE}: ${key} must name the pull request ({{pr}}), or every review stack would share it`);
  }
  return {
    ttlHours: ttl,
    stackFile: (pr: number) => {
      if (!Number.isSafeInteger(pr) || pr < 1) throw new Error(`--pr must be a pull request number, not ${pr}`);
      return `# Generated from stacks/review/template.yaml for pull request #${pr} by npm run review; not committed.\n${config.replaceAll("{{pr}}", String(pr))}`;
    },
  };
}
