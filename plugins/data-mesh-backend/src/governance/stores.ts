import type { Knex } from 'knex';
import { GovernanceHistory } from './GovernanceHistory';
import { GovernanceStore } from './GovernanceStore';
import { WaiverStore } from './WaiverStore';

export type GovernanceStores = {
  store: GovernanceStore;
  waivers: WaiverStore;
  history: GovernanceHistory;
};

/**
 * The governance stores over one connection. They share the history:
 * writing an evaluation records its day there, in the same transaction.
 */
export function governanceStores(knex: Knex): GovernanceStores {
  const history = new GovernanceHistory(knex);
  return {
    store: new GovernanceStore(knex, history),
    waivers: new WaiverStore(knex),
    history,
  };
}
