import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { displayPath, writeWorkspaceFile } from '../lib/files';
import { examples } from './writeCodeowners.examples';

const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Text on one line: every kind of line break becomes a space. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' ');
}

/** The CODEOWNERS handle of a catalog owner: `@acme/sales-data` or `@sales-data`. */
export function ownerHandle(owner: string, organization?: string): string {
  let name: string;
  try {
    name = parseEntityRef(owner, { defaultKind: 'group' }).name;
  } catch {
    throw new InputError(
      `owner "${owner}" is not an entity reference; expected a Group such as group:default/sales-data`,
    );
  }
  if (!HANDLE.test(name)) {
    throw new InputError(`owner name "${name}" cannot be a CODEOWNERS handle`);
  }
  if (organization !== undefined && organization !== '') {
    if (!HANDLE.test(organization)) {
      throw new InputError(
        `organization "${organization}" cannot be part of a CODEOWNERS handle; expected letters, digits, ".", "_" or "-"`,
      );
    }
    return `@${organization}/${name}`;
  }
  return `@${name}`;
}

/**
 * `data-mesh:write:codeowners`: writes a CODEOWNERS file that makes the
 * owning team review every change, with the catalog owner named in it.
 *
 * @public
 */
export function createWriteCodeownersAction() {
  return createTemplateAction({
    id: 'data-mesh:write:codeowners',
    description:
      "Writes CODEOWNERS so that the data product's owning team reviews every change",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        owner: z =>
          z
            .string()
            .describe('The owning Group, such as group:default/sales-data'),
        productOwner: z =>
          z
            .string()
            .optional()
            .describe('The accountable User, named in a comment'),
        organization: z =>
          z
            .string()
            .optional()
            .describe(
              'GitHub organization or GitLab group of the team handle: @<organization>/<team>; the handle is @<team> when omitted',
            ),
        path: z =>
          z
            .string()
            .optional()
            .describe('Where to write it; CODEOWNERS when omitted'),
      },
      output: {
        path: z => z.string(),
        handle: z => z.string().describe('The handle that owns every file'),
      },
    },
    async handler(ctx) {
      const { owner, productOwner, organization } = ctx.input;
      const handle = ownerHandle(owner, organization);
      const ownerRef = stringifyEntityRef(
        parseEntityRef(owner, { defaultKind: 'group' }),
      );
      // Only the rule line may start a line: anything echoed into the
      // comment (a namespace can hold a line break) stays on the comment.
      const lines = [
        `# Owned in the catalog by ${oneLine(ownerRef)}${
          productOwner ? `; product owner ${oneLine(productOwner)}` : ''
        }.`,
        '# Every change needs a review from the owning team.',
        `* ${handle}`,
        '',
      ];
      const target = await writeWorkspaceFile(
        ctx.workspacePath,
        ctx.input.path ?? 'CODEOWNERS',
        lines.join('\n'),
      );
      const written = displayPath(ctx.workspacePath, target);
      ctx.logger.info(`Wrote ${written}: every file is owned by ${handle}`);
      ctx.output('path', written);
      ctx.output('handle', handle);
    },
  });
}
