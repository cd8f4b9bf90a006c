import type { DataProductSpec } from '@quanta/plugin-data-mesh-common';

/** The schema fields marked as PII, as `port.field`. */
export function piiFieldsOf(spec: Partial<DataProductSpec>): string[] {
  const ports = Array.isArray(spec.outputPorts) ? spec.outputPorts : [];
  return ports.flatMap(port =>
    (Array.isArray(port.schema) ? port.schema : [])
      .filter(field => field.pii)
      .map(field => `${port.name}.${field.name}`),
  );
}
