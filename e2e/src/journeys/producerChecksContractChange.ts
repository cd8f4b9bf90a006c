import crypto from 'node:crypto';
import { parse, stringify } from 'yaml';
import { checkAccessibility } from '../a11y';
import { expectEqual, expectTrue, Journey } from '../harness';
import { demoPipelineToken, post } from '../pipeline';

const PRODUCT = 'orders';
const PORT = 'orders-table';
/** A column of examples/contracts/orders.odcs.yaml that consumers read. */
const COLUMN = 'customer_id';
/**
 * A declared consumer whose pipeline reports column lineage: it reads the
 * columns below, never COLUMN, so removing COLUMN does not affect it.
 */
const NARROW_CONSUMER = 'Delivery Performance';
const NARROW_FIELDS = ['order_id', 'placed_at', 'status'];

/**
 * Journey 8: the team that owns Orders opens the contract of its main port,
 * proposes removing a column, and before publishing sees the change the
 * portal classifies as breaking, the major version it needs and every
 * consumer product it would reach, each with its owner team; a consumer
 * whose pipeline reports column lineage shows the columns it reads and,
 * since the removed one is not among them, is not affected.
 */
export const producerChecksContractChange: Journey = {
  id: '8',
  title:
    'A producer proposes removing a column from a contract and sees the consumers it would break',
  async run({ page, api, portal, open, signIn, screenshot }) {
    await signIn();

    // Delivery Performance's pipeline reports which columns of orders it
    // reads (an OpenLineage run with a columnLineage facet).
    const lineage = await post(
      portal.backendUrl,
      '/openlineage',
      {
        eventType: 'COMPLETE',
        eventTime: new Date().toISOString(),
        producer: 'https://github.com/acme/pipelines/e2e',
        schemaURL:
          'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        run: { runId: crypto.randomUUID() },
        job: {
          namespace: 'dbt://acme',
          name: 'supply_chain.delivery_performance',
        },
        inputs: [{ namespace: 'iceberg://lake', name: 'sales/orders' }],
        outputs: [
          {
            namespace: 'snowflake://acme.eu-west-1',
            name: 'ANALYTICS.SUPPLY_CHAIN.DELIVERY_PERFORMANCE',
            facets: {
              columnLineage: {
                _producer: 'https://github.com/acme/pipelines/e2e',
                _schemaURL:
                  'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
                fields: {
                  ORDER_ID: {
                    inputFields: [
                      {
                        namespace: 'iceberg://lake',
                        name: 'sales/orders',
                        field: 'order_id',
                        transformations: [
                          { type: 'DIRECT', subtype: 'IDENTITY' },
                        ],
                      },
                    ],
                  },
                  LEAD_TIME_DAYS: {
                    inputFields: [
                      {
                        namespace: 'iceberg://lake',
                        name: 'sales/orders',
                        field: 'placed_at',
                        transformations: [
                          { type: 'DIRECT', subtype: 'TRANSFORMATION' },
                        ],
                      },
                    ],
                  },
                },
                dataset: [
                  {
                    namespace: 'iceberg://lake',
                    name: 'sales/orders',
                    field: 'status',
                    transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }],
                  },
                ],
              },
            },
          },
        ],
      },
      `Bearer ${demoPipelineToken()}`,
    );
    expectEqual(
      [lineage.status, lineage.body?.fieldReads],
      [201, NARROW_FIELDS.length],
      'POST /openlineage with column lineage: status, fields read',
    );

    // The consumers the catalog declares: products with an input port from
    // orders-table.
    const products = await api.entities('kind=dataproduct');
    const declared = products
      .filter((p: any) =>
        (p.spec?.inputPorts ?? []).some(
          (input: any) =>
            input.dataProduct === `dataproduct:default/${PRODUCT}` &&
            input.outputPort === PORT,
        ),
      )
      .map((p: any) => p.metadata.title ?? p.metadata.name)
      .sort();
    expectTrue(
      declared.length >= 2,
      `the demo declares several consumers of ${PORT}; it declares ${declared.join(
        ', ',
      )}`,
    );

    const editor = page.getByRole('textbox', {
      name: `Proposed contract of ${PORT} (YAML)`,
    });
    await open(
      `/catalog/default/dataproduct/${PRODUCT}/contract?port=${PORT}`,
      editor,
      `the Contract tab of ${PRODUCT}`,
    );
    await page
      .getByRole('status', { name: `Contract status of ${PORT}` })
      .getByText('Contract read')
      .waitFor();
    const held = parse(await editor.inputValue());
    expectTrue(
      held.schema[0].properties.some((p: any) => p.name === COLUMN),
      `the editor starts from the current contract, which has ${COLUMN}`,
    );
    await checkAccessibility(page, `the Contract tab of ${PRODUCT}`);
    await screenshot('contract tab');

    const proposed = structuredClone(held);
    proposed.schema[0].properties = proposed.schema[0].properties.filter(
      (p: any) => p.name !== COLUMN,
    );
    await editor.fill(stringify(proposed));
    await page.getByRole('button', { name: 'Check the impact' }).click();

    const result = page.getByRole('region', {
      name: 'Impact of the proposed contract',
    });
    await result.waitFor();
    const summary = await result.getByRole('status').innerText();
    expectTrue(
      /^1 change \(1 breaking\), which needs a new major version; \d+ consumers?, \d+ affected\.$/.test(
        summary,
      ),
      `the summary counts one breaking change needing a major version; it says "${summary}"`,
    );
    const breaking = await result
      .getByRole('list', { name: 'Breaking changes' })
      .getByRole('listitem')
      .allInnerTexts();
    expectEqual(
      breaking,
      [`Removed field ${COLUMN} from ${held.schema[0].name} (field-removed)`],
      'the breaking changes listed',
    );
    const resultText = await result.innerText();
    expectTrue(
      resultText.includes(
        `breaking changes need a new major version: ${held.version} -> ${held.version} is not one`,
      ),
      `the check says the unchanged version ${held.version} cannot carry a breaking change; it says "${resultText}"`,
    );

    const consumers = result.getByRole('list', { name: 'Consumers' });
    const listed = await consumers.getByRole('link').allInnerTexts();
    for (const title of declared) {
      expectTrue(
        listed.includes(title),
        `the consumers listed include ${title}; they are ${listed.join(', ')}`,
      );
    }
    const affected = await consumers
      .getByRole('listitem')
      .filter({ hasText: 'affected by Removed field' })
      .count();
    expectTrue(
      affected >= 1,
      `at least one consumer is shown as affected (${affected})`,
    );
    // Column lineage narrows the impact: the consumer that never reads the
    // column is listed with what it reads, and not affected.
    const narrow = await consumers
      .getByRole('listitem')
      .filter({ hasText: NARROW_CONSUMER })
      .innerText();
    expectTrue(
      narrow.includes(`reads ${NARROW_FIELDS.join(', ')}`) &&
        narrow.endsWith('not affected'),
      `${NARROW_CONSUMER} is listed with the columns it reads and not affected; it says "${narrow}"`,
    );
    expectTrue(
      /, (\d+) affected\.$/.exec(summary)![1] === String(listed.length - 1),
      `the summary counts every consumer but ${NARROW_CONSUMER} as affected: "${summary}" of ${listed.length}`,
    );
    await screenshot('contract change impact', { target: result });
  },
};
