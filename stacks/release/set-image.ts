import { isDeepStrictEqual } from "node:util";
import { Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parse, parseDocument, stringify } from "yaml";
import { PROJECT } from "../../infra/catalogue/names";
import { imageReference } from "../../infra/delivery/builders/image";
import { PlatformConfig, RawStackConfig, parseStackConfig } from "../config/parse";
import { ReleaseTarget, releaseTarget } from "./target";

export interface SetImageResult {
  /** The stack file's new text; the same text when nothing changed. */
  readonly text: string;
  /** One line per changed key, `services[0].tag: 1.0.0 -> 1.4.2`; empty when the file already pins the image. */
  readonly changes: readonly string[];
  readonly target: ReleaseTarget;
}

/**
 * Pins a service's image in a stack file's text, for `imageOwner: stack`,
 * where a release is a commit of the stack file and `pulumi up`. Splices the
 * new value into the text where the old one was, so comments, quoting, order
 * and flow style survive and the diff is the changed line; the YAML Document
 * API locates the values and checks the result. `raw` is the same file as the project's reader
 * gives it (`readStackFile`); the edited config is validated with the same
 * parser before anything is written.
 *
 * - `repo:tag` sets `tag` and removes `digest` (a digest wins over a tag, so
 *   leaving one would release nothing);
 * - `repo@sha256:…` sets `digest` and removes `tag` (a tag beside a digest is
 *   ignored, and a stale one misleads a reader);
 * - `repo:tag@sha256:…` sets both.
 */
export function setImage(args: { readonly text: string; readonly raw: RawStackConfig; readonly image: string; readonly service?: string }): SetImageResult {
  const config = parseStackConfig(args.raw);
  if (config.delivery.imageOwner !== "stack") {
    throw new Error(
      `Pulumi.${config.stack}.yaml has delivery.imageOwner: ${config.delivery.imageOwner}: the pipeline sets the image (kubectl argo rollouts set image) and the stack file's tag only seeds the Rollout's creation; release with the release workflow, or set imageOwner: stack`,
    );
  }
  const target = releaseTarget(config, args.image, args.service);
  const doc = parseDocument(args.text);
  // Position only: the library's message quotes the line, which may hold a pasted secret.
  if (doc.errors.length > 0) throw new Error(`Pulumi.${config.stack}.yaml is not valid YAML at line ${doc.errors[0].linePos?.[0].line ?? "?"}: fix it and run again`);
  const { key, services } = servicesNode(doc.get("config"), config.stack);
  const index = services.items.findIndex((item) => isMap(item) && item.get("name") === target.service);
  const item = services.items[index];
  if (!isMap(item)) throw new Error(`Pulumi.${config.stack}.yaml: ${key} has no entry with name: ${target.service}`);

  const changes: string[] = [];
  const edits: Edit[] = [];
  for (const [field, value] of [["tag", target.reference.tag], ["digest", target.reference.digest]] as const) {
    const node = item.get(field, true);
    const before = isScalar(node) ? String(node.value) : undefined;
    if (before === value) continue;
    edits.push(...textEdits(args.text, item, field, value));
    if (value === undefined) item.delete(field);
    else if (isScalar(node)) node.value = value;
    else item.set(field, value);
    changes.push(`services[${index}].${field}: ${before ?? "(not set)"} -> ${value ?? "(removed)"}`);
  }
  if (changes.length === 0) return { text: args.text, changes, target };

  // The text is edited where the values are, so every other byte (comments,
  // quoting, flow style) stays; the library re-prints only a service written
  // as a flow map, whose layout it cannot splice.
  const text = item.flow ? doc.toString() : applyEdits(args.text, edits);
  if (!isDeepStrictEqual(parse(text), doc.toJS())) throw new Error(`internal error: the edit of Pulumi.${config.stack}.yaml did not produce the intended document; nothing was written`);
  verify(args.raw, key, doc, target);
  return { text, changes, target };
}

function servicesNode(configNode: unknown, stack: string): { key: string; services: YAMLSeq } {
  if (!isMap(configNode)) throw new Error(`Pulumi.${stack}.yaml has no config: map`);
  for (const key of [`${PROJECT}:services`, "services"]) {
    const node = configNode.get(key, true);
    if (isSeq(node)) return { key, services: node };
  }
  throw new Error(`Pulumi.${stack}.yaml has no ${PROJECT}:services list`);
}

/** A splice of the original text: replace [start, end) with `text`. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A value in the quoting style the old one had (plain where YAML allows). */
function scalarText(value: string, old?: Scalar): string {
  if (old?.type === "QUOTE_DOUBLE") return JSON.stringify(value);
  if (old?.type === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  return stringify(value).trimEnd();
}

const lineStart = (text: string, at: number) => text.lastIndexOf("\n", at - 1) + 1;
const nextLine = (text: string, at: number) => {
  const nl = text.indexOf("\n", at);
  return nl < 0 ? text.length : nl + 1;
};

/** The splices that set `field` of a block-map service to `value` (undefined removes the key's line). */
function textEdits(text: string, item: YAMLMap, field: string, value: string | undefined): Edit[] {
  const pair = item.items.find((p) => isScalar(p.key) && p.key.value === field);
  const node = pair?.value;
  if (pair && isScalar(node) && node.range) {
    if (value !== undefined) return [{ start: node.range[0], end: node.range[1], text: scalarText(value, node) }];
    const key = pair.key as Scalar;
    return [{ start: lineStart(text, key.range?.[0] ?? node.range[0]), end: nextLine(text, node.range[1]), text: "" }];
  }
  if (value === undefined) return [];
  // A new key goes on its own line after the service's image, indented like it.
  const image = item.items.find((p) => isScalar(p.key) && p.key.value === "image");
  const imageKey = image?.key as Scalar | undefined;
  const imageValue = image?.value as Scalar | undefined;
  if (!imageKey?.range || !imageValue?.range) return [];
  const indent = " ".repeat(imageKey.range[0] - lineStart(text, imageKey.range[0]));
  return [{ start: nextLine(text, imageValue.range[1]), end: nextLine(text, imageValue.range[1]), text: `${indent}${field}: ${scalarText(value)}\n` }];
}

/** Applies splices from the end, so earlier offsets stay valid; a removal before an insertion at the same place. */
function applyEdits(text: string, edits: readonly Edit[]): string {
  const ordered = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - b.start - (a.end - a.start) || b.i - a.i);
  return ordered.reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
}

/** The edited config must still parse, and pin exactly the target image. */
function verify(raw: RawStackConfig, key: string, doc: ReturnType<typeof parseDocument>, target: ReleaseTarget): void {
  const services = (doc.toJS() as { config: Record<string, unknown> }).config[key];
  const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
  const values = { ...raw.values };
  delete values[key];
  values[fullKey] = JSON.stringify(services);
  let edited: PlatformConfig;
  try {
    edited = parseStackConfig({ ...raw, values });
  } catch (e) {
    throw new Error(`the edited Pulumi.${raw.stack}.yaml would not be valid, so it was not written: ${(e as Error).message}`);
  }
  const service = edited.services.find((s) => s.name === target.service);
  if (!service || imageReference(service) !== target.image) {
    throw new Error(`the edited Pulumi.${raw.stack}.yaml would pin ${service ? imageReference(service) : "nothing"} instead of ${target.image}, so it was not written`);
  }
}
