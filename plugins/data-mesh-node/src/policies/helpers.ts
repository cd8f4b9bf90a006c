import {
  type CompoundEntityRef,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  type DataProductEntity,
  type InputPort,
  type OutputPort,
  type SchemaField,
} from '@quanta/plugin-data-mesh-common';
import { dataProductRefsOf } from '../engine/refs';
import type { MeshIndex, PolicyCheck } from '../engine/types';

export const pass = (): PolicyCheck => ({ status: 'pass' });

export const fail = (message: string): PolicyCheck => ({
  status: 'fail',
  message,
});

export const notApplicable = (message: string): PolicyCheck => ({
  status: 'not-applicable',
  message,
});

/** Fails with every problem found, or passes when there is none. */
export const failIfAny = (problems: string[]): PolicyCheck =>
  problems.length ? fail(problems.join('; ')) : pass();

/** A trimmed, non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** `a`, `a and b`, `a, b and c` (or `a, b or c`). */
export function listOf(items: string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${
    items[items.length - 1]
  }`;
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** The product's own reference, lower-case as the mesh index keys it. */
export function selfRef(product: DataProductEntity): string {
  return stringifyEntityRef(product).toLocaleLowerCase('en-US');
}

/** The reference as messages show it, e.g. `dataproduct:default/orders`. */
export function refText(ref: CompoundEntityRef): string {
  return stringifyEntityRef(ref);
}

type Named = { name?: unknown };
const nameOf = (port: Named, index: number) =>
  text(port.name) ?? `#${index + 1}`;

export type PortOf<T> = { port: T; index: number; name: string };

/** The output ports of a product with their names (or `#n` when unnamed). */
export function outputPorts(product: DataProductEntity): PortOf<OutputPort>[] {
  const ports: unknown[] = Array.isArray(product.spec?.outputPorts)
    ? product.spec.outputPorts
    : [];
  return ports.flatMap((port, index) =>
    port && typeof port === 'object'
      ? [
          {
            port: port as OutputPort,
            index,
            name: nameOf(port as Named, index),
          },
        ]
      : [],
  );
}

/** The fields of an output port's inline schema. */
export function schemaFields(port: OutputPort): SchemaField[] {
  return Array.isArray(port.schema)
    ? port.schema.filter(f => f && typeof f === 'object')
    : [];
}

export type ResolvedInputPort = PortOf<InputPort> & {
  dataProduct?: CompoundEntityRef;
  source?: CompoundEntityRef;
};

/** The input ports of a product with what they read, as the catalog reads the references. */
export function inputPorts(product: DataProductEntity): ResolvedInputPort[] {
  const ports: unknown[] = Array.isArray(product.spec?.inputPorts)
    ? product.spec.inputPorts
    : [];
  const refs = dataProductRefsOf(product).inputPorts;
  return ports.flatMap((port, index) =>
    port && typeof port === 'object'
      ? [
          {
            port: port as InputPort,
            index,
            name: nameOf(port as Named, index),
            dataProduct: refs[index]?.dataProduct,
            source: refs[index]?.source,
          },
        ]
      : [],
  );
}

/** The upstream data products a product reads, each once, with their catalog entity if any. */
export function upstreamProducts(
  product: DataProductEntity,
  mesh: MeshIndex,
): Array<{ ref: string; entity?: Entity }> {
  const refs = unique(
    inputPorts(product).flatMap(p =>
      p.dataProduct ? [refText(p.dataProduct)] : [],
    ),
  );
  return refs.map(ref => ({ ref, entity: mesh.get(ref)?.entity }));
}

/** The lifecycle an entity declares, if any. */
export function lifecycleOf(entity: Entity | undefined): string | undefined {
  return text(entity?.spec?.lifecycle);
}

/** `Output port a has no contract` or `Output ports a and b have no contract`. */
export function portsLacking(names: string[], what: string): string {
  return names.length === 1
    ? `Output port ${names[0]} has ${what}`
    : `Output ports ${listOf(names)} have ${what}`;
}
