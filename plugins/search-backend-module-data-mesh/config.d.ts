import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  search?: {
    collators?: {
      /** The data product collator of `@quanta/plugin-search-backend-module-data-mesh`. */
      dataMesh?: {
        /**
         * When the data products are indexed again. Default: every 10
         * minutes (`frequency: { minutes: 10 }`), each run given up after
         * 15 minutes, the first 3 seconds after the backend starts.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Index again soon after the data-mesh backend announces products
         * that changed in the catalog or in governance (its
         * `data-mesh.products.changed` events), rather than at the next
         * scheduled run. Default: true.
         */
        refreshOnChange?: boolean;
        /**
         * The least time between two runs started by changes; changes in
         * between are indexed together when it has passed. The next run also
         * waits until twice the previous run's time has passed since its end.
         * Default: 30 seconds (`{ seconds: 30 }`, `30s` or `PT30S`).
         */
        refreshMinimumGap?: HumanDuration | string;
        /** Settings for Backstage's PostgreSQL search engine. */
        pg?: {
          /**
           * Keep the engine's JSON documents in its `documents` table,
           * compressed (`ALTER TABLE documents ALTER COLUMN document SET
           * STORAGE MAIN`, applied at startup, the rows already indexed
           * rewritten once), so that queries with facets use the engine's
           * index on them rather than read every document. Does nothing on
           * another search engine. Default: false.
           */
          documentsInTable?: boolean;
        };
      };
    };
  };
}
