import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  type CatalogService,
  locationSpecToMetadataName,
} from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseAllDocuments } from 'yaml';
import { LOCAL_PUBLISH_DIRECTORY_KEY, localRepoPath } from '../lib/localRepos';
import { examples } from './registerLocal.examples';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** True when a `file` location's target (a path or a glob) reads this file. */
function readsFile(target: string, file: string): boolean {
  return target === file || path.matchesGlob(file, target);
}

/**
 * `data-mesh:register:local`: makes the catalog read a repository that
 * `data-mesh:publish:local` created. The catalog API registers `url`
 * locations only, and no URL reader serves local files, so the portal lists
 * the folder as a `file` location with a glob in app-config
 * (`<directory>/*\/catalog-info.yaml`). This action finds that location,
 * asks the catalog to read it again now rather than on its next pass, and
 * waits until the new entity is there.
 *
 * @param configLocations - targets of the `file` locations in app-config,
 * resolved as the catalog resolves them. Their Location entities are named
 * after the target, so they can be refreshed even while the catalog does not
 * show them: a glob that matches no file yet fails to process, and such a
 * location stays out of the catalog's answers until the first repository.
 *
 * @public
 */
export function createRegisterLocalAction(options: {
  catalog: CatalogService;
  directory: string;
  configLocations?: string[];
}) {
  const { catalog, directory, configLocations = [] } = options;
  return createTemplateAction({
    id: 'data-mesh:register:local',
    description:
      'Makes the catalog pick up a repository published by data-mesh:publish:local at once, and waits until its entity is in the catalog',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe('The repository, as given to data-mesh:publish:local'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Descriptor in the repository; catalog-info.yaml when omitted',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .min(0)
            .max(600)
            .optional()
            .describe('How long to wait for the entity; 60 when omitted'),
      },
      output: {
        entityRef: z =>
          z.string().describe('The entity the descriptor declares'),
        catalogInfoUrl: z => z.string(),
      },
    },
    async handler(ctx) {
      const repo = localRepoPath(directory, ctx.input.repoName);
      const file = resolveSafeChildPath(
        repo,
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml',
      );
      ctx.output('catalogInfoUrl', `file:${file}`);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would have the catalog read ${file}`);
        return;
      }

      const content = await fs.readFile(file, 'utf8').catch(() => {
        throw new InputError(
          `${file} does not exist; publish the repository with data-mesh:publish:local first`,
        );
      });
      const entity = parseAllDocuments(content)
        .map(doc => doc.toJS() as Entity)
        .find(e => e?.kind && e?.metadata?.name);
      if (!entity) {
        throw new InputError(`${file} declares no entity`);
      }
      const entityRef = stringifyEntityRef(entity);
      ctx.output('entityRef', entityRef);

      const credentials = await ctx.getInitiatorCredentials();
      const refs = new Set(
        configLocations
          .filter(target => readsFile(target, file))
          .map(
            target =>
              `location:default/${locationSpecToMetadataName({
                type: 'file',
                target,
              })}`,
          ),
      );
      const { items } = await catalog.getEntities(
        { filter: { kind: 'Location', 'spec.type': 'file' } },
        { credentials },
      );
      for (const location of items) {
        const target = location.spec?.target;
        if (typeof target === 'string' && readsFile(target, file)) {
          refs.add(stringifyEntityRef(location));
        }
      }
      if (!refs.size) {
        throw new InputError(
          `The catalog has no location that reads ${file}. Add one to app-config under catalog.locations: { type: file, target: ${path.join(
            directory,
            '*',
            'catalog-info.yaml',
          )} } (the folder is ${LOCAL_PUBLISH_DIRECTORY_KEY}).`,
        );
      }
      for (const ref of refs) {
        await catalog.refreshEntity(ref, { credentials });
      }

      const timeoutMs = (ctx.input.timeoutSeconds ?? 60) * 1000;
      const started = Date.now();
      for (;;) {
        const found = await catalog.getEntityByRef(entityRef, { credentials });
        if (found) {
          ctx.logger.info(
            `${entityRef} is in the catalog, ${
              Math.round((Date.now() - started) / 100) / 10
            } s after the refresh`,
          );
          return;
        }
        if (Date.now() - started >= timeoutMs || ctx.signal?.aborted) break;
        await sleep(1000);
      }
      ctx.logger.warn(
        `${entityRef} is not in the catalog yet; the catalog reads ${file} on its next pass`,
      );
    },
  });
}
