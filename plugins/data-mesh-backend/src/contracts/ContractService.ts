import type { LoggerService } from '@backstage/backend-plugin-api';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  type ContractPortView,
  type ContractVersionView,
  compareContracts,
  entityRefKey,
  requiredVersionBump,
} from '@quanta/plugin-data-mesh-common';
import { type CatalogSource, readCatalog } from '../shared/catalog';
import type { ContractReader } from './ContractReader';
import type { ContractPortState, ContractStore } from './ContractStore';

/** An output port's contract declaration, as the descriptor writes it. */
type Declaration = { port: string; location: string; version?: string };

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The contracts a product's output ports declare. */
export function declarations(entity: Entity): Declaration[] {
  const ports = (entity.spec as any)?.outputPorts;
  if (!Array.isArray(ports)) return [];
  const out: Declaration[] = [];
  for (const port of ports) {
    const name = text(port?.name);
    const location = text(port?.contract?.location);
    if (!name || !location) continue;
    const version = port.contract.version;
    out.push({
      port: name,
      location,
      ...(version !== undefined && version !== null
        ? { version: String(version) }
        : {}),
    });
  }
  return out;
}

/**
 * Reads every DataProduct's output port contracts and keeps their versions,
 * and serves them with the changes between versions.
 */
export class ContractService {
  private readonly now: () => Date;

  constructor(
    private readonly options: {
      reader: ContractReader;
      store: ContractStore;
      source: CatalogSource;
      logger: LoggerService;
      now?: () => Date;
      /**
       * Called after each read that found a valid version (such as telling
       * consumers of breaking changes); its failure is logged, the read kept.
       */
      onVersionRead?: (
        entityRef: string,
        port: string,
        digest: string,
      ) => Promise<unknown>;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Reads the contracts of every DataProduct in the catalog. One bad
   * contract (or a database hiccup on one port) is logged and skipped; the
   * rest of the mesh is still read.
   */
  async refresh(): Promise<{ ports: number; failed: number }> {
    let ports = 0;
    let failed = 0;
    for await (const entity of readCatalog(this.options.source, {
      kind: 'DataProduct',
      fields: ['kind', 'metadata', 'spec.outputPorts'],
      pageSize: 200,
    })) {
      const read = await this.readEntity(entity);
      ports += read.ports;
      failed += read.failed;
    }
    this.options.logger.info(
      `Read ${ports} output port contracts; ${failed} could not be recorded`,
    );
    return { ports, failed };
  }

  /**
   * Reads the contracts of these products now, as the refresh would: for
   * products whose descriptor just changed, so that they are judged on the
   * contract they point at, not on the one the last refresh found.
   */
  async refreshEntities(
    entities: Entity[],
  ): Promise<{ ports: number; failed: number }> {
    let ports = 0;
    let failed = 0;
    for (const entity of entities) {
      const read = await this.readEntity(entity);
      ports += read.ports;
      failed += read.failed;
    }
    return { ports, failed };
  }

  private async readEntity(
    entity: Entity,
  ): Promise<{ ports: number; failed: number }> {
    const declared = declarations(entity);
    if (!declared.length) return { ports: 0, failed: 0 };
    const states = await this.options.store.getStates(
      entityRefKey(stringifyEntityRef(entity)),
    );
    let failed = 0;
    for (const declaration of declared) {
      const known = states.get(declaration.port);
      const ok = known
        ? await this.unchanged(entity, declaration, known)
        : false;
      if (!ok && !(await this.readPort(entity, declaration))) failed += 1;
    }
    return { ports: declared.length, failed };
  }

  /**
   * Whether the port's file is the one the last read found and fully
   * checked (same location, same bytes, valid, the official schema applied):
   * then only the read time is recorded, and the file is not parsed and
   * validated again. A read that could not apply the official schema is
   * made again, to apply it once it can be read.
   */
  private async unchanged(
    entity: Entity,
    declaration: Declaration,
    known: ContractPortState,
  ): Promise<boolean> {
    if (
      known.status !== 'ok' ||
      !known.digest ||
      known.location !== declaration.location ||
      known.reason === 'schema-unchecked'
    ) {
      return false;
    }
    const digest = await this.options.reader.digestOf(
      entity,
      declaration.location,
    );
    if (digest !== known.digest) return false;
    const ref = entityRefKey(stringifyEntityRef(entity));
    try {
      await this.options.store.touch(ref, declaration.port, digest, this.now());
      // A notification that failed before is tried again.
      await this.options.onVersionRead?.(ref, declaration.port, digest);
    } catch (error) {
      this.options.logger.warn(
        `Could not record the read of ${ref} port ${declaration.port}: ${error}`,
      );
    }
    return true;
  }

  /** Reads and records one port's contract; false when recording failed. */
  private async readPort(
    entity: Entity,
    declaration: Declaration,
  ): Promise<boolean> {
    const ref = entityRefKey(stringifyEntityRef(entity));
    try {
      const result = await this.options.reader.read(
        entity,
        declaration.location,
      );
      await this.options.store.record(
        ref,
        declaration.port,
        declaration.location,
        result,
        this.now(),
      );
      if (result.status === 'ok' && this.options.onVersionRead) {
        try {
          await this.options.onVersionRead(
            ref,
            declaration.port,
            result.digest,
          );
        } catch (error) {
          this.options.logger.warn(
            `Could not tell the consumers of ${ref} port ${declaration.port} of its new contract version; the next refresh tries again: ${error}`,
          );
        }
      }
      if (result.status !== 'ok') {
        this.options.logger.debug(
          `Contract of ${ref} port ${declaration.port}: ${result.status}: ${result.message}`,
        );
      }
      return true;
    } catch (error) {
      this.options.logger.warn(
        `Could not record the contract of ${ref} port ${declaration.port}: ${error}`,
      );
      return false;
    }
  }

  /**
   * Every output port of `entity` with its contract: the last read, and
   * the versions seen. A declared contract not read yet (a new product or a
   * changed location, before the next refresh) is read now.
   */
  async view(entity: Entity): Promise<ContractPortView[]> {
    const ref = entityRefKey(stringifyEntityRef(entity));
    const declared = new Map(declarations(entity).map(d => [d.port, d]));
    let states = await this.options.store.getStates(ref);
    const unread = [...declared.values()].filter(
      d => states.get(d.port)?.location !== d.location,
    );
    if (unread.length) {
      for (const declaration of unread) {
        await this.readPort(entity, declaration);
      }
      states = await this.options.store.getStates(ref);
    }
    const ports = (entity.spec as any)?.outputPorts;
    const names: string[] = Array.isArray(ports)
      ? ports
          .map((p: any) => text(p?.name))
          .filter((name): name is string => name !== undefined)
      : [];
    const out: ContractPortView[] = [];
    for (const port of names) {
      const declaration = declared.get(port);
      if (!declaration) {
        out.push({ port, status: 'undeclared', versions: [] });
        continue;
      }
      const state = states.get(port);
      const fresh =
        state?.location === declaration.location ? state : undefined;
      const stored = await this.options.store.getVersions(ref, port);
      // One document per port travels, the one a consumer reads: the
      // current version's, or the newest's while the last read found none
      // (the contract is unreadable or invalid now).
      const shown =
        stored.find(version => version.digest === fresh?.digest) ?? stored[0];
      const versions = stored.map((version, i): ContractVersionView => {
        const previous = stored[i + 1];
        const changes = previous
          ? compareContracts(previous.document, version.document)
          : [];
        return {
          digest: version.digest,
          contractId: version.contractId,
          version: version.contractVersion,
          apiVersion: version.apiVersion,
          firstSeenAt: version.firstSeenAt.toISOString(),
          lastSeenAt: version.lastSeenAt.toISOString(),
          current: fresh?.digest === version.digest,
          changes,
          requiredVersionBump: requiredVersionBump(changes),
          ...(version === shown
            ? { document: version.document as Record<string, unknown> }
            : {}),
        };
      });
      out.push({
        port,
        location: declaration.location,
        ...(declaration.version !== undefined
          ? { declaredVersion: declaration.version }
          : {}),
        status: fresh?.status ?? 'pending',
        ...(fresh?.reason ? { reason: fresh.reason } : {}),
        ...(fresh?.message ? { message: fresh.message } : {}),
        ...(fresh ? { readAt: fresh.readAt.toISOString() } : {}),
        versions,
      });
    }
    return out;
  }
}
