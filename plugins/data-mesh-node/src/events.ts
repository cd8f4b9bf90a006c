/**
 * The events service topic on which the data-mesh backend announces the data
 * products that changed: in the catalog since they were last evaluated, or
 * in their governance level or score. Payloads are
 * {@link DataMeshProductsChangedEvent}.
 *
 * @public
 */
export const DATA_MESH_PRODUCTS_CHANGED_TOPIC = 'data-mesh.products.changed';

/**
 * The most products one {@link DataMeshProductsChangedEvent} names; a run
 * that changed more publishes several events.
 *
 * @public
 */
export const DATA_MESH_PRODUCTS_CHANGED_MAX_PRODUCTS = 500;

/**
 * One data product in a {@link DataMeshProductsChangedEvent}.
 *
 * @public
 */
export type DataMeshProductChange = {
  /** The product's entity reference, in lower case: `dataproduct:<namespace>/<name>`. */
  entityRef: string;
  /**
   * What happened to its catalog entry since the product was last evaluated:
   * `updated` (new, or its etag changed), `removed` (no longer in the
   * catalog) or `unchanged` (only its scorecard changed).
   */
  catalog: 'updated' | 'removed' | 'unchanged';
  /**
   * Its governance level or score differs from what the previous
   * evaluation gave it, or it was evaluated for the first time. Always
   * false for a removed product.
   */
  scorecardChanged: boolean;
};

/**
 * The payload of an event on {@link DATA_MESH_PRODUCTS_CHANGED_TOPIC},
 * published after an evaluation run that changed at least one product.
 *
 * @public
 */
export type DataMeshProductsChangedEvent = {
  /**
   * What started the evaluation: `catalog` (change detection found edited,
   * new or removed products), `schedule` (the full run) or `api`
   * (`POST /evaluations`).
   */
  trigger: 'catalog' | 'schedule' | 'api';
  /** The evaluation run (`GET /runs`). */
  runId: number;
  /** At least one, at most {@link DATA_MESH_PRODUCTS_CHANGED_MAX_PRODUCTS}. */
  products: DataMeshProductChange[];
};
