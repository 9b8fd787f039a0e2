// The wire encoding the SDK uses for special values in a registration request.
// Reading the request as the engine would get it is what lets the plan show
// exactly what `pulumi up` sends, with secrets and unknowns still marked.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const SECRET_MARK = "[secret]";
export const COMPUTED_MARK = "[computed]";

export type PlanValue = null | boolean | number | string | PlanValue[] | { [key: string]: PlanValue };

/**
 * Turns a serialized property value into what the plan shows: secrets as
 * "[secret]" (whatever they contain), values unknown before deployment as
 * "[computed]", resource references as their URN. Nothing secret survives.
 */
export function redact(value: unknown): PlanValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value === UNKNOWN ? COMPUTED_MARK : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    switch (obj[SIG]) {
      case SECRET_SIG:
        return SECRET_MARK;
      case OUTPUT_SIG:
        if (obj.secret === true) return SECRET_MARK;
        return "value" in obj ? redact(obj.value) : COMPUTED_MARK;
      case RESOURCE_SIG:
        return typeof obj.urn === "string" ? obj.urn : COMPUTED_MARK;
      case ASSET_SIG:
      case ARCHIVE_SIG:
        return "[asset]";
      default:
        break;
    }
    const out: Record<string, PlanValue> = {};
    for (const key of Object.keys(obj).sort()) out[key] = redact(obj[key]);
    return out;
  }
  return String(value);
}
