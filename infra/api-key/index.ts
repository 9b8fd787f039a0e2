// The API key's public surface: the component and its spec.
export { ApiKey } from "./component";
export type { ApiKeyArgs, ApiKeySpec } from "./spec";
