import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { sharedSuite } from '../__testUtils__/shared';
import { runEvent } from './__fixtures__/events';
import { MAX_EVENTS_PER_REQUEST, parseOpenLineageEvents } from './openLineage';

/** The RunEvents of a body. */
const parseRunEvents = (body: unknown) => parseOpenLineageEvents(body).runs;

/** The official OpenLineage 2-0-2 schema, from ../shared/standards. */
function officialValidator(dir: string) {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  return ajv.compile(
    JSON.parse(fs.readFileSync(path.join(dir, 'OpenLineage.json'), 'utf8')),
  );
}

const orders = { namespace: 'iceberg://lake', name: 'sales.orders' };
const daily = {
  namespace: 'snowflake://acme.eu-west-1',
  name: 'ANALYTICS.SALES.DAILY_SALES',
};

const schemas = sharedSuite('standards/openlineage', 'parseOpenLineageEvents');
schemas.describe(schemas.title, () => {
  const validateRunEvent = officialValidator(schemas.dir);

  it('accepts spec-valid events with facets it ignores: one, a list, or { events }', () => {
    const events = [
      runEvent({ inputs: [orders], outputs: [daily] }),
      runEvent({ inputs: [orders], outputs: [daily], eventType: 'FAIL' }),
      runEvent({ inputs: [], outputs: [daily], eventType: 'START' }),
    ];
    for (const event of events) {
      expect(validateRunEvent(event)).toBe(true);
    }
    expect(parseRunEvents(events[0])).toHaveLength(1);
    expect(parseRunEvents(events)).toHaveLength(3);
    const [parsed] = parseRunEvents({ events: [events[0]] });
    expect(parsed.inputs).toEqual([
      expect.objectContaining({
        namespace: 'iceberg://lake',
        name: 'sales.orders',
      }),
    ]);
    expect(parsed.job.name).toBe('analytics.daily_sales');

    // Optional parts of the spec may be left out.
    const bare = {
      eventTime: '2026-11-20T10:00:00+01:00',
      producer: 'https://example.com/producer',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8' },
      job: { namespace: 'airflow', name: 'daily' },
    };
    expect(validateRunEvent(bare)).toBe(true);
    expect(parseRunEvents(bare)).toHaveLength(1);
  });

  it('names the path of every field the spec requires and the event lacks', () => {
    const good = runEvent({ inputs: [orders], outputs: [daily] });
    const bad: any = runEvent({ inputs: [orders], outputs: [daily] });
    delete bad.run.runId;
    bad.eventTime = 'yesterday';
    bad.outputs[0].name = 42;
    bad.inputs[0].facets = 'none';
    expect(validateRunEvent(bad)).toBe(false);
    expect(() => parseRunEvents({ events: [good, bad] })).toThrow(
      'body.events[1].eventTime: expected an ISO-8601 date-time, such as 2026-11-20T10:00:00.000Z; ' +
        'body.events[1].run.runId: expected the run id, a UUID; ' +
        'body.events[1].inputs[0].facets: expected an object of facets; ' +
        'body.events[1].outputs[0].name: expected the dataset name, such as sales/orders',
    );
    const noJob: any = { ...good, job: undefined };
    expect(() => parseRunEvents(noJob)).toThrow(
      'body.job: expected the job, with namespace and name',
    );
    expect(() => parseRunEvents([{ ...good, eventType: 'DONE' }])).toThrow(
      'body[0].eventType: expected one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER',
    );
  });

  it('accepts what the spec accepts that a stricter reader would refuse', () => {
    const event = (patch: (e: any) => void) => {
      const e: any = runEvent({ inputs: [orders], outputs: [daily] });
      patch(e);
      return e;
    };
    const cases: Array<[string, any, string]> = [
      // RFC 3339 allows a lower-case t and z, and a space for the T.
      [
        'lower-case t and z',
        event(e => (e.eventTime = '2026-11-20t10:00:00.5z')),
        '2026-11-20T10:00:00.500Z',
      ],
      [
        'an offset without a colon',
        event(e => (e.eventTime = '2026-11-20T11:00:00+0100')),
        '2026-11-20T10:00:00.000Z',
      ],
      // JSON Schema's uuid format does not check RFC 4122's version bits.
      [
        'a run id without version bits',
        event(e => (e.run.runId = '12345678-1234-1234-1234-123456789abc')),
        '',
      ],
      // Names are strings and nothing more.
      ['an empty dataset name', event(e => (e.outputs[0].name = '')), ''],
    ];
    for (const [what, e, time] of cases) {
      expect([what, validateRunEvent(e)]).toEqual([what, true]);
      const [parsed] = parseRunEvents(e);
      // The time as Date.parse reads it everywhere, where the case sets one.
      expect([what, time && parsed.eventTime]).toEqual([what, time]);
    }
    // What the spec refuses stays refused.
    const notATime = event(e => (e.eventTime = '2026-13-20T10:00:00Z'));
    expect(validateRunEvent(notATime)).toBe(false);
    expect(() => parseRunEvents(notATime)).toThrow(
      'body.eventTime: expected an ISO-8601 date-time',
    );
  });

  it('reads JobEvents and DatasetEvents, told apart from RunEvents as the spec does', () => {
    const run: any = runEvent({ inputs: [orders], outputs: [daily] });
    const { run: _run, eventType: _type, ...jobEvent } = run;
    jobEvent.schemaURL =
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent';
    const datasetEvent = {
      eventTime: '2026-11-20t10:00:00z',
      producer: run.producer,
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
      dataset: {
        namespace: 'iceberg://lake',
        name: 'sales.orders',
        facets: {},
      },
    };
    // All three are valid OpenLineage.
    for (const event of [run, jobEvent, datasetEvent]) {
      expect(validateRunEvent(event)).toBe(true);
    }
    const batch = parseOpenLineageEvents({
      events: [run, jobEvent, datasetEvent],
    });
    expect(batch.runs).toHaveLength(1);
    expect(batch.jobs).toEqual([
      expect.objectContaining({
        job: expect.objectContaining({ name: 'analytics.daily_sales' }),
        inputs: [expect.objectContaining(orders)],
        outputs: [expect.objectContaining(daily)],
      }),
    ]);
    expect(batch.datasets).toEqual([
      expect.objectContaining({
        eventTime: '2026-11-20T10:00:00.000Z',
        dataset: expect.objectContaining({ name: 'sales.orders' }),
      }),
    ]);
    expect(batch.paths.get(batch.datasets[0])).toBe('body.events[2]');

    // A JobEvent with neither inputs nor outputs is valid, and declares nothing.
    const { inputs: _i, outputs: _o, ...bareJob } = jobEvent;
    expect(validateRunEvent(bareJob)).toBe(true);
    expect(parseOpenLineageEvents(bareJob).jobs).toHaveLength(1);
  });

  it('names the missing parts of a JobEvent and a DatasetEvent by their path', () => {
    const run: any = runEvent({ inputs: [orders], outputs: [daily] });
    const { run: _run, eventType: _type, ...jobEvent } = run;
    const noJobName = { ...jobEvent, job: { namespace: 'airflow' } };
    const noDatasetName = {
      eventTime: run.eventTime,
      producer: run.producer,
      schemaURL: run.schemaURL,
      dataset: { namespace: 'iceberg://lake' },
    };
    expect(validateRunEvent(noJobName)).toBe(false);
    expect(validateRunEvent(noDatasetName)).toBe(false);
    expect(() =>
      parseOpenLineageEvents([run, noJobName, noDatasetName]),
    ).toThrow(
      'body[1].job.name: expected the job name; body[2].dataset.name: expected the dataset name, such as sales/orders',
    );
    expect(() => parseOpenLineageEvents([run, 7])).toThrow(
      'body[1]: expected an OpenLineage event: a RunEvent, a JobEvent or a DatasetEvent',
    );
  });

  it('reads column lineage as the official facet schema has it, and names what a malformed facet lacks', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(
      JSON.parse(
        fs.readFileSync(path.join(schemas.dir, 'OpenLineage.json'), 'utf8'),
      ),
    );
    const validateFacet = ajv.compile(
      JSON.parse(
        fs.readFileSync(
          path.join(schemas.dir, 'facets', 'ColumnLineageDatasetFacet.json'),
          'utf8',
        ),
      ),
    );
    const event: any = runEvent({ inputs: [orders], outputs: [daily] });
    const facet = event.outputs[0].facets.columnLineage;
    facet.fields = {
      CUSTOMER_ID: {
        inputFields: [
          {
            ...orders,
            field: 'customer_id',
            transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
          },
        ],
      },
    };
    facet.dataset = [
      {
        ...orders,
        field: 'status',
        transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }],
      },
    ];
    expect(validateFacet({ columnLineage: facet })).toBe(true);
    const [parsed] = parseRunEvents(event);
    expect(parsed.outputs![0].facets!.columnLineage).toEqual({
      fields: {
        CUSTOMER_ID: { inputFields: [{ ...orders, field: 'customer_id' }] },
      },
      dataset: [{ ...orders, field: 'status' }],
    });

    // A facet the spec marks deleted says nothing.
    const deleted: any = runEvent({ inputs: [orders], outputs: [daily] });
    deleted.outputs[0].facets.columnLineage = { _deleted: true };
    expect(
      parseRunEvents(deleted)[0].outputs![0].facets!.columnLineage,
    ).toBeUndefined();

    const bad: any = structuredClone(event);
    delete bad.outputs[0].facets.columnLineage.fields.CUSTOMER_ID.inputFields[0]
      .field;
    bad.outputs[0].facets.columnLineage.dataset = 'status';
    expect(
      validateFacet({ columnLineage: bad.outputs[0].facets.columnLineage }),
    ).toBe(false);
    expect(() => parseRunEvents([event, bad])).toThrow(
      'body[1].outputs[0].facets.columnLineage.fields.CUSTOMER_ID.inputFields[0].field: expected the name of the field read, such as customer_id; ' +
        'body[1].outputs[0].facets.columnLineage.dataset: expected a list of input fields',
    );
    const noFields: any = structuredClone(event);
    delete noFields.outputs[0].facets.columnLineage.fields;
    expect(() => parseRunEvents(noFields)).toThrow(
      'body.outputs[0].facets.columnLineage.fields: expected an object of output fields, each with its inputFields',
    );
  });

  it('refuses empty, oversized and shapeless bodies', () => {
    expect(() => parseRunEvents([])).toThrow(
      'body: expected at least one event',
    );
    expect(() => parseRunEvents('x')).toThrow(
      'body: expected an OpenLineage event: a RunEvent, a JobEvent or a DatasetEvent, a list of them or { events: [...] }',
    );
    expect(() => parseRunEvents({ events: 3 })).toThrow(
      'body.events: expected a list of events',
    );
    const many = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () =>
      runEvent({ inputs: [], outputs: [] }),
    );
    expect(() => parseRunEvents(many)).toThrow(
      `body: found ${
        MAX_EVENTS_PER_REQUEST + 1
      } events, expected at most ${MAX_EVENTS_PER_REQUEST} per request`,
    );
  });
});

const eventsDir = sharedSuite(
  'real-world/openlineage',
  'OpenLineage events written by Airflow and Spark',
);
eventsDir.describe(eventsDir.title, () => {
  const dir = eventsDir.dir;
  const validate = officialValidator(
    path.join(dir, '../../standards/openlineage'),
  );
  const files = ['airflow', 'CLL'].flatMap(producer =>
    fs
      .readdirSync(path.join(dir, producer))
      .filter(file => file.endsWith('.json'))
      .map(file => path.join(producer, file)),
  );

  it('has the events of both producers', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files)('%s is spec-valid and accepted', file => {
    const event = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    expect(validate(event)).toBe(true);
    const [parsed] = parseRunEvents(event);
    expect(parsed.run.runId).toBe(event.run.runId);
    expect(Date.parse(parsed.eventTime)).toBe(Date.parse(event.eventTime));
    expect(parsed.inputs ?? []).toHaveLength((event.inputs ?? []).length);
    expect(parsed.outputs ?? []).toHaveLength((event.outputs ?? []).length);
  });
});
