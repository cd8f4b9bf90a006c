import type { Journey } from '../harness';
import { consumerFindsProduct } from './consumerFindsProduct';
import { consumerRequestsAccess } from './consumerRequestsAccess';
import { consumerSearches } from './consumerSearches';
import { createFromTemplates } from './createFromTemplates';
import { dataMeshPage } from './dataMeshPage';
import { pipelinePushesResults } from './pipelinePushesResults';
import { producerChecksContractChange } from './producerChecksContractChange';
import { processingErrors } from './processingErrors';
import { teamDataProducts } from './teamDataProducts';

/**
 * In the order they run; ids 1-6 are the journeys' numbers in issue #7, 7 is
 * the search journey of issue #21, 8 the contract change journey of issue #23,
 * 9 the access journey of issue #24.
 */
export const journeys: Journey[] = [
  teamDataProducts,
  consumerFindsProduct,
  createFromTemplates,
  dataMeshPage,
  pipelinePushesResults,
  processingErrors,
  consumerSearches,
  producerChecksContractChange,
  consumerRequestsAccess,
];
