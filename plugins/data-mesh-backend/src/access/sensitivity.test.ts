import type {
  DataProductEntity,
  OutputPort,
} from '@quanta/plugin-data-mesh-common';
import { dataProduct } from '../__testUtils__/products';
import { portSensitivity } from './sensitivity';

function port(schema?: OutputPort['schema']): OutputPort {
  return {
    name: 'table',
    type: 'table',
    format: 'parquet',
    address: 's3://lake/x/',
    ...(schema ? { schema } : {}),
  };
}

const product = (spec: object = {}) =>
  dataProduct('x', spec as any) as DataProductEntity;

describe('portSensitivity', () => {
  it('takes the highest of the product and field classifications', () => {
    expect(
      portSensitivity(
        product({ classification: 'internal' }),
        port([
          { name: 'a', type: 'string', classification: 'public' },
          { name: 'b', type: 'string', classification: 'confidential' },
        ]),
        true,
      ),
    ).toEqual({
      classification: 'confidential',
      containsPii: false,
      autoApproved: false,
    });
    expect(
      portSensitivity(
        product({ classification: 'restricted' }),
        port([{ name: 'a', type: 'string', classification: 'public' }]),
        true,
      ).classification,
    ).toBe('restricted');
  });

  it('auto-approves public ports without personal data only, and only when allowed', () => {
    const publicProduct = product({ classification: 'public' });
    expect(portSensitivity(publicProduct, port(), true)).toEqual({
      classification: 'public',
      containsPii: false,
      autoApproved: true,
    });
    expect(portSensitivity(publicProduct, port(), false).autoApproved).toBe(
      false,
    );
    // Personal data, declared on the product or on one field, needs an approver.
    expect(
      portSensitivity(
        product({ classification: 'public', containsPii: true }),
        port(),
        true,
      ),
    ).toEqual({
      classification: 'public',
      containsPii: true,
      autoApproved: false,
    });
    expect(
      portSensitivity(
        publicProduct,
        port([{ name: 'email', type: 'string', pii: true }]),
        true,
      ),
    ).toEqual({
      classification: 'public',
      containsPii: true,
      autoApproved: false,
    });
  });

  it('leaves an unclassified port unclassified, never public', () => {
    expect(portSensitivity(product(), port(), true)).toEqual({
      containsPii: false,
      autoApproved: false,
    });
  });
});
