/*
 * The generated mesh of the search benchmark (search.ts): domains, teams,
 * product owners and data products as a real portal has them, with the
 * scorecards and SLO breaches the data-mesh backend would serve.
 */
import type { Entity } from '@backstage/catalog-model';

export const LEVELS = ['Bronze', 'Silver', 'Gold'];

/** Picks from `list` with a Zipf distribution (weight 1/rank): the first items often, the last rarely. */
function zipf<T>(list: readonly T[], next: () => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  list.forEach((_, i) => {
    total += 1 / (i + 1);
    cumulative.push(total);
  });
  return () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return list[low];
  };
}

/** A small deterministic generator, so runs compare. */
export function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export const DOMAINS = [
  'sales',
  'marketing',
  'finance',
  'logistics',
  'customer',
  'product',
  'supply-chain',
  'hr',
  'risk',
  'payments',
  'inventory',
  'support',
  'pricing',
  'fraud',
  'procurement',
  'web-analytics',
  'loyalty',
  'billing',
  'legal',
  'manufacturing',
];

const SUBJECTS = [
  'orders',
  'customers',
  'invoices',
  'shipments',
  'payments',
  'refunds',
  'campaigns',
  'sessions',
  'products',
  'suppliers',
  'contracts',
  'tickets',
  'subscriptions',
  'claims',
  'transactions',
  'returns',
  'leads',
  'employees',
  'stores',
  'warehouses',
];

const QUALIFIERS = [
  'daily',
  'hourly',
  'monthly',
  'enriched',
  'curated',
  'raw',
  'summary',
  'forecast',
  'history',
  'snapshot',
];

/** What columns are about, most common first. */
const COLUMN_SUBJECTS = [
  'customer',
  'order',
  'product',
  'invoice',
  'payment',
  'shipment',
  'store',
  'supplier',
  'employee',
  'campaign',
  'session',
  'ticket',
  'contract',
  'account',
  'warehouse',
  'carrier',
  'device',
  'partner',
  'region',
  'channel',
  'basket',
  'refund',
  'claim',
  'policy',
  'ledger',
];

/** What columns say of their subject, most common first. */
const COLUMN_ATTRIBUTES = [
  'id',
  'name',
  'created_at',
  'updated_at',
  'status',
  'type',
  'amount',
  'code',
  'date',
  'country',
  'email',
  'score',
  'currency',
  'count',
  'reason',
  'category',
  'segment',
  'tier',
  'number',
  'hash',
];

/**
 * 500 column names (`customer_id`, `shipment_reason`, ...), the common ones
 * first: products pick them with a Zipf distribution, so `customer_id` is
 * in thousands of products and `ledger_hash` in a few, as in a real mesh.
 */
export const COLUMNS = COLUMN_ATTRIBUTES.flatMap((attribute, a) =>
  COLUMN_SUBJECTS.map((subject, s) => ({
    name: `${subject}_${attribute}`,
    rank: (a + 1) * (s + 1),
  })),
)
  .sort((x, y) => x.rank - y.rank)
  .map(column => column.name);

/** How data teams describe a column, by what it says of its subject (`{s}`). */
const FIELD_TEXT: Record<string, string> = {
  id: 'Identifier of the {s}',
  name: 'Name of the {s}',
  created_at: 'When the {s} was created',
  updated_at: 'When the {s} last changed',
  status: 'Status of the {s}',
  type: 'Kind of {s}',
  amount: 'Amount of the {s} in its currency',
  code: 'Code of the {s}',
  date: 'Business date of the {s}',
  country: 'Country of the {s}, ISO 3166',
  email: 'Email address of the {s}',
  score: 'Score of the {s}, 0 to 100',
  currency: 'Currency of the {s}, ISO 4217',
  count: 'Number of {s} records',
  reason: 'Why the {s} happened, as entered',
  category: 'Category of the {s}',
  segment: 'Segment the {s} belongs to',
  tier: 'Tier of the {s}',
  number: 'Number of the {s} as printed',
  hash: 'Hash of the {s}, for joins without personal data',
};

const PII_ATTRIBUTES = new Set(['email', 'name', 'hash']);

/** 200 words of business prose, the common ones first; descriptions pick them with a Zipf distribution. */
export const WORDS =
  `data records daily revenue customers orders sales events report
updated history reference source quality analytics current monthly volume
booking delivery forecast churn conversion margin stock settlement dispute
onboarding attribution reconciliation compliance retention pricing audit
anomaly carrier warranty budget payroll clickstream basket replenishment
chargeback subscription ledger latency satisfaction invoice shipment refund
campaign session ticket contract supplier inventory promotion discount tax
currency exchange region country store warehouse channel partner affiliate
loyalty voucher coupon checkout cart wishlist review rating complaint
escalation outage incident deployment release feature experiment cohort
funnel retention lifetime acquisition cost profit loss balance account
transfer deposit withdrawal loan credit debit fraud risk exposure limit
collateral premium claim policy underwriting actuarial mortality pension
salary bonus headcount vacancy hiring attrition training certification
shift roster overtime absence leave benefit expense receipt approval vendor
procurement tender quote purchase requisition goods receipt logistics route
fleet vehicle fuel emission energy meter tariff grid outage maintenance
asset depreciation lease property tenant occupancy footfall weather demand
supply capacity utilisation throughput backlog yield scrap defect batch lot
recall traceability origin certificate sustainability carbon waste water`
    .split(/\s+/)
    .filter(Boolean);

const PORT_KINDS: Array<[string, string, (p: string) => string]> = [
  ['table', 'iceberg', p => `iceberg://lake/${p}`],
  ['table', 'parquet', p => `s3://acme-lake/${p}/`],
  ['table', 'delta', p => `abfss://lake@acme.dfs.core.windows.net/${p}`],
  ['topic', 'avro', p => `kafka://prod/${p.replace(/\//g, '.')}.v1`],
  ['api', 'json', p => `https://data.acme.example/${p}`],
  [
    'table',
    'parquet',
    p => `snowflake://acme/ANALYTICS.${p.replace(/[/-]/g, '_').toUpperCase()}`,
  ],
];

/**
 * A mesh as a real portal has it: 20 domains with titles, 100 teams with
 * display names, 300 product owners, and `count` products with 2 to 4
 * output ports of 10 to 30 described fields each, tags, classification,
 * regulations and upstream products.
 */
export function generate(count: number) {
  const next = random(21);
  const pick = <T>(list: readonly T[]) =>
    list[Math.floor(next() * list.length)];
  const between = (low: number, high: number) =>
    low + Math.floor(next() * (high - low + 1));
  const zipfWord = zipf(WORDS, next);
  const zipfColumn = zipf(COLUMNS, next);
  const sentence = (words: number) =>
    Array.from({ length: words }, zipfWord).join(' ');
  const title = (name: string) =>
    name.replace(
      /(^|-)(\w)/g,
      (_, dash, c) => `${dash ? ' ' : ''}${c.toUpperCase()}`,
    );

  const entities: Entity[] = [];
  DOMAINS.forEach((domain, d) =>
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: domain, title: title(domain) },
      spec: { owner: `group:default/team-${d}` },
    }),
  );
  for (let t = 0; t < 100; t++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${t}` },
      spec: {
        type: 'team',
        profile: { displayName: `${title(DOMAINS[t % 20])} Data Team ${t}` },
        children: [],
      },
    });
  }
  for (let u = 0; u < 300; u++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: `owner-${u}` },
      spec: {
        profile: { displayName: `Product Owner ${u}` },
        memberOf: [`team-${u % 100}`],
      },
    });
  }
  const products: Entity[] = [];
  for (let i = 0; i < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length];
    const subject = pick(SUBJECTS);
    const name = `${domain}-${subject}-${pick(QUALIFIERS)}-${i}`;
    const ports = Array.from({ length: between(2, 4) }, (_, p) => {
      const [type, format, address] = pick(PORT_KINDS);
      const columns = new Set<string>();
      const wanted = between(10, 30);
      while (columns.size < wanted) columns.add(zipfColumn());
      return {
        name: `${subject}-${type}-${p}`,
        type,
        format,
        address: address(`${domain}/${subject}-${i}-${p}`),
        description: `${title(subject)} ${sentence(6)}.`,
        contract: {
          location: `./contracts/${name}-${p}.odcs.yaml`,
          version: `${between(1, 3)}.${between(0, 9)}.0`,
        },
        schema: [...columns].map(column => {
          const split = column.indexOf('_');
          const subject = column.slice(0, split);
          const attribute = column.slice(split + 1);
          // Most fields are described as data teams do, after the column;
          // some say what they are used for.
          let description: string | undefined;
          if (next() < 0.7) {
            description = FIELD_TEXT[attribute].replace('{s}', subject);
            if (next() < 0.3) {
              description += `, used for ${zipfWord()} and ${zipfWord()}`;
            }
          }
          return {
            name: column,
            type: pick([
              'string',
              'bigint',
              'decimal(12,2)',
              'timestamp',
              'date',
            ]),
            ...(description ? { description } : {}),
            ...(PII_ATTRIBUTES.has(attribute) && subject === 'customer'
              ? { pii: true }
              : {}),
          };
        }),
      };
    });
    const containsPii = ports.some(port => port.schema.some(f => f.pii));
    products.push({
      apiVersion: 'quanta.dev/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name,
        title: `${title(subject)} ${title(pick(QUALIFIERS))} (${title(
          domain,
        )})`,
        description: `${title(subject)} of the ${domain} domain: ${sentence(
          between(12, 30),
        )}.`,
        tags: [domain, subject, zipfWord()],
      },
      spec: {
        type: pick(['source-aligned', 'aggregate', 'consumer-aligned']),
        lifecycle: pick([
          'experimental',
          'production',
          'production',
          'deprecated',
        ]),
        owner: `group:default/team-${i % 100}`,
        productOwner: `user:default/owner-${i % 300}`,
        domain: `domain:default/${domain}`,
        inputPorts:
          i < 50
            ? []
            : [1, 7, 31].map((step, n) => ({
                name: `in-${n}`,
                dataProduct: `dataproduct:default/${
                  products[Math.max(0, i - step * (1 + (i % 5)))].metadata.name
                }`,
                outputPort: 'main',
              })),
        outputPorts: ports,
        slos: { freshness: 'PT1H', completeness: 99.5 },
        classification: containsPii ? 'confidential' : 'internal',
        containsPii,
        regulations: containsPii ? ['GDPR'] : [],
      },
    });
  }
  const scorecards = products.map((product, i) => ({
    entityRef: `dataproduct:default/${product.metadata.name}`,
    domain: product.spec!.domain,
    owner: product.spec!.owner,
    // Independent of the domain (i % 20), so every domain has every level.
    ...(Math.floor(i / 20) % 4 === 3
      ? {}
      : { level: LEVELS[Math.floor(i / 20) % 4] }),
    score: 40 + (i % 60),
    attributes: {},
    evaluatedAt: new Date().toISOString(),
    failing: [],
  }));
  const breaches = {
    evaluatedAt: new Date().toISOString(),
    products: products.length,
    noData: 0,
    domains: DOMAINS.map(domain => ({
      domain: `domain:default/${domain}`,
      items: products
        .filter(
          (p, i) =>
            p.spec!.domain === `domain:default/${domain}` && i % 10 === 0,
        )
        .map(p => ({
          entityRef: `dataproduct:default/${p.metadata.name}`,
          breached: [{ slo: 'freshness', message: 'late' }],
        })),
    })),
  };
  return {
    entities: [...entities, ...products],
    products,
    scorecards,
    breaches,
  };
}
