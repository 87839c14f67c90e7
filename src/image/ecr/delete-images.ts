import { BatchDeleteImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { describeAwsError } from '../../aws/errors.js';

/**
 * Deletes images by digest (with every tag on them), 100 a call as ECR allows. What ECR refuses is
 * returned as lines to warn about, never thrown: a preview's cleanup goes on.
 */
export async function deleteImages(
  ecr: ECRClient,
  repositoryName: string,
  digests: string[],
): Promise<{ deleted: string[]; warnings: string[] }> {
  const deleted: string[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < digests.length; i += 100) {
    const imageIds = digests.slice(i, i + 100).map((imageDigest) => ({ imageDigest }));
    try {
      const out = await ecr.send(new BatchDeleteImageCommand({ repositoryName, imageIds }));
      for (const id of out.imageIds ?? []) if (id.imageDigest) deleted.push(id.imageDigest);
      for (const f of out.failures ?? []) {
        if (f.failureCode !== 'ImageNotFound')
          warnings.push(
            `${f.imageId?.imageDigest ?? '?'}: ${f.failureReason ?? f.failureCode ?? 'not deleted'}`,
          );
      }
    } catch (err) {
      warnings.push(`Images in ${repositoryName} were not deleted: ${describeAwsError(err)}`);
    }
  }
  return { deleted: [...new Set(deleted)], warnings };
}
