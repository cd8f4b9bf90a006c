import type { Journey } from '../harness';
import { consumerFindsProduct } from './consumerFindsProduct';
import { createFromTemplates } from './createFromTemplates';
import { dataMeshPage } from './dataMeshPage';
import { pipelinePushesResults } from './pipelinePushesResults';
import { processingErrors } from './processingErrors';
import { teamDataProducts } from './teamDataProducts';

/** In the order they run; ids are the journeys' numbers in issue #7. */
export const journeys: Journey[] = [
  teamDataProducts,
  consumerFindsProduct,
  createFromTemplates,
  dataMeshPage,
  pipelinePushesResults,
  processingErrors,
];
