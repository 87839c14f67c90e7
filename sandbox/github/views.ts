// The JSON GitHub answers with, field for field as api.github.com sends it (the fields a client reads;
// avatars, gravatar ids and the like are left out).
import {
  nodeId,
  userId,
  type Deployment,
  type DeploymentStatus,
  type GitHubState,
  type IssueComment,
  type PullRequest,
  type Repository,
  type User,
} from './model.js';

export function userView(state: GitHubState, user: User): Record<string, unknown> {
  const login = encodeURIComponent(user.login);
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'BOT' : 'U', user.id),
    url: `${state.apiUrl}/users/${login}`,
    html_url:
      user.type === 'Bot'
        ? `${state.serverUrl}/apps/${user.login.replace(/\[bot\]$/, '')}`
        : `${state.serverUrl}/${user.login}`,
    type: user.type,
    site_admin: false,
  };
}

/** An account that appears only in payloads (an owner, a fork's author): a User with GitHub's id for it. */
function accountView(state: GitHubState, login: string, type: 'User' | 'Organization' = 'User') {
  const view = userView(state, { login, id: userId(login), type: 'User' });
  return { ...view, node_id: nodeId(type === 'User' ? 'U' : 'O', userId(login)), type };
}

export function repositoryView(state: GitHubState, repo: Repository): Record<string, unknown> {
  const [owner = '', name = ''] = repo.fullName.split('/');
  const url = `${state.apiUrl}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name,
    full_name: repo.fullName,
    private: repo.private,
    owner: accountView(state, owner, 'Organization'),
    html_url: `${state.serverUrl}/${repo.fullName}`,
    description: null,
    fork: false,
    url,
    deployments_url: `${url}/deployments`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    clone_url: `${state.serverUrl}/${repo.fullName}.git`,
    default_branch: repo.defaultBranch,
    visibility: repo.private ? 'private' : 'public',
  };
}

export function statusView(
  state: GitHubState,
  repo: Repository,
  d: Deployment,
  s: DeploymentStatus,
): Record<string, unknown> {
  const repoUrl = `${state.apiUrl}/repos/${repo.fullName}`;
  return {
    url: `${repoUrl}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: userView(state, s.creator),
    description: s.description,
    environment: s.environment,
    // GitHub keeps the legacy target_url equal to log_url.
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${repoUrl}/deployments/${d.id}`,
    repository_url: repoUrl,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  };
}

export function deploymentView(state: GitHubState, repo: Repository, d: Deployment): Record<string, unknown> {
  const repoUrl = `${state.apiUrl}/repos/${repo.fullName}`;
  return {
    url: `${repoUrl}/deployments/${d.id}`,
    id: d.id,
    node_id: nodeId('DE', d.id),
    task: d.task,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${repoUrl}/deployments/${d.id}/statuses`,
    repository_url: repoUrl,
    creator: userView(state, d.creator),
    sha: d.sha,
    ref: d.ref,
    payload: d.payload,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function commentView(state: GitHubState, repo: Repository, c: IssueComment): Record<string, unknown> {
  const repoUrl = `${state.apiUrl}/repos/${repo.fullName}`;
  const kind = repo.pulls.has(c.number) ? 'pull' : 'issues';
  return {
    url: `${repoUrl}/issues/comments/${c.id}`,
    html_url: `${state.serverUrl}/${repo.fullName}/${kind}/${c.number}#issuecomment-${c.id}`,
    issue_url: `${repoUrl}/issues/${c.number}`,
    id: c.id,
    node_id: nodeId('IC', c.id),
    user: userView(state, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    body: c.body,
    performed_via_github_app: null,
  };
}

function branchView(
  state: GitHubState,
  repo: Repository,
  branch: { ref: string; sha: string; repo: string; fork: boolean },
) {
  const owner = branch.repo.split('/')[0] ?? '';
  const source = { ...repositoryView(state, repo), fork: branch.fork };
  if (branch.repo !== repo.fullName) {
    const name = branch.repo.split('/')[1] ?? '';
    Object.assign(source, {
      id: repo.id + 1_000_000,
      node_id: nodeId('R', repo.id + 1_000_000),
      name,
      full_name: branch.repo,
      owner: accountView(state, owner),
      html_url: `${state.serverUrl}/${branch.repo}`,
      url: `${state.apiUrl}/repos/${branch.repo}`,
      clone_url: `${state.serverUrl}/${branch.repo}.git`,
    });
  }
  return {
    label: `${owner}:${branch.ref}`,
    ref: branch.ref,
    sha: branch.sha,
    user: accountView(state, owner),
    repo: source,
  };
}

export function pullView(state: GitHubState, repo: Repository, pr: PullRequest): Record<string, unknown> {
  const url = `${state.apiUrl}/repos/${repo.fullName}/pulls/${pr.number}`;
  const html = `${state.serverUrl}/${repo.fullName}/pull/${pr.number}`;
  return {
    url,
    id: repo.id * 1000 + pr.number,
    node_id: nodeId('PR', repo.id * 1000 + pr.number),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${state.apiUrl}/repos/${repo.fullName}/issues/${pr.number}`,
    comments_url: `${state.apiUrl}/repos/${repo.fullName}/issues/${pr.number}/comments`,
    statuses_url: `${state.apiUrl}/repos/${repo.fullName}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userView(state, pr.user),
    body: null,
    labels: [],
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    draft: pr.draft,
    head: branchView(state, repo, pr.head),
    base: branchView(state, repo, { ...pr.base, repo: repo.fullName, fork: false }),
    author_association: 'CONTRIBUTOR',
    merged: pr.merged,
    mergeable: null,
    mergeable_state: 'unknown',
    merged_by: null,
  };
}
