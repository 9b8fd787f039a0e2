import type * as random from "@pulumi/random";
import type { ISecret } from "kubernetes-models/v1/Secret";
import { platformLabels } from "../catalogue/labels";
import { API_KEY_SECRET } from "../catalogue/names";
import type { ApiKeySpec } from "./spec";

/** 48 letters and digits: about 285 bits, and nothing a shell or a URL needs quoted. */
export const API_KEY_PASSWORD: random.RandomPasswordArgs = { length: 48, special: false };

/** The Secret without its value; the component adds `stringData` from the generated key. */
export function buildApiKeySecret(spec: ApiKeySpec): ISecret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name: API_KEY_SECRET.name,
      namespace: spec.namespace,
      labels: { ...platformLabels(spec.environment), "app.kubernetes.io/component": "api-key" },
    },
  };
}
