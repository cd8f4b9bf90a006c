/**
 * Backend of the Quanta data mesh: the governance scorecard.
 *
 * @packageDocumentation
 */
export { dataMeshPlugin as default } from './plugin';
