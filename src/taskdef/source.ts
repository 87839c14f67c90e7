import { stat } from 'node:fs/promises';
import type { ECSClient, Tag } from '@aws-sdk/client-ecs';
import { isTaskDefinitionArn } from '../aws/arn.js';
import { loadTaskDefinitionFile, loadTaskDefinitionReference, type TaskDefinitionDoc } from './load.js';

const FAMILY = /^[A-Za-z0-9_-]{1,255}(?::\d+)?$/;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * What `task-definition` names: an ARN, `family` or `family:revision` are revisions in ECS; anything else
 * is a file. A bare word that is also a file in the working directory is the file (the explicit thing).
 */
export async function sourceKind(source: string, exists = isFile): Promise<'file' | 'ecs'> {
  if (isTaskDefinitionArn(source)) return 'ecs';
  if (FAMILY.test(source) && !(await exists(source))) return 'ecs';
  return 'file';
}

/** Tags go in RegisterTaskDefinition's `tags`; a document that has its own keeps them. */
export function withTags(doc: TaskDefinitionDoc, tags: Tag[]): TaskDefinitionDoc {
  return tags.length > 0 && !('tags' in doc) ? { ...doc, tags } : doc;
}

/**
 * The document with `tag` among its tags, replacing any of the same key (a preview's revision says which
 * pull request it is for, whatever tags the base brought).
 */
export function withTag(doc: TaskDefinitionDoc, tag: Tag): TaskDefinitionDoc {
  const own = Array.isArray(doc.tags) ? (doc.tags as Tag[]).filter((t) => t.key !== tag.key) : [];
  return { ...doc, tags: [...own, tag] };
}

export async function loadSource(
  ecs: ECSClient,
  source: string,
): Promise<{ taskDefinition: TaskDefinitionDoc; source: string }> {
  if ((await sourceKind(source)) === 'file') {
    return { taskDefinition: await loadTaskDefinitionFile(source), source };
  }
  const found = await loadTaskDefinitionReference(ecs, source);
  return { taskDefinition: withTags(found.taskDefinition, found.tags), source: found.arn };
}
