import {
  type AccessPortSensitivity,
  CLASSIFICATIONS,
  type Classification,
  type DataProductEntity,
  type OutputPort,
} from '@quanta/plugin-data-mesh-common';

function rank(value: unknown): number {
  return CLASSIFICATIONS.indexOf(value as Classification);
}

/**
 * How sensitive an output port is: the highest of the product's
 * classification and its fields' (public, internal, confidential,
 * restricted, from least to most), and whether the product or any field
 * holds personal data. A port without any classification has none: it is
 * not taken for public. Only a public port without personal data may be
 * approved automatically, and only when the portal allows it.
 */
export function portSensitivity(
  product: DataProductEntity,
  port: OutputPort,
  autoApprovePublic: boolean,
): AccessPortSensitivity {
  const fields = Array.isArray(port.schema) ? port.schema : [];
  let highest = rank(product.spec.classification);
  for (const field of fields)
    highest = Math.max(highest, rank(field?.classification));
  const classification = highest >= 0 ? CLASSIFICATIONS[highest] : undefined;
  const containsPii =
    product.spec.containsPii === true ||
    fields.some(field => field?.pii === true);
  return {
    ...(classification ? { classification } : {}),
    containsPii,
    autoApproved:
      autoApprovePublic && classification === 'public' && !containsPii,
  };
}

/** The output ports a product declares (none when the descriptor has no list). */
export function outputPortsOf(product: DataProductEntity): OutputPort[] {
  return Array.isArray(product.spec.outputPorts)
    ? product.spec.outputPorts.filter(
        port => port && typeof port.name === 'string',
      )
    : [];
}
