import { UserError } from '../../errors.js';
import { openArchive } from './archive.js';
import type { Credentials } from '../../inputs/image.js';
import { openLayout } from './layout.js';
import type { ImageSource } from './push.js';
import { openRemote } from './remote.js';
import { describeSource, type SourceSpec } from '../../inputs/image-source.js';

/** The daemonless sources; a local Docker image goes through the docker CLI instead. */
export async function openImageSource(
  spec: Exclude<SourceSpec, { kind: 'docker' }>,
  credentials: Credentials | undefined,
): Promise<ImageSource> {
  const shown = describeSource(spec);
  switch (spec.kind) {
    case 'oci-layout':
      return openLayout(spec.path, spec.tag, shown);
    case 'docker-archive':
      return openArchive(spec.path, spec.reference, shown);
    case 'deployment':
      // The plan resolves it to the registry reference the deployment recorded, before anything opens it.
      throw new Error(`${shown} was not resolved to an image before it was opened`);
    case 'remote':
      return openRemote(spec, credentials, shown).catch((err: unknown) => {
        // A registry that cannot be reached is the user's to fix (a typo in the host, a private network).
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOTFOUND' || code === 'ECONNREFUSED') {
          throw new UserError(`Cannot reach registry ${spec.host} for input 'image' (${code}).`);
        }
        throw err;
      });
  }
}
