// The deployer's public surface: the component and its spec.
export { Deployer } from "./component";
export type { DeployerArgs, DeployerCluster, DeployerSpec, ImageOwner, PushgatewayAccess } from "./spec";
