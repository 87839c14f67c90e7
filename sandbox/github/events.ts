// Webhook payloads as the runner writes them to GITHUB_EVENT_PATH. A pull_request payload's
// `pull_request` is the same object GET /pulls/{n} answers; `repository` and `sender` are as GitHub sends.
import { timestamp, type GitHubState, type PullRequest, type Repository, type User } from './model.js';
import { pullView, repositoryView, userView } from './views.js';

export type PullRequestAction = 'opened' | 'synchronize' | 'reopened' | 'closed';

export function pullRequestPayload(
  state: GitHubState,
  repo: Repository,
  pr: PullRequest,
  action: PullRequestAction,
  sender: User,
  /** synchronize: the head before and after the push. */
  moved?: { before: string; after: string },
): Record<string, unknown> {
  return {
    action,
    number: pr.number,
    pull_request: {
      ...pullView(state, repo, pr),
      comments: 0,
      review_comments: 0,
      commits: 1,
      additions: 1,
      deletions: 0,
      changed_files: 1,
      maintainer_can_modify: false,
    },
    ...(moved ? { before: moved.before, after: moved.after } : {}),
    repository: repositoryView(state, repo),
    sender: userView(state, sender),
  };
}

export interface PushOptions {
  ref: string;
  before: string;
  after: string;
  message?: string;
}

export function pushPayload(
  state: GitHubState,
  repo: Repository,
  push: PushOptions,
  pusher: User,
): Record<string, unknown> {
  const now = Date.now();
  const author = {
    name: pusher.login,
    email: `${pusher.login}@users.noreply.github.com`,
    username: pusher.login,
  };
  const commit = {
    id: push.after,
    tree_id: push.after.split('').reverse().join(''),
    distinct: true,
    message: push.message ?? 'Deploy',
    timestamp: timestamp(now).replace(/Z$/, '+00:00'),
    url: `${state.serverUrl}/${repo.fullName}/commit/${push.after}`,
    author,
    committer: author,
    added: [],
    removed: [],
    modified: ['README.md'],
  };
  return {
    ref: push.ref,
    before: push.before,
    after: push.after,
    // Push payloads alone carry the repository's times as epoch seconds.
    repository: {
      ...repositoryView(state, repo),
      created_at: 1_700_000_000,
      pushed_at: Math.floor(now / 1000),
      master_branch: repo.defaultBranch,
    },
    pusher: { name: pusher.login, email: author.email },
    sender: userView(state, pusher),
    created: /^0+$/.test(push.before),
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${state.serverUrl}/${repo.fullName}/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
  };
}
