export type {
  FaultSpec,
  GitHubServer,
  GitHubServerControl,
  GitHubServerOptions,
  RecordedCall,
  SeedPullRequest,
} from './server.ts';
export { startGitHubServer } from './server.ts';
export type { GitHubState, Permission, PullRecord } from './state.ts';
