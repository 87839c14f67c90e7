// Issue comments (a pull request's conversation), the pull request itself, and the repository.
import { invalidRequest, notFound, paginate, validationFailed } from './http.js';
import { timestamp, type IssueComment } from './model.js';
import { fields, idParam, routes, type ApiRequest, type Route } from './route.js';
import { commentView, pullView, repositoryView } from './views.js';

const DOCS = 'https://docs.github.com/rest';
/** GitHub's limit on a comment body, in characters. */
const MAX_COMMENT_LENGTH = 65536;

/** Only pull requests exist as issues here; any other number is not found, as on GitHub. */
function issueNumber(req: ApiRequest): number {
  const n = idParam(req, 'issue_number');
  if (!req.repo.pulls.has(n)) throw notFound();
  return n;
}

function commentBody(req: ApiRequest): string {
  const body = fields.string(req.body, 'body', true) as string;
  const problem =
    body.trim() === ''
      ? 'body cannot be blank'
      : body.length > MAX_COMMENT_LENGTH
        ? `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`
        : undefined;
  if (problem)
    throw validationFailed({ resource: 'IssueComment', code: 'custom', field: 'body', message: problem });
  return body;
}

function findComment(req: ApiRequest): IssueComment {
  const id = idParam(req, 'comment_id');
  const c = req.repo.comments.find((x) => x.id === id);
  if (!c) throw notFound();
  return c;
}

function listComments(req: ApiRequest) {
  const n = issueNumber(req);
  const since = req.url.searchParams.get('since');
  const sinceMs = since === null ? undefined : Date.parse(since);
  if (sinceMs !== undefined && Number.isNaN(sinceMs))
    throw invalidRequest(`For 'since', ${JSON.stringify(since)} is not a timestamp.`);
  const comments = req.repo.comments
    .filter((c) => c.number === n && (sinceMs === undefined || Date.parse(c.updatedAt) >= sinceMs))
    .map((c) => commentView(req.state, req.repo, c));
  return paginate(comments, req.url);
}

function createComment(req: ApiRequest) {
  const n = issueNumber(req);
  const now = timestamp(req.now);
  const c: IssueComment = {
    id: req.state.nextId.comment++,
    number: n,
    body: commentBody(req),
    user: req.user,
    createdAt: now,
    updatedAt: now,
  };
  req.repo.comments.push(c);
  return { status: 201, body: commentView(req.state, req.repo, c) };
}

function getComment(req: ApiRequest) {
  return { status: 200, body: commentView(req.state, req.repo, findComment(req)) };
}

function updateComment(req: ApiRequest) {
  const c = findComment(req);
  c.body = commentBody(req);
  c.updatedAt = timestamp(req.now);
  return { status: 200, body: commentView(req.state, req.repo, c) };
}

function deleteComment(req: ApiRequest) {
  const c = findComment(req);
  req.repo.comments.splice(req.repo.comments.indexOf(c), 1);
  return { status: 204 };
}

function getPull(req: ApiRequest) {
  const pr = req.repo.pulls.get(idParam(req, 'pull_number'));
  if (!pr) throw notFound();
  return { status: 200, body: pullView(req.state, req.repo, pr) };
}

export const ISSUE_ROUTES: Route[] = [
  ...routes(['issues', 'pull_requests'], `${DOCS}/issues/comments`, [
    ['GET', '/issues/:issue_number/comments', '#list-issue-comments', listComments],
    ['POST', '/issues/:issue_number/comments', '#create-an-issue-comment', createComment],
    ['GET', '/issues/comments/:comment_id', '#get-an-issue-comment', getComment],
    ['PATCH', '/issues/comments/:comment_id', '#update-an-issue-comment', updateComment],
    ['DELETE', '/issues/comments/:comment_id', '#delete-an-issue-comment', deleteComment],
  ]),
  ...routes(['pull_requests'], DOCS, [
    ['GET', '/pulls/:pull_number', '/pulls/pulls#get-a-pull-request', getPull],
  ]),
  ...routes(['metadata'], DOCS, [
    [
      'GET',
      '',
      '/repos/repos#get-a-repository',
      (req) => ({ status: 200, body: repositoryView(req.state, req.repo) }),
    ],
  ]),
];
