import type { Entity } from '@backstage/catalog-model';
import type { DataProductEntity } from '@quanta/plugin-data-mesh-common';
import {
  type InputPortFacts,
  type OutputPortFacts,
  type PreparedProduct,
  preparedProduct,
  text,
} from '../engine/facts';
import type { PolicyCheck } from '../engine/types';

export { text };
export type { InputPortFacts, OutputPortFacts };

// Checks are plain data the engine only reads, so constant outcomes are made
// once (and frozen) rather than per product.
const PASS: PolicyCheck = Object.freeze({ status: 'pass' });

export const pass = (): PolicyCheck => PASS;

export const fail = (message: string): PolicyCheck => ({
  status: 'fail',
  message,
});

export const notApplicable = (message: string): PolicyCheck => ({
  status: 'not-applicable',
  message,
});

/** A constant outcome, for messages that do not depend on the product. */
export const constant = (check: PolicyCheck): PolicyCheck =>
  Object.freeze(check);

/** Outcomes several policies share, made once. */
export const NO_OUTPUT_PORTS = constant(
  notApplicable('The product has no output ports'),
);
export const NOT_IN_PRODUCTION = constant(notApplicable('Not in production'));

/** Fails with every problem found, or passes when there is none. */
export const failIfAny = (problems: string[]): PolicyCheck =>
  problems.length ? fail(problems.join('; ')) : PASS;

/**
 * Adds to a list made on first use. A list grown from empty by push
 * reserves room for many entries; most lists here hold one.
 */
export function add<T>(list: T[] | undefined, item: T): T[] {
  if (!list) return [item];
  list.push(item);
  return list;
}

/** `a`, `a and b`, `a, b and c` (or `a, b or c`). */
export function listOf(items: string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${
    items[items.length - 1]
  }`;
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** What the policies read about a product, worked out once per product. */
export function prepared(product: DataProductEntity): PreparedProduct {
  return preparedProduct(product);
}

/** The product's own reference, lower-case as the mesh index keys it. */
export function selfRef(product: DataProductEntity): string {
  return preparedProduct(product).ref;
}

/** The output ports of a product with their names (or `#n` when unnamed). */
export function outputPorts(product: DataProductEntity): OutputPortFacts[] {
  return preparedProduct(product).outputPorts;
}

/** The input ports of a product with what they read, as the catalog reads the references. */
export function inputPorts(product: DataProductEntity): InputPortFacts[] {
  return preparedProduct(product).inputPorts;
}

/** The lifecycle an entity declares, if any. */
export function lifecycleOf(entity: Entity | undefined): string | undefined {
  return text(entity?.spec?.lifecycle);
}

export type RecurringNode = {
  key: unknown;
  parent?: RecurringNode;
  children?: Map<unknown, RecurringNode>;
  outcome?: PolicyCheck;
};

/**
 * Outcomes that recur from product to product, found by the values they are
 * made of (say the names of the ports lacking something) instead of being
 * made anew: products built from the same template fail the same way, and
 * the engine shares the result of an outcome it has seen.
 */
export class Recurring {
  private readonly root: RecurringNode = { key: undefined };
  private nodes = 0;

  /** The node for `key` after `node`, or after the start. */
  step(node: RecurringNode | undefined, key: unknown): RecurringNode {
    const from = node ?? this.root;
    let next = from.children?.get(key);
    if (!next) {
      // Bounded: values come from descriptors.
      if (++this.nodes > 10_000) {
        this.root.children = undefined;
        this.nodes = 1;
      }
      next = { key, parent: from === this.root ? undefined : from };
      (from.children ??= new Map()).set(key, next);
    }
    return next;
  }

  /** The outcome for the values up to `node`, made from them the first time. */
  outcome(
    node: RecurringNode,
    make: (values: unknown[]) => PolicyCheck,
  ): PolicyCheck {
    if (!node.outcome) {
      const values: unknown[] = [];
      for (let n: RecurringNode | undefined = node; n; n = n.parent) {
        values.push(n.key);
      }
      node.outcome = constant(make(values.reverse()));
    }
    return node.outcome;
  }
}

/** `Output port a has no contract` or `Output ports a and b have no contract`. */
export function portsLacking(names: string[], what: string): string {
  return names.length === 1
    ? `Output port ${names[0]} has ${what}`
    : `Output ports ${listOf(names)} have ${what}`;
}
