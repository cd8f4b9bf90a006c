import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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
      };
    };
  };
}
