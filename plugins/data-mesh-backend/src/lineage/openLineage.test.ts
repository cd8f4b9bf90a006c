import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from './__fixtures__/OpenLineage-2-0-2.subset.schema.json';
import { runEvent } from './__fixtures__/events';
import { MAX_EVENTS_PER_REQUEST, parseRunEvents } from './openLineage';

const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const validateRunEvent = ajv.compile(schema);

const orders = { namespace: 'iceberg://lake', name: 'sales.orders' };
const daily = {
  namespace: 'snowflake://acme.eu-west-1',
  name: 'ANALYTICS.SALES.DAILY_SALES',
};

describe('parseRunEvents', () => {
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
    bad.outputs[0].name = '';
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

  it('refuses empty, oversized and shapeless bodies', () => {
    expect(() => parseRunEvents([])).toThrow(
      'body: expected at least one RunEvent',
    );
    expect(() => parseRunEvents('x')).toThrow(
      'body: expected a RunEvent, a list of RunEvents or { events: [...] }',
    );
    expect(() => parseRunEvents({ events: 3 })).toThrow(
      'body.events: expected a list of RunEvents',
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
