import crypto from 'node:crypto';
import { displayName } from '../api';
import { expectEqual, expectShown, expectTrue, Journey } from '../harness';
import { card, sidebarLink } from './page';
import { demoPipelineToken, post } from '../pipeline';

const PRODUCT = 'daily-sales';
const PRODUCT_REF = `dataproduct:default/${PRODUCT}`;
/** Declared upstream: the observed edge confirms it. */
const DECLARED = 'dataproduct:default/orders';
/** Not an input port of daily-sales: the observed edge is undeclared. */
const UNDECLARED = 'dataproduct:default/customers';
/** Read by the pipeline's design (a JobEvent), declared by no input port. */
const PIPELINE_ONLY = 'dataproduct:default/exchange-rates';

const SLO_LABELS: Record<string, string> = {
  freshness: 'Freshness',
  intervalOfChange: 'Interval of change',
  completeness: 'Completeness',
  availability: 'Availability',
  timeliness: 'Timeliness',
};
const STATUS_LABELS: Record<string, string> = {
  met: 'met',
  'at-risk': 'at risk',
  breached: 'breached',
  'no-data': 'no data',
};

function outputAddress(entity: any): string {
  const address = entity.spec.outputPorts[0]?.address;
  expectTrue(address, `${entity.metadata.name} declares an output address`);
  return address;
}

/** `snowflake://acme.eu-west-1/ANALYTICS/X` as OpenLineage names it: namespace + name. */
function dataset(address: string) {
  const match = /^([a-z0-9+.-]+:\/\/[^/]+)\/(.+)$/i.exec(address);
  expectTrue(match, `address ${address} has a scheme, a host and a path`);
  return { namespace: match![1], name: match![2] };
}

/**
 * Journey 5: a pipeline posts its quality results and an OpenLineage run
 * event with the demo's static token; after a reload the product's quality
 * card shows the run and its failing check, and its lineage card draws the
 * observed edges, the undeclared one highlighted, and apart from them the
 * edge only the pipeline's JobEvent declares.
 */
export const pipelinePushesResults: Journey = {
  id: '5',
  title:
    'A pipeline pushes quality results and an OpenLineage event with a token; the cards show them after a reload',
  async run({ page, api, portal, open, navigate, signIn, screenshot, log }) {
    await signIn();
    const token = demoPipelineToken();
    const [product, declared, undeclared, pipelineOnly] = await Promise.all(
      [PRODUCT_REF, DECLARED, UNDECLARED, PIPELINE_ONLY].map(ref =>
        api.entity({ kind: 'dataproduct', name: ref.split('/')[1] }),
      ),
    );
    expectTrue(
      product && declared && undeclared && pipelineOnly,
      'the demo products are in the catalog',
    );

    // The page before: no lineage was observed from customers.
    const quality = card(page, 'Data quality');
    const lineage = card(page, 'Lineage');
    await open(
      `/catalog/default/dataproduct/${PRODUCT}`,
      page.getByTestId(`node ${PRODUCT_REF}`),
      `${PRODUCT} page`,
    );
    expectEqual(
      await lineage.getByTestId(`node ${UNDECLARED}`).count(),
      0,
      `${UNDECLARED} nodes on the lineage card before the event`,
    );

    // Ingestion is for pipelines holding the token, not for anyone else.
    const runId = `e2e-${Date.now()}`;
    const finishedAt = new Date();
    const results = {
      source: 'e2e-pipeline',
      runId,
      startedAt: new Date(finishedAt.getTime() - 90_000).toISOString(),
      finishedAt: finishedAt.toISOString(),
      url: `https://ci.acme.example/sales/daily-sales/runs/${runId}`,
      lastUpdatedAt: new Date(finishedAt.getTime() - 600_000).toISOString(),
      entityRef: PRODUCT_REF,
      checks: [
        {
          checkId: 'daily-sales-freshness',
          name: 'daily-sales is fresh within P1D',
          status: 'pass',
          dimension: 'timeliness',
          slo: 'freshness',
          measured: 600,
          threshold: 86_400,
        },
        {
          checkId: 'daily-sales-completeness',
          name: 'net_sales is filled in at least 99.9% of rows',
          status: 'fail',
          dimension: 'completeness',
          slo: 'completeness',
          measured: 97.2,
          threshold: '>= 99.9',
          message: 'net_sales is empty in 2.8% of yesterday rows',
        },
        {
          checkId: 'daily-sales-availability',
          name: 'daily-sales is readable',
          status: 'pass',
          slo: 'availability',
        },
      ],
    };
    const runEvent = {
      eventType: 'COMPLETE',
      eventTime: finishedAt.toISOString(),
      producer: 'https://github.com/acme/pipelines/e2e',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: crypto.randomUUID() },
      job: { namespace: 'dbt://acme', name: 'sales.daily_sales' },
      inputs: [
        dataset(outputAddress(declared)),
        dataset(outputAddress(undeclared)),
      ],
      outputs: [dataset(outputAddress(product))],
    };
    for (const [what, authorization, expected] of [
      ['no token', undefined, 401],
      ['a wrong token', 'Bearer not-the-demo-token', 401],
      ['a signed-in user', `Bearer ${await api.userToken()}`, 403],
    ] as const) {
      for (const [route, body] of [
        ['/quality/results', results],
        ['/openlineage', runEvent],
      ] as const) {
        const answer = await post(
          portal.backendUrl,
          route,
          body,
          authorization,
        );
        expectEqual(
          answer.status,
          expected,
          `POST ${route} with ${what} answers`,
        );
      }
    }

    const stored = await post(
      portal.backendUrl,
      '/quality/results',
      results,
      `Bearer ${token}`,
    );
    expectEqual(stored.status, 201, 'POST /quality/results with the token');
    expectEqual(stored.body.stored, 3, 'check results stored');
    const again = await post(
      portal.backendUrl,
      '/quality/results',
      results,
      `Bearer ${token}`,
    );
    expectEqual(
      [again.status, again.body.stored, again.body.duplicates],
      [201, 0, 3],
      'the same run posted twice: status, stored, duplicates',
    );
    const observed = await post(
      portal.backendUrl,
      '/openlineage',
      runEvent,
      `Bearer ${token}`,
    );
    expectEqual(observed.status, 201, 'POST /openlineage with the token');
    // The orchestrator declares the job's design on deploy: a JobEvent, no run.
    const jobEvent = {
      eventTime: finishedAt.toISOString(),
      producer: 'https://github.com/acme/pipelines/e2e',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent',
      job: { namespace: 'airflow://acme', name: 'daily_sales_dag' },
      inputs: [
        dataset(outputAddress(declared)),
        dataset(outputAddress(pipelineOnly)),
      ],
      outputs: [dataset(outputAddress(product))],
    };
    const designed = await post(
      portal.backendUrl,
      '/openlineage',
      jobEvent,
      `Bearer ${token}`,
    );
    expectEqual(
      [designed.status, designed.body.jobEvents],
      [201, 1],
      'POST /openlineage with a JobEvent: status, JobEvents stored',
    );
    log(
      `posted run ${runId} (3 checks), one RunEvent reading ${DECLARED} and ${UNDECLARED}, and one JobEvent reading ${DECLARED} and ${PIPELINE_ONLY}`,
    );

    // What the API now says, which the cards must show.
    const qualityNow = await api.get(
      `/api/data-mesh/quality/dataproduct/default/${PRODUCT}`,
    );
    expectEqual(
      [qualityNow.latestRun?.source, qualityNow.latestRun?.runId],
      ['e2e-pipeline', runId],
      'the latest run of the quality API',
    );
    const lineageNow = await api.get(
      `/api/data-mesh/lineage/dataproduct/default/${PRODUCT}`,
    );
    const edge = (from: string) =>
      lineageNow.edges.find(
        (e: any) => e.from === from && e.to === PRODUCT_REF,
      );
    expectTrue(
      edge(UNDECLARED)?.undeclared && edge(UNDECLARED)?.observed,
      `the lineage API marks ${UNDECLARED} -> ${PRODUCT_REF} observed and undeclared: ${JSON.stringify(
        edge(UNDECLARED),
      )}`,
    );
    expectTrue(
      edge(PIPELINE_ONLY)?.pipeline?.jobs?.[0] ===
        'airflow://acme/daily_sales_dag' &&
        !edge(PIPELINE_ONLY)?.observed &&
        !edge(PIPELINE_ONLY)?.declared,
      `the lineage API marks ${PIPELINE_ONLY} -> ${PRODUCT_REF} declared by the pipeline only: ${JSON.stringify(
        edge(PIPELINE_ONLY),
      )}`,
    );
    expectTrue(
      edge(DECLARED)?.declared && edge(DECLARED)?.observed,
      `the lineage API marks ${DECLARED} -> ${PRODUCT_REF} declared and observed: ${JSON.stringify(
        edge(DECLARED),
      )}`,
    );

    // After a reload the cards show both.
    await open(
      `/catalog/default/dataproduct/${PRODUCT}`,
      page.getByTestId(`node ${UNDECLARED}`),
      `${PRODUCT} page after the pipeline posted`,
    );
    const latestRun = quality.getByRole('group', { name: 'Latest run' });
    const runText = `e2e-pipeline, run ${runId}`;
    await expectShown(
      async () => {
        const text = (await latestRun.innerText()).replace(/\s+/g, ' ');
        return text.includes(runText) &&
          text.includes('3 checks, 2 passed, 1 failed')
          ? runText
          : text;
      },
      runText,
      'the quality card names the run posted and its counts (3 checks, 2 passed, 1 failed)',
    );
    await latestRun.getByRole('link', { name: 'Open the run' }).waitFor();
    const failing = quality.getByRole('list', { name: 'Failing checks' });
    const failingText = (await failing.innerText()).replace(/\s+/g, ' ');
    for (const expected of [
      'net_sales is filled in at least 99.9% of rows',
      'net_sales is empty in 2.8% of yesterday rows',
      'measured 97.2',
    ]) {
      expectTrue(
        failingText.includes(expected),
        `failing checks show "${expected}"; they show "${failingText}"`,
      );
    }
    const chips = (
      await quality.getByRole('list', { name: 'SLO status' }).innerText()
    ).replace(/\s+/g, ' ');
    for (const slo of qualityNow.slos) {
      const label = `${SLO_LABELS[slo.slo] ?? slo.slo}: ${
        STATUS_LABELS[slo.status] ?? slo.status
      }`;
      expectTrue(
        chips.includes(label),
        `SLO chips show "${label}" as the API says; they show "${chips}"`,
      );
    }

    const undeclaredEdge = lineage.getByTestId(
      `edge ${UNDECLARED} ${PRODUCT_REF}`,
    );
    await undeclaredEdge.waitFor({ state: 'attached' });
    const edgeTitle = await undeclaredEdge.locator('title').textContent();
    expectTrue(
      edgeTitle?.includes('observed, not declared'),
      `the undeclared edge says so; its title is "${edgeTitle}"`,
    );
    const nodeLabel = await lineage
      .getByTestId(`node ${UNDECLARED}`)
      .getAttribute('aria-label');
    expectTrue(
      nodeLabel?.includes(displayName(undeclared)),
      `the new node is labelled with ${displayName(
        undeclared,
      )}: "${nodeLabel}"`,
    );
    const pipelineEdge = lineage.getByTestId(
      `edge ${PIPELINE_ONLY} ${PRODUCT_REF}`,
    );
    await pipelineEdge.waitFor({ state: 'attached' });
    expectEqual(
      [
        await pipelineEdge.getAttribute('data-state'),
        await pipelineEdge.getAttribute('stroke-dasharray'),
      ],
      ['pipeline', '2 3'],
      'the edge only the JobEvent declares: its state and dotted stroke',
    );
    await screenshot('quality and lineage after the pipeline posted');
    await screenshot('lineage card', { target: lineage });
    await screenshot('quality card', { target: quality });

    // Platform owners see the breach on the Data Mesh page, under its domain.
    const breaches = await api.get('/api/data-mesh/quality/breaches');
    const inSales = breaches.domains.find(
      (d: any) => d.domain === 'domain:default/sales',
    );
    expectTrue(
      inSales?.items.some((i: any) => i.entityRef === PRODUCT_REF),
      `the breaches API lists ${PRODUCT} under sales: ${JSON.stringify(
        breaches.domains,
      )}`,
    );
    const salesBreaches = page.getByRole('region', {
      name: 'Breaches in sales',
    });
    await navigate(
      'Data Mesh page from the sidebar',
      () => sidebarLink(page, 'Data Mesh').click(),
      salesBreaches,
    );
    const breachText = (await salesBreaches.innerText()).replace(/\s+/g, ' ');
    expectTrue(
      breachText.includes(`${displayName(product)}: Completeness:`),
      `the sales breaches name ${displayName(
        product,
      )} and its completeness SLO: "${breachText}"`,
    );
    await screenshot('SLO breaches on the Data Mesh page', {
      target: card(page, 'SLO breaches now'),
    });
  },
};
