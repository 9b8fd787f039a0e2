import * as pulumi from "@pulumi/pulumi";
import type { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { PlanValue, SECRET_MARK, redact } from "./redact";

/** Resource options as the engine receives them. */
export interface PlanOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly dependsOn: string[];
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: string[];
  readonly replaceOnChanges: string[];
  readonly aliases: PlanValue[];
  /** URN of the provider, or null for a component or the default provider. */
  readonly provider: string | null;
  readonly additionalSecretOutputs: string[];
}

export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly custom: boolean;
  readonly inputs: PlanValue;
  readonly options: PlanOptions;
}

// The slice of the generated protobuf request this recorder reads.
interface AliasMessage {
  getUrn(): string;
  getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}
interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getAliasesList(): AliasMessage[];
  getObject(): { toJavaScript(): unknown } | undefined;
}
interface RegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): unknown } | undefined;
}
type Callback = (err: unknown, response: unknown) => void;

/**
 * Strict mocks: every resource's outputs are its inputs (in preview anything
 * else stays unknown, as with the real engine), and a provider function the
 * program was not expected to call fails the run instead of quietly returning
 * nothing.
 */
const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: undefined, state: args.inputs }),
  call: (args) => {
    // GitHub reviewer lookups (infra/governance): offline there is no API, so a
    // login or slug gets an answer that says it is a placeholder, with a stable
    // ID derived from the name (FNV-1a) so plans are reproducible and two
    // reviewers never share one. The IDs are not real GitHub IDs.
    const placeholderId = (name: string): string => {
      let h = 0x811c9dc5;
      for (const c of Buffer.from(name, "utf8")) h = Math.imul(h ^ c, 0x01000193) >>> 0;
      return String(900_000_000 + (h % 100_000_000));
    };
    const placeholder = (what: string, name: string) => `OFFLINE-PLACEHOLDER-NOT-A-REAL-${what}(${name})`;
    switch (args.token) {
      case "github:index/getUser:getUser": {
        const username = String(args.inputs.username);
        return { id: placeholderId(`user:${username}`), login: username, username, name: placeholder("USER", username), nodeId: placeholder("NODE-ID", username) };
      }
      case "github:index/getTeam:getTeam": {
        const slug = String(args.inputs.slug);
        return {
          id: placeholderId(`team:${slug}`),
          slug,
          name: placeholder("TEAM", slug),
          nodeId: placeholder("NODE-ID", slug),
          description: "",
          privacy: "closed",
          permission: "pull",
          notificationSetting: "notifications_enabled",
          members: [],
          repositories: [],
          repositoriesDetaileds: [],
          summaryOnly: args.inputs.summaryOnly === true,
        };
      }
      default:
        throw new Error(`unexpected provider call ${args.token}: give it a mock answer in stacks/offline/recorder.ts`);
    }
  },
};

function alias(a: AliasMessage): PlanValue {
  const spec = a.getSpec();
  if (!spec) return a.getUrn();
  const out: Record<string, PlanValue> = {};
  if (spec.getName()) out.name = spec.getName();
  if (spec.getType()) out.type = spec.getType();
  if (spec.getStack()) out.stack = spec.getStack();
  if (spec.getProject()) out.project = spec.getProject();
  if (spec.getParenturn()) out.parentUrn = spec.getParenturn();
  if (spec.getNoparent()) out.noParent = true;
  return out;
}

// Inputs the providers' schemas mark secret. The engine keeps them secret even
// when a preview does not know them yet (the SDK then sends a bare unknown), so
// the plan shows them as "[secret]" whether known or not.
const SECRET_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Secret": ["data", "stringData"],
  "pulumi:providers:kubernetes": ["kubeconfig"],
  "github:index/actionsSecret:ActionsSecret": ["value", "plaintextValue", "encryptedValue"],
  "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": ["value", "plaintextValue", "encryptedValue"],
  "pulumi:providers:github": ["token"],
};

function markSchemaSecrets(type: string, inputs: PlanValue): PlanValue {
  const fields = SECRET_INPUTS[type];
  if (!fields || typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) return inputs;
  const out = { ...inputs };
  for (const f of fields) if (f in out && out[f] !== null) out[f] = SECRET_MARK;
  return out;
}

/** Outputs a provider would add after deployment, per resource. */
export type DeployedOutputs = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;

/** Provider references are `<urn>::<id>`; the id is unknown in preview. */
const providerUrn = (ref: string): string | null => (ref ? ref.split("::").slice(0, -1).join("::") : null);

/**
 * Installs `@pulumi/pulumi`'s runtime mocks in preview mode and records every
 * registration request the program sends (type, name, parent, inputs and all
 * resource options) and the stack outputs, before the SDK's MockMonitor
 * answers it. The recorder sees the request the engine would see.
 */
export class RegistrationRecorder {
  readonly resources: PlanResource[] = [];
  stackOutputs: PlanValue = null;

  /**
   * `deployed` runs the program as an update instead of a preview, with the
   * provider outputs it gives on top of the inputs: how a test proves that
   * values only known after deployment (a generated key, a token) stay secret.
   */
  static async install(project: string, stack: string, deployed?: DeployedOutputs): Promise<RegistrationRecorder> {
    const installed: pulumi.runtime.Mocks = deployed
      ? { ...mocks, newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...deployed(args) } }) }
      : mocks;
    await pulumi.runtime.setMocks(installed, project, stack, deployed === undefined);
    const monitor = getMonitor() as unknown as MockMonitor;
    const recorder = new RegistrationRecorder();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = async (req: RegisterResourceRequest, callback: Callback) =>
      register(req, (err: unknown, response: unknown) => {
        if (!err) recorder.record(req, (response as { getUrn(): string }).getUrn());
        callback(err, response);
      });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: RegisterOutputsRequest, callback: Callback) => {
      if (req.getUrn() === recorder.rootUrn()) recorder.stackOutputs = redact(req.getOutputs()?.toJavaScript() ?? {});
      registerOutputs(req, callback);
    };
    return recorder;
  }

  private rootUrn(): string | undefined {
    return this.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  }

  private record(req: RegisterResourceRequest, urn: string): void {
    this.resources.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || null,
      custom: req.getCustom(),
      inputs: markSchemaSecrets(req.getType(), redact(req.getObject()?.toJavaScript() ?? {})),
      options: {
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        dependsOn: [...req.getDependenciesList()].sort(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        aliases: req.getAliasesList().map(alias),
        provider: providerUrn(req.getProvider()),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      },
    });
  }
}
