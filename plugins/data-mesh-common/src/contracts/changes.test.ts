import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  compareContracts,
  contractChangeRules,
  requiredVersionBump,
  type ContractChange,
} from './changes';

/*
 * The official ODCS examples, from ../shared beside the repository (never
 * copied here), are the versions these tests change: each test edits one
 * thing in a real contract and checks what is reported. Where the folder is
 * missing the suite skips, saying why; under QUANTA_REQUIRE_SHARED=1 (CI) it
 * fails instead.
 */
const EXAMPLES = path.resolve(
  __dirname,
  '../../../../../shared/standards/odcs/examples',
);
const present = fs.existsSync(EXAMPLES);
if (!present && process.env.QUANTA_REQUIRE_SHARED === '1') {
  throw new Error(
    `${EXAMPLES} is missing: the contract change tests read the official ODCS examples there`,
  );
}
const suite = present ? describe : describe.skip;
const skipped = present ? '' : ` (skipped: ${EXAMPLES} is missing)`;

const example = (file: string): any =>
  parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));

/** The full official example, and a copy to edit. */
function versions() {
  const before = example('all--full-example.odcs.yaml');
  return { before, after: structuredClone(before) };
}

const property = (contract: any, object: string, name: string) =>
  contract.schema
    .find((o: any) => o.name === object)
    .properties.find((p: any) => p.name === name);

const summary = (changes: ContractChange[]) =>
  changes.map(c => `${c.level} ${c.rule} ${c.path}`);

suite(`contract changes between ODCS versions${skipped}`, () => {
  it('finds no change between an official example and itself, for every example', () => {
    const files = fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const contract = example(file);
      expect({
        file,
        changes: compareContracts(contract, structuredClone(contract)),
      }).toEqual({
        file,
        changes: [],
      });
    }
  });

  it('breaks consumers when a field is removed, naming the object and field', () => {
    const { before, after } = versions();
    const tbl = after.schema.find((o: any) => o.name === 'tbl');
    tbl.properties = tbl.properties.filter((p: any) => p.name !== 'rcvr_id');
    const changes = compareContracts(before, after);
    expect(changes).toEqual([
      expect.objectContaining({
        rule: 'field-removed',
        level: 'breaking',
        object: 'tbl',
        field: 'rcvr_id',
        path: 'schema.tbl.properties.rcvr_id',
        message: 'Removed field rcvr_id from tbl',
      }),
    ]);
    expect(requiredVersionBump(changes)).toBe('major');
  });

  it('reads a new name under the same stable id as a rename, not a removal and an addition', () => {
    const { before, after } = versions();
    property(after, 'tbl', 'rcvr_id').name = 'receiver_id';
    expect(summary(compareContracts(before, after))).toEqual([
      'breaking field-renamed schema.tbl.properties.rcvr_id',
    ]);
    // Without ids the same edit is a removal and an addition.
    delete property(before, 'tbl', 'rcvr_id').id;
    delete property(after, 'tbl', 'receiver_id').id;
    expect(summary(compareContracts(before, after))).toEqual([
      'breaking field-removed schema.tbl.properties.rcvr_id',
      'compatible field-added schema.tbl.properties.receiver_id',
    ]);
  });

  it('breaks on an incompatible type, but not on integer widened to number', () => {
    const { before, after } = versions();
    property(after, 'tbl', 'transaction_reference_date').logicalType = 'string';
    property(after, 'tbl', 'rcvr_id').physicalType = 'VARCHAR(18)'; // same type, other case
    expect(summary(compareContracts(before, after))).toEqual([
      'breaking type-changed schema.tbl.properties.transaction_reference_date.logicalType',
    ]);

    property(before, 'tbl', 'rcvr_id').logicalType = 'integer';
    property(after, 'tbl', 'transaction_reference_date').logicalType = 'date';
    property(after, 'tbl', 'rcvr_id').logicalType = 'number';
    const widened = compareContracts(before, after);
    expect(summary(widened)).toEqual([
      'compatible type-changed schema.tbl.properties.rcvr_id.logicalType',
    ]);
    expect(widened[0].message).toBe(
      'Changed type of tbl.rcvr_id from "integer" to "number"',
    );
  });

  it('breaks when an optional field is made required (nullable made not null) or unique, not the other way round', () => {
    const { before, after } = versions();
    property(after, 'tbl', 'rcvr_id').required = true;
    property(after, 'tbl', 'rcvr_cntry_code').unique = true;
    expect(summary(compareContracts(before, after))).toEqual([
      'breaking required-changed schema.tbl.properties.rcvr_id.required',
      'breaking unique-changed schema.tbl.properties.rcvr_cntry_code.unique',
    ]);
    expect(summary(compareContracts(after, before))).toEqual([
      'compatible required-changed schema.tbl.properties.rcvr_id.required',
      'compatible unique-changed schema.tbl.properties.rcvr_cntry_code.unique',
    ]);
  });

  it('breaks when the primary key changes', () => {
    const { before, after } = versions();
    property(after, 'tbl', 'rcvr_cntry_code').primaryKey = true;
    property(after, 'tbl', 'rcvr_cntry_code').primaryKeyPosition = 2;
    const [change, ...rest] = compareContracts(before, after);
    expect(rest).toEqual([]);
    expect(change).toMatchObject({
      rule: 'primary-key-changed',
      level: 'breaking',
      field: 'rcvr_cntry_code',
      message:
        'Changed the primary key at tbl.rcvr_cntry_code: now key position 2',
    });
  });

  it('breaks when a schema object is removed, and not when one is added', () => {
    const { before, after } = versions();
    const removed = after.schema.pop();
    expect(summary(compareContracts(before, after))).toEqual([
      `breaking object-removed schema.${removed.name}`,
    ]);
    expect(summary(compareContracts(after, before))).toEqual([
      `compatible object-added schema.${removed.name}`,
    ]);
    expect(requiredVersionBump(compareContracts(after, before))).toBe('minor');
  });

  it('breaks on a new required field and not on a new optional one', () => {
    const { before, after } = versions();
    const tbl = after.schema.find((o: any) => o.name === 'tbl');
    tbl.properties.push(
      { name: 'channel', logicalType: 'string' },
      { name: 'amount', logicalType: 'number', required: true },
    );
    expect(summary(compareContracts(before, after))).toEqual([
      'compatible field-added schema.tbl.properties.channel',
      'breaking required-field-added schema.tbl.properties.amount',
    ]);
  });

  it('breaks when the allowed values narrow, not when they widen', () => {
    const { before, after } = versions();
    property(before, 'tbl', 'rcvr_cntry_code').quality.push({
      metric: 'invalidValues',
      arguments: { validValues: ['DE', 'FR', 'IT'] },
      mustBe: 0,
    });
    property(after, 'tbl', 'rcvr_cntry_code').quality.push({
      metric: 'invalidValues',
      arguments: { validValues: ['DE', 'FR', 'ES'] },
      mustBe: 0,
    });
    const changes = compareContracts(before, after);
    expect(changes.map(c => [c.level, c.rule, c.message])).toEqual([
      [
        'breaking',
        'allowed-values-changed',
        'No longer allows "IT" in tbl.rcvr_cntry_code',
      ],
      [
        'compatible',
        'allowed-values-changed',
        'Now also allows "ES" in tbl.rcvr_cntry_code',
      ],
    ]);
  });

  it('breaks when a length or range bound tightens, not when it loosens', () => {
    const { before, after } = versions();
    property(before, 'tbl', 'rcvr_id').logicalTypeOptions = { maxLength: 18 };
    property(after, 'tbl', 'rcvr_id').logicalTypeOptions = {
      maxLength: 12,
      pattern: '^[A-Z0-9]+$',
    };
    expect(
      compareContracts(before, after).map(c => [c.level, c.message]),
    ).toEqual([
      ['breaking', 'Tightened maxLength of tbl.rcvr_id from 18 to 12'],
      [
        'warning',
        'Changed pattern of tbl.rcvr_id from nothing to "^[A-Z0-9]+$"',
      ],
    ]);
    expect(
      compareContracts(after, before).map(c => [c.level, c.message]),
    ).toEqual([
      ['compatible', 'Loosened maxLength of tbl.rcvr_id from 12 to 18'],
      [
        'warning',
        'Changed pattern of tbl.rcvr_id from "^[A-Z0-9]+$" to nothing',
      ],
    ]);
  });

  it('breaks when a field is classified higher, since consumers may lose access', () => {
    const { before, after } = versions();
    property(after, 'tbl', 'rcvr_cntry_code').classification = 'confidential';
    property(after, 'tbl', 'rcvr_id').classification = 'public';
    expect(
      compareContracts(before, after).map(c => [c.level, c.message]),
    ).toEqual([
      ['compatible', 'Classified tbl.rcvr_id as "public" (was "restricted")'],
      [
        'breaking',
        'Classified tbl.rcvr_cntry_code as "confidential" (was "public")',
      ],
    ]);
  });

  it('breaks when the SLA weakens, from the official SLA example', () => {
    const before = example('sla--database-table-sla.odcs.yaml');
    const after = structuredClone(before);
    const sla = (c: any, p: string) =>
      c.slaProperties.find((s: any) => s.property === p);
    sla(after, 'latency').value = 5; // 4 d to 5 d: later data
    sla(after, 'retention').value = 24;
    sla(after, 'retention').unit = 'months'; // 3 y to 24 months: shorter
    sla(after, 'endOfSupport').value = '2030-05-12T09:30:10-08:00'; // earlier
    sla(after, 'frequency').value = 12;
    sla(after, 'frequency').unit = 'h'; // 1 d to 12 h: more often
    expect(
      compareContracts(before, after).map(c => [c.level, c.message]),
    ).toEqual([
      ['breaking', 'Weakened SLA latency of tab1.txn_ref_dt from 4 d to 5 d'],
      [
        'breaking',
        'Weakened SLA endOfSupport from 2032-05-12T09:30:10-08:00 to 2030-05-12T09:30:10-08:00',
      ],
      [
        'breaking',
        'Weakened SLA retention of tab1.txn_ref_dt from 3 y to 24 months',
      ],
      [
        'compatible',
        'Strengthened SLA frequency of tab1.txn_ref_dt from 1 d to 12 h',
      ],
    ]);

    const dropped = structuredClone(before);
    dropped.slaProperties = dropped.slaProperties.filter(
      (s: any) => s.property !== 'retention',
    );
    expect(summary(compareContracts(before, dropped))).toEqual([
      'breaking sla-changed slaProperties.retention',
    ]);
  });

  it('keeps descriptions, tags and examples compatible: a patch', () => {
    const { before, after } = versions();
    const field = property(after, 'tbl', 'transaction_reference_date');
    field.description = 'The date the transaction refers to';
    field.tags = ['date'];
    field.examples = ['2024-01-01'];
    after.schema[0].description = 'Core payment metrics, daily';
    const changes = compareContracts(before, after);
    expect(
      changes.every(
        c => c.rule === 'metadata-changed' && c.level === 'compatible',
      ),
    ).toBe(true);
    expect(changes.map(c => c.path).sort()).toEqual([
      'schema.tbl.description',
      'schema.tbl.properties.transaction_reference_date.description',
      'schema.tbl.properties.transaction_reference_date.examples',
      'schema.tbl.properties.transaction_reference_date.tags',
    ]);
    expect(requiredVersionBump(changes)).toBe('patch');
  });

  it('flags an added quality rule or a tighter threshold as a warning, and a changed mustBe too', () => {
    const { before, after } = versions();
    const field = property(after, 'tbl', 'rcvr_cntry_code');
    field.quality[0].mustBe = 5;
    field.quality.push({
      metric: 'duplicateValues',
      mustBeLessThan: 10,
      name: 'few duplicates',
    });
    const changes = compareContracts(before, after);
    expect(changes.map(c => [c.level, c.rule, c.message])).toEqual([
      [
        'warning',
        'quality-rule-changed',
        'Changed quality rule nullValues of tbl.rcvr_cntry_code: what it checks (mustBe)',
      ],
      [
        'warning',
        'quality-rule-changed',
        'Added quality rule few duplicates to tbl.rcvr_cntry_code',
      ],
    ]);
    expect(requiredVersionBump(changes)).toBe('minor');
  });

  it('reads the nested properties of arrays in the official all-schema-types example by their dotted path', () => {
    const before = example('schema--all-schema-types.odcs.yaml');
    const after = structuredClone(before);
    const x = property(after, 'AnotherObject', 'x');
    x.items.properties = x.items.properties.filter(
      (p: any) => p.name !== 'zip',
    );
    x.items.properties[0].physicalType = 'VARCHAR(36)';
    expect(
      compareContracts(before, after).map(c => [
        c.level,
        c.rule,
        c.field,
        c.path,
      ]),
    ).toEqual([
      [
        'breaking',
        'type-changed',
        'x.id',
        'schema.AnotherObject.properties.x.items.properties.id.physicalType',
      ],
      [
        'breaking',
        'field-removed',
        'x.zip',
        'schema.AnotherObject.properties.x.items.properties.zip',
      ],
    ]);
  });
});

describe('contract changes of contracts that are not valid', () => {
  it('reads what it can and never throws', () => {
    for (const [a, b] of [
      [undefined, null],
      ['text', 42],
      [{ schema: 'x' }, { schema: [{ properties: 'y' }] }],
      [
        { schema: [{ name: 'o', properties: [{ name: 'f' }] }] },
        { schema: [null, 3] },
      ],
    ]) {
      expect(() => compareContracts(a, b)).not.toThrow();
    }
    expect(
      summary(
        compareContracts(
          { schema: [{ name: 'o', properties: [{ name: 'f' }] }] },
          { schema: [null, 3] },
        ),
      ),
    ).toEqual(['breaking object-removed schema.o']);
  });

  it('documents every rule it reports, in the package README too', () => {
    const documented = new Set(contractChangeRules.map(r => r.id));
    expect(documented.size).toBe(contractChangeRules.length);
    const readme = fs.readFileSync(
      path.join(__dirname, '../../README.md'),
      'utf8',
    );
    expect(
      contractChangeRules
        .filter(r => !readme.includes(`| \`${r.id}\``))
        .map(r => r.id),
    ).toEqual([]);
    const differing = contractChangeRules.filter(r => r.differs);
    expect(differing.every(r => r.differs!.length > 20)).toBe(true);
  });
});
