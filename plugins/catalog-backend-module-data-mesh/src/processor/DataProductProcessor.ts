import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  type CompoundEntityRef,
  type Entity,
  KubernetesValidatorFunctions,
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
  DEFAULT_MAX_DESCRIPTOR_DEPTH,
  DEFAULT_MAX_DESCRIPTOR_SIZE,
  type DataProductProblem,
  MAX_REPORTED_PROBLEMS,
  RELATION_HAS_PRODUCT_OWNER,
  RELATION_PRODUCT_OWNER_OF,
  checkCatalogStorable,
  checkDescriptorLimits,
  dataProductAddress,
  describeValue,
  entityRefPartProblem,
  escapeText,
  formatProblem,
  parseDataProductRefs,
  validateDataProduct,
} from '@quanta/plugin-data-mesh-common';
import { MAX_DESCRIPTOR_SIZE_KEY, readMaxDescriptorSize } from './config';
import { ANNOTATION_REFUSED_BY_READER } from '../parser/boundedYaml';

/** Control, format (bidi, zero-width) and separator characters, which a message never echoes raw. */
const UNSAFE_TEXT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** Characters of a file parser's refusal kept in the error. */
const REFUSAL_LENGTH = 2000;

/**
 * Lets the event loop run what waits before the next part of the work on a
 * descriptor: the catalog processes an entity as one chain of promises,
 * which runs to its end unless something in it waits.
 */
const nextTurn = () => new Promise<void>(resolve => setImmediate(resolve));

/** Status item type the catalog's own processing errors use; the entity page shows these. */
const CATALOG_PROCESSING_STATUS = 'backstage.io/catalog-processing';

/** Problems the warning log line quotes; the entity's status has them all. */
const LOGGED_PROBLEMS = 3;
/** Characters of each problem the log line keeps. */
const LOGGED_PROBLEM_LENGTH = 300;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Options of {@link DataProductProcessor}.
 *
 * @public
 */
export type DataProductProcessorOptions = {
  logger?: LoggerService;
  /**
   * The largest descriptor taken, in bytes of JSON; larger ones are refused.
   * Default `DEFAULT_MAX_DESCRIPTOR_SIZE` of
   * `@quanta/plugin-data-mesh-common` (512 KiB).
   */
  maxDescriptorSize?: number;
  /**
   * Reads the version of a product the catalog serves now, by entity ref.
   * With it, an edit that breaks a valid product is not applied: the
   * catalog keeps serving the last valid version, relations and all, with
   * the edit's problems on its status. Without it, every descriptor with
   * problems is stored with them. The module passes one reading the
   * catalog's own API with the module's service credentials.
   */
  readServedVersion?: (entityRef: string) => Promise<Entity | undefined>;
};

/**
 * Makes `kind: DataProduct` a first-class catalog kind: validates descriptors,
 * stamps each product's global address and emits its relations in both
 * directions.
 *
 * A new descriptor with problems is still accepted, with its problems (the
 * first 50, then one that counts the rest) attached as errors on the
 * entity's status. Rejecting it would keep a new product out of the catalog
 * altogether, with its errors visible only in the backend log, which is
 * exactly when its team most needs to see them. An edit that breaks a
 * product whose served version is valid is not applied instead (see
 * `readServedVersion`): its problems are processing errors, so the catalog
 * keeps the valid version and shows them on it, and consumers keep the
 * ports, owner and relations they rely on until the descriptor is fixed.
 *
 * A descriptor that cannot be read safely is refused instead, before
 * anything else reads it: larger than `maxDescriptorSize` as JSON (a small
 * YAML file can expand through aliases), nested deeper than 32 levels, or
 * without a usable identity (`metadata` missing or not an object, a name or
 * namespace the catalog does not allow), or holding what the catalog's
 * database cannot store (U+0000, field names that differ only in case).
 * So is the stand-in the module's file parser makes of a descriptor it
 * refused. Processing fails with an InputError
 * naming the field: the catalog keeps the product's previous version, shows
 * the error on it, and emits no relations from the refused one.
 *
 * @public
 */
export class DataProductProcessor implements CatalogProcessor {
  private readonly logger?: LoggerService;
  private readonly maxDescriptorSize: number;
  private readonly readServedVersion?: (
    entityRef: string,
  ) => Promise<Entity | undefined>;
  /** Entities found safe by preProcessEntity, so postProcessEntity need not walk the same object again. */
  private readonly checked = new WeakSet<object>();

  /**
   * A processor with the size limit of `dataMesh.catalog.maxDescriptorSize`
   * (default 512kb); throws when that is not a size.
   */
  static fromConfig(
    config: RootConfigService,
    options: Omit<DataProductProcessorOptions, 'maxDescriptorSize'> = {},
  ): DataProductProcessor {
    return new DataProductProcessor({
      ...options,
      maxDescriptorSize: readMaxDescriptorSize(config),
    });
  }

  constructor(options: DataProductProcessorOptions = {}) {
    this.logger = options.logger;
    this.maxDescriptorSize =
      options.maxDescriptorSize ?? DEFAULT_MAX_DESCRIPTOR_SIZE;
    this.readServedVersion = options.readServedVersion;
  }

  /** The name the catalog logs and reports this processor under. */
  getProcessorName(): string {
    return 'DataProductProcessor';
  }

  /** Claims entities of kind DataProduct, so the catalog accepts the kind. */
  async validateEntityKind(entity: Entity): Promise<boolean> {
    return entity.kind === DATA_PRODUCT_KIND;
  }

  /**
   * Refuses a DataProduct that cannot be read safely, before the catalog's
   * own checks and every other processor spend time on it.
   */
  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (entity?.kind === DATA_PRODUCT_KIND) {
      await nextTurn();
      this.refuseUnsafe(entity);
      this.checked.add(entity);
    }
    return entity;
  }

  /**
   * For a DataProduct: refuses it if it cannot be read safely; otherwise
   * checks its apiVersion and descriptor, emits its relations, stamps its
   * global address annotation and attaches any problems as errors on its
   * status. Other entities pass through unchanged.
   */
  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity?.kind !== DATA_PRODUCT_KIND) {
      return entity;
    }
    // Measured again unless this is the very object preProcessEntity
    // measured: the catalog hands post-processing a copy, and a processor
    // after this one may have changed it. Once measured here, the
    // validator need not walk it a third time.
    await nextTurn();
    if (!this.checked.has(entity)) this.refuseUnsafe(entity);

    const problems: DataProductProblem[] = [];
    if (entity.apiVersion !== DATA_PRODUCT_API_VERSION) {
      problems.push({
        path: 'apiVersion',
        found: describeValue(entity.apiVersion),
        expected: DATA_PRODUCT_API_VERSION,
      });
    }
    problems.push(
      ...validateDataProduct(entity, {
        maxSize: this.maxDescriptorSize,
        maxProblems: MAX_REPORTED_PROBLEMS - problems.length,
        limitsChecked: true,
      }),
    );
    await nextTurn();

    if (
      problems.length > 0 &&
      (await this.keepServedVersion(entity, location, problems, emit))
    ) {
      return entity;
    }

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
    this.logProblems(entity, messages);
    const existing = (result as any).status?.items;
    return {
      ...result,
      status: {
        items: [
          ...(Array.isArray(existing) ? existing : []),
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

  /**
   * For an edit with problems: when the catalog serves a valid version of the
   * product, emits the problems as processing errors, which makes the
   * catalog keep that version (spec, relations, address) and show them on
   * it, and answers true. Answers false, so that the edit is stored with its
   * problems, when the product is new or its served version is broken too.
   * When the served version cannot be read, the processing fails as well:
   * storing the edit could replace a valid version, and the catalog retries
   * on its next pass.
   */
  private async keepServedVersion(
    entity: Entity,
    location: LocationSpec,
    problems: DataProductProblem[],
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    if (!this.readServedVersion) return false;
    const ref = `${DATA_PRODUCT_KIND.toLocaleLowerCase('en-US')}:${
      entity.metadata.namespace ?? 'default'
    }/${entity.metadata.name}`;
    let served: Entity | undefined;
    try {
      served = await this.readServedVersion(ref);
    } catch (error) {
      const reason = escapeText(String((error as Error)?.message ?? error));
      emit(
        processingResult.generalError(
          location,
          `The served version of ${ref} could not be read to decide whether this edit, which has problems, may replace it (${reason.slice(
            0,
            LOGGED_PROBLEM_LENGTH,
          )}); the catalog retries on its next pass`,
        ),
      );
      this.emitProblems(problems, location, emit);
      return true;
    }
    if (!served || !this.isValid(served)) return false;
    emit(
      processingResult.inputError(
        location,
        `This edit of ${ref} was not applied: it has the problems below, so the catalog keeps serving the last valid version (its ports, owner and relations) until the descriptor is fixed`,
      ),
    );
    this.emitProblems(problems, location, emit);
    this.logProblems(entity, problems.map(formatProblem), 'edit not applied');
    return true;
  }

  private emitProblems(
    problems: DataProductProblem[],
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ) {
    for (const problem of problems) {
      emit(processingResult.inputError(location, formatProblem(problem)));
    }
  }

  /** Whether a served version has no problem of its own; its status and relations are the catalog's, not the descriptor's. */
  private isValid(served: Entity): boolean {
    if (served.kind !== DATA_PRODUCT_KIND) return false;
    if (served.apiVersion !== DATA_PRODUCT_API_VERSION) return false;
    const { uid: _uid, etag: _etag, ...metadata } = served.metadata ?? {};
    const descriptor = {
      apiVersion: served.apiVersion,
      kind: served.kind,
      metadata,
      spec: served.spec,
    };
    return (
      validateDataProduct(descriptor, {
        maxSize: this.maxDescriptorSize,
        maxProblems: 1,
      }).length === 0
    );
  }

  /**
   * Throws for a descriptor nothing should read further: no usable identity,
   * over the size limit or nested too deep. The size and depth are measured
   * by a walk that stops at the limit, so a descriptor of a hundred
   * megabytes costs no more to refuse than one just over the limit.
   */
  private refuseUnsafe(entity: Entity): void {
    const refuse = (problem: DataProductProblem, fix?: string): never => {
      throw new InputError(
        `DataProduct refused, nothing of it was read: ${formatProblem(
          problem,
        )}${fix ? ` (${fix})` : ''}`,
      );
    };
    const metadata: unknown = (entity as any).metadata;
    if (!isObject(metadata)) {
      refuse({
        path: 'metadata',
        found: describeValue(metadata),
        expected: "an object with at least the product's name",
      });
    }
    // A stand-in for a descriptor the module's file parser refused (too
    // large once its aliases expand, or a cycle): it holds the refusal,
    // which is raised here so that it shows on the product.
    const refusal = isObject((metadata as any).annotations)
      ? (metadata as any).annotations[ANNOTATION_REFUSED_BY_READER]
      : undefined;
    if (typeof refusal === 'string') {
      // Written by the parser, escaped already; a descriptor that writes it
      // itself only refuses its own product, and its text is escaped.
      throw new InputError(
        UNSAFE_TEXT.test(refusal)
          ? escapeText(refusal, REFUSAL_LENGTH)
          : refusal.slice(0, REFUSAL_LENGTH),
      );
    }
    const limits = checkDescriptorLimits(entity, {
      maxSize: this.maxDescriptorSize,
      maxDepth: DEFAULT_MAX_DESCRIPTOR_DEPTH,
    });
    if (limits) {
      refuse(
        limits,
        limits.found.startsWith('a descriptor larger')
          ? `the limit is ${MAX_DESCRIPTOR_SIZE_KEY}`
          : undefined,
      );
    }
    const { name, namespace, annotations } = metadata as Record<string, any>;
    // The catalog checks these too, after the pre-processing step; the
    // processor does not rely on that, as it builds relations and a log line
    // from them.
    const which = (value: unknown, part: 'name' | 'namespace') =>
      typeof value === 'string'
        ? `${describeValue(value)}, which ${
            entityRefPartProblem(value, part) ?? 'has upper-case letters'
          }`
        : describeValue(value);
    if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
      refuse({
        path: 'metadata.name',
        found: which(name, 'name'),
        expected:
          "a name of letters, digits, '-', '_' and '.' that starts and ends with a letter or digit, at most 63 characters",
      });
    }
    if (
      namespace !== undefined &&
      !KubernetesValidatorFunctions.isValidNamespace(namespace)
    ) {
      refuse({
        path: 'metadata.namespace',
        found: which(namespace, 'namespace'),
        expected:
          "a namespace of lower-case letters, digits and '-', at most 63 characters",
      });
    }
    if (annotations !== undefined && !isObject(annotations)) {
      refuse({
        path: 'metadata.annotations',
        found: describeValue(annotations),
        expected: 'an object of annotation names and values',
      });
    }
    // What the catalog's database and search index cannot hold (U+0000,
    // field names that differ only in case) would make the product vanish
    // from every list, with the error only in the backend log.
    const unstorable = checkCatalogStorable(entity);
    if (unstorable) refuse(unstorable);
  }

  /**
   * One warning line, bounded whatever the descriptor holds: the product, the
   * number of problems and the first few, each cut short. Problems echo
   * descriptor text only escaped, so the line cannot be split or coloured.
   */
  private logProblems(entity: Entity, messages: string[], outcome?: string) {
    if (!this.logger) return;
    const shown = messages
      .slice(0, LOGGED_PROBLEMS)
      .map(m =>
        m.length > LOGGED_PROBLEM_LENGTH
          ? `${m.slice(0, LOGGED_PROBLEM_LENGTH)}…`
          : m,
      );
    const first = messages.length > LOGGED_PROBLEMS ? '; the first ones' : '';
    this.logger.warn(
      `DataProduct ${escapeText(
        entity.metadata.namespace ?? 'default',
      )}/${escapeText(entity.metadata.name)}: ${messages.length} error(s) ${
        outcome
          ? `(${outcome}, the last valid version stays served)`
          : 'on its status'
      }${first}: ${shown.join('; ')}`,
    );
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
