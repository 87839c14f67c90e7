import type { Octokit, RunOnGitHub } from './client.js';

/** The hidden line that makes a comment ours: found again on the next run and edited, never repeated. */
export function commentMarker(key: string): string {
  return `<!-- ecs-ship:${key} -->`;
}

/** Creates the PR's comment that carries `marker`, or edits it in place when there is one. */
export async function upsertComment(
  octokit: Octokit,
  run: RunOnGitHub,
  number: number,
  marker: string,
  body: string,
): Promise<{ id: number; created: boolean }> {
  const repo = { owner: run.owner, repo: run.repo };
  const text = `${marker}\n${body}`;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: number,
    per_page: 100,
  })) {
    // Ours start with the marker: a comment that only quotes or mentions it is someone else's.
    const ours = page.data.find((c) => c.body?.startsWith(marker));
    if (ours) {
      await octokit.rest.issues.updateComment({ ...repo, comment_id: ours.id, body: text });
      return { id: ours.id, created: false };
    }
  }
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: number, body: text });
  return { id: data.id, created: true };
}
