import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  type ContractChange,
  type ContractConsumerLink,
  type ContractImpactConsumer,
  type ContractImpactResponse,
  compareContracts,
  contractVersionProblem,
  entityRefKey,
  requiredVersionBump,
} from '@quanta/plugin-data-mesh-common';
import { z } from 'zod';
import type { LineageService } from '../lineage/LineageService';
import { entityRefInput } from '../shared/http';
import { odcsProblem, parseContractText } from './ContractReader';
import type { ContractStore, StoredContractVersion } from './ContractStore';

const PORT_MESSAGE =
  "expected the name of one of the product's output ports, such as orders-table";
const CONTRACT_MESSAGE =
  'expected the proposed ODCS contract, as an object or as its YAML text';

/** The body of `POST /contracts/impact`; `maxSize` bounds the contract's text. */
export function impactRequestSchema(maxSize: number) {
  return z.object({
    entityRef: entityRefInput,
    port: z
      .string({ error: PORT_MESSAGE })
      .trim()
      .min(1, PORT_MESSAGE)
      .max(255, `${PORT_MESSAGE}, at most 255 characters`),
    contract: z.union(
      [
        z
          .string()
          .refine(
            text => Buffer.byteLength(text, 'utf8') <= maxSize,
            `the contract text is over ${maxSize} bytes; keep it smaller or raise dataMesh.contracts.maxSize`,
          ),
        z.record(z.string(), z.unknown()),
      ],
      { error: CONTRACT_MESSAGE },
    ),
  });
}

/** A proposed contract, parsed from YAML when given as text. */
export function readProposal(contract: string | Record<string, unknown>): {
  document?: Record<string, unknown>;
  problems: string[];
} {
  let document: unknown = contract;
  if (typeof contract === 'string') {
    const parsed = parseContractText(contract);
    if ('notYaml' in parsed) {
      return { problems: [`contract: not YAML: ${parsed.notYaml}`] };
    }
    document = parsed.document;
  }
  const problem = odcsProblem(document);
  if (problem) return { problems: [`contract.${problem}`] };
  return { document: document as Record<string, unknown>, problems: [] };
}

/**
 * The breaking changes that touch a consumer reading `fields`: those on a
 * field it reads (a nested field counts through its top-level column) and
 * those on no field (a removed object, the SLA); all of them when its fields
 * are unknown.
 */
export function affectedBy(
  breaking: ContractChange[],
  fields: string[] | undefined,
): string[] {
  if (!fields) return breaking.map(c => c.message);
  const read = new Set(fields.map(f => f.toLocaleLowerCase('en-US')));
  return breaking
    .filter(change => {
      if (!change.field) return true;
      const field = change.field.toLocaleLowerCase('en-US');
      return read.has(field) || read.has(field.split('.')[0]);
    })
    .map(c => c.message);
}

/**
 * The fields each consumer reads from a product's output port, by consumer
 * ref, from column lineage; a consumer absent from the map reads fields
 * nobody knows.
 */
export type ConsumerFields = (producer: {
  entityRef: string;
  port: string;
}) => Promise<Map<string, string[]>>;

/** A product reading a port, as lineage knows it. */
export type PortConsumer = {
  entityRef: string;
  title?: string;
  owner?: string;
  via: ContractConsumerLink[];
  fields?: string[];
};

/**
 * Products reading one output port, and what a contract change breaks for
 * them: declared (an input port names the product and the port), observed
 * (OpenLineage runs read the port's dataset and wrote the consumer's) or
 * granted (an approved access request; the consumer may be a component).
 */
export class ContractImpact {
  constructor(
    private readonly options: {
      store: ContractStore;
      lineage: LineageService;
      catalog: CatalogService;
      fields?: ConsumerFields;
    },
  ) {}

  /** The consumers of (entityRef, port), sorted by ref. */
  async consumers(entityRef: string, port: string): Promise<PortConsumer[]> {
    const ref = entityRefKey(entityRef);
    const graph = await this.options.lineage.query(ref, {
      upstream: 0,
      downstream: 1,
      limit: Number.MAX_SAFE_INTEGER,
    });
    if (!graph) return [];
    const nodes = new Map(graph.nodes.map(n => [n.entityRef, n]));
    const read = this.options.fields
      ? await this.options.fields({ entityRef: ref, port })
      : new Map<string, string[]>();
    const out: PortConsumer[] = [];
    for (const edge of graph.edges) {
      if (edge.from !== ref || edge.to === ref) continue;
      const node = nodes.get(edge.to);
      if (node?.nodeType !== 'data-product' && node?.nodeType !== 'consumer') {
        continue;
      }
      const via: ContractConsumerLink[] = [];
      if (edge.ports.some(p => p.outputPort === port)) via.push('declared');
      if (edge.observed?.outputPorts.includes(port)) via.push('observed');
      if (edge.granted?.some(g => g.outputPort === port)) via.push('granted');
      if (!via.length) continue;
      const fields = read.get(edge.to);
      out.push({
        entityRef: edge.to,
        ...(node.title ? { title: node.title } : {}),
        ...(node.owner ? { owner: node.owner } : {}),
        via,
        ...(fields ? { fields: [...fields].sort() } : {}),
      });
    }
    return out.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  /** The version consumers read now: the last read's, else the newest stored. */
  async currentVersion(
    entityRef: string,
    port: string,
  ): Promise<StoredContractVersion | undefined> {
    const ref = entityRefKey(entityRef);
    const [states, versions] = await Promise.all([
      this.options.store.getStates(ref),
      this.options.store.getVersions(ref, port),
    ]);
    const digest = states.get(port)?.digest;
    return versions.find(v => v.digest === digest) ?? versions[0];
  }

  /**
   * The impact of replacing the contract of `entity`'s `port` by `contract`.
   * Consumers and owners the caller may not see in the catalog are left out.
   * Throws NotFoundError when the product has no such output port.
   */
  async assess(
    entity: Entity,
    port: string,
    contract: string | Record<string, unknown>,
    credentials: BackstageCredentials,
  ): Promise<ContractImpactResponse> {
    const ref = entityRefKey(stringifyEntityRef(entity));
    const ports = (entity.spec as any)?.outputPorts;
    const known =
      Array.isArray(ports) && ports.some((p: any) => p?.name === port);
    if (!known) {
      throw new NotFoundError(
        `${ref} has no output port ${port}; name one of its spec.outputPorts`,
      );
    }
    const proposal = readProposal(contract);
    const current = await this.currentVersion(ref, port);
    const changes =
      current && proposal.document
        ? compareContracts(current.document, proposal.document)
        : [];
    const bump = requiredVersionBump(changes);
    const proposedVersion =
      typeof proposal.document?.version === 'string'
        ? proposal.document.version
        : undefined;
    const problem = contractVersionProblem(
      current?.contractVersion,
      proposedVersion,
      bump,
    );
    const breaking = changes.filter(c => c.level === 'breaking');
    const consumers = await this.visible(
      await this.consumers(ref, port),
      credentials,
    );
    const assessed: ContractImpactConsumer[] = consumers.map(
      ({ consumer, ownerTitle }) => ({
        entityRef: consumer.entityRef,
        ...(consumer.title ? { title: consumer.title } : {}),
        ...(consumer.owner
          ? {
              owner: {
                ref: consumer.owner,
                ...(ownerTitle ? { title: ownerTitle } : {}),
              },
            }
          : {}),
        via: consumer.via,
        ...(consumer.fields ? { fields: consumer.fields } : {}),
        affectedBy: affectedBy(breaking, consumer.fields),
      }),
    );
    const count = (level: ContractChange['level']) =>
      changes.filter(c => c.level === level).length;
    return {
      entityRef: ref,
      port,
      current: current
        ? { version: current.contractVersion, digest: current.digest }
        : null,
      proposed: {
        ...(proposedVersion !== undefined ? { version: proposedVersion } : {}),
        ...(typeof proposal.document?.apiVersion === 'string'
          ? { apiVersion: proposal.document.apiVersion }
          : {}),
        problems: proposal.problems,
      },
      changes,
      requiredVersionBump: bump,
      ...(problem ? { versionProblem: problem } : {}),
      consumers: assessed,
      summary: {
        breaking: breaking.length,
        warning: count('warning'),
        compatible: count('compatible'),
        consumers: assessed.length,
        affectedConsumers: assessed.filter(c => c.affectedBy.length).length,
      },
    };
  }

  /**
   * The consumers the caller can see in the catalog, with their owners'
   * titles: one catalog request, under the caller's credentials.
   */
  private async visible(
    consumers: PortConsumer[],
    credentials: BackstageCredentials,
  ) {
    if (!consumers.length) return [];
    const owners = [
      ...new Set(consumers.flatMap(c => (c.owner ? [c.owner] : []))),
    ];
    const refs = [...consumers.map(c => c.entityRef), ...owners];
    const { items } = await this.options.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.profile.displayName',
        ],
      },
      { credentials },
    );
    const found = new Map<string, Entity>();
    refs.forEach((r, i) => {
      const item = items[i];
      if (item) found.set(r, item);
    });
    return consumers
      .filter(consumer => found.has(consumer.entityRef))
      .map(consumer => {
        const owner = consumer.owner ? found.get(consumer.owner) : undefined;
        const ownerTitle =
          owner?.metadata.title ??
          ((owner?.spec as any)?.profile?.displayName as string | undefined);
        return { consumer, ownerTitle };
      });
  }
}
