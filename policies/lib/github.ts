export const BRANCH_PROTECTION = "github:index/branchProtection:BranchProtection";
export const ENVIRONMENT = "github:index/repositoryEnvironment:RepositoryEnvironment";
export const DEPLOYMENT_POLICY = "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy";
export const ENVIRONMENT_SECRET = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";
export const REPOSITORY_SECRET = "github:index/actionsSecret:ActionsSecret";
export const REPOSITORY_FILE = "github:index/repositoryFile:RepositoryFile";
