import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type CompoundEntityRef,
  type Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  type CatalogProcessor,
  type CatalogProcessorEmit,
  type LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_DATA_PRODUCT_ADDRESS,
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  type DataProductProblem,
  RELATION_HAS_PRODUCT_OWNER,
  RELATION_PRODUCT_OWNER_OF,
  dataProductAddress,
  describeValue,
  formatProblem,
  parseDataProductRefs,
  validateDataProduct,
} from '@quanta/plugin-data-mesh-common';

/** Status item type the catalog's own processing errors use; the entity page shows these. */
const CATALOG_PROCESSING_STATUS = 'backstage.io/catalog-processing';

/**
 * Makes `kind: DataProduct` a first-class catalog kind: validates descriptors,
 * stamps each product's global address and emits its relations in both
 * directions.
 *
 * A descriptor with problems is still accepted, with every problem attached
 * as an error on the entity's status. Rejecting it would keep a new product
 * out of the catalog altogether, with its errors visible only in the backend
 * log, which is exactly when its team most needs to see them.
 *
 * @public
 */
export class DataProductProcessor implements CatalogProcessor {
  constructor(private readonly options: { logger?: LoggerService } = {}) {}

  /** The name the catalog logs and reports this processor under. */
  getProcessorName(): string {
    return 'DataProductProcessor';
  }

  /** Claims entities of kind DataProduct, so the catalog accepts the kind. */
  async validateEntityKind(entity: Entity): Promise<boolean> {
    return entity.kind === DATA_PRODUCT_KIND;
  }

  /**
   * For a DataProduct: checks its apiVersion and descriptor, emits its
   * relations, stamps its global address annotation and attaches any problems
   * as errors on its status. Other entities pass through unchanged.
   */
  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity.kind !== DATA_PRODUCT_KIND) {
      return entity;
    }

    const problems: DataProductProblem[] = [];
    if (entity.apiVersion !== DATA_PRODUCT_API_VERSION) {
      problems.push({
        path: 'apiVersion',
        found: describeValue(entity.apiVersion),
        expected: DATA_PRODUCT_API_VERSION,
      });
    }
    problems.push(...validateDataProduct(entity));

    this.emitRelations(entity, emit);

    const result: Entity = {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_DATA_PRODUCT_ADDRESS]: dataProductAddress(entity),
        },
      },
    };
    if (problems.length === 0) {
      return result;
    }

    const messages = problems.map(formatProblem);
    this.options.logger?.warn(
      `DataProduct ${entity.metadata.namespace ?? 'default'}/${
        entity.metadata.name
      } has ${messages.length} problem(s): ${messages.join('; ')}`,
    );
    const statusItems = (result as any).status?.items ?? [];
    return {
      ...result,
      status: {
        items: [
          ...statusItems,
          ...messages.map(message => ({
            type: CATALOG_PROCESSING_STATUS,
            level: 'error',
            message: `InputError: ${message}`,
            error: { name: 'InputError', message },
          })),
        ],
      },
    } as Entity;
  }

  /** Emits relations for every reference that parses, even on a descriptor with other problems. */
  private emitRelations(entity: Entity, emit: CatalogProcessorEmit) {
    const self: CompoundEntityRef = {
      kind: entity.kind.toLocaleLowerCase('en-US'),
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    };
    const both = (
      target: CompoundEntityRef | undefined,
      forward: string,
      reverse: string,
    ) => {
      if (!target) return;
      emit(processingResult.relation({ source: self, type: forward, target }));
      emit(
        processingResult.relation({
          source: target,
          type: reverse,
          target: self,
        }),
      );
    };

    const { refs } = parseDataProductRefs(entity);
    both(refs.owner, RELATION_OWNED_BY, RELATION_OWNER_OF);
    both(
      refs.productOwner,
      RELATION_HAS_PRODUCT_OWNER,
      RELATION_PRODUCT_OWNER_OF,
    );
    both(refs.domain, RELATION_PART_OF, RELATION_HAS_PART);
    both(refs.system, RELATION_PART_OF, RELATION_HAS_PART);
    for (const port of refs.inputPorts) {
      both(port.dataProduct, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
      both(port.source, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
    }
  }
}
