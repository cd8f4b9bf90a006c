import {
  CLASSIFICATIONS,
  type DataProductEntity,
  describeValue,
} from '@quanta/plugin-data-mesh-common';
import type { DataMeshPolicy } from '../engine/types';
import { piiFieldsOf } from '../engine/facts';
import {
  add,
  constant,
  fail,
  failIfAny,
  listOf,
  notApplicable,
  outputPorts,
  pass,
  prepared,
  text,
} from './helpers';

const hasPiiFields = (product: DataProductEntity) =>
  prepared(product).hasPiiFields;

/** `port.field` for every schema field marked `pii: true`. */
const piiFields = (product: DataProductEntity) =>
  piiFieldsOf(prepared(product));

const NOT_CLASSIFIED = constant(
  fail('Not classified: spec.classification is not set'),
);
const NO_PII = constant(
  notApplicable('Contains no PII (spec.containsPii is not true)'),
);
const NO_RETENTION = constant(
  fail(
    'Contains PII (spec.containsPii is true) but spec.retention is not set, so nobody has decided how long it is kept',
  ),
);
const NO_REGULATIONS = constant(
  fail(
    'Contains PII (spec.containsPii is true) but spec.regulations names no regulation',
  ),
);
const NO_PII_FIELDS = constant(notApplicable('No schema field is marked pii'));
const CONTAINS_NO_PII = constant(notApplicable('Contains no PII'));
const NOT_CLASSIFIED_FIELDS = constant(
  notApplicable('Needs a product classification and classified schema fields'),
);

const containsPii = (product: DataProductEntity) =>
  product.spec?.containsPii === true;

const rank = (classification: unknown) =>
  CLASSIFICATIONS.indexOf(classification as (typeof CLASSIFICATIONS)[number]);

export const securePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.classification-set',
    title: 'Classification set',
    attribute: 'secure',
    severity: 'error',
    rationale:
      'Access rules and handling depend on how sensitive the data is; unclassified data gets neither.',
    howToFix: `Set spec.classification to one of ${CLASSIFICATIONS.join(
      ', ',
    )}.`,
    check: product => {
      const classification = product.spec?.classification;
      if (classification === undefined || classification === null) {
        return NOT_CLASSIFIED;
      }
      return rank(classification) >= 0
        ? pass()
        : fail(
            `spec.classification ${describeValue(
              classification,
            )} is not one of ${CLASSIFICATIONS.join(', ')}`,
          );
    },
  },
  {
    id: 'quanta.pii-retention',
    title: 'Personal data has a retention period',
    attribute: 'secure',
    severity: 'error',
    rationale:
      'Personal data may only be kept as long as it is needed (GDPR storage limitation).',
    howToFix:
      'Set spec.retention to how long the data is kept, as an ISO-8601 duration such as P2Y.',
    check: product => {
      if (!containsPii(product)) return NO_PII;
      return text(product.spec.retention) ? pass() : NO_RETENTION;
    },
  },
  {
    id: 'quanta.pii-regulations',
    title: 'Personal data names its regulations',
    attribute: 'secure',
    severity: 'warning',
    rationale:
      'Consumers of personal data must know which regulations bind what they do with it.',
    howToFix:
      'List the regulations that apply in spec.regulations, such as [GDPR, CCPA].',
    check: product => {
      if (!containsPii(product)) return NO_PII;
      const regulations = product.spec.regulations;
      if (Array.isArray(regulations)) {
        for (const regulation of regulations) {
          if (text(regulation)) return pass();
        }
      }
      return NO_REGULATIONS;
    },
  },
  {
    id: 'quanta.pii-fields-declared',
    title: 'PII fields are declared at product level',
    attribute: 'secure',
    severity: 'warning',
    rationale:
      'Search, access reviews and retention rules look at spec.containsPii, not at every field.',
    howToFix:
      'Set spec.containsPii: true, since schema fields of the product are marked pii: true (or remove pii from fields that hold no personal data).',
    check: product => {
      if (!hasPiiFields(product)) return NO_PII_FIELDS;
      if (containsPii(product)) return pass();
      const fields = piiFields(product);
      const declared =
        product.spec?.containsPii === false ? 'false' : 'not set';
      return fail(
        `Schema ${fields.length === 1 ? 'field' : 'fields'} ${listOf(fields)} ${
          fields.length === 1 ? 'is' : 'are'
        } marked pii, but spec.containsPii is ${declared}`,
      );
    },
  },
  {
    id: 'quanta.pii-not-public',
    title: 'Personal data is not public',
    attribute: 'secure',
    severity: 'error',
    rationale:
      'Public data can be read by anyone; personal data must never be among it.',
    howToFix:
      'Set spec.classification to confidential or restricted, or remove the personal data from the product.',
    check: product => {
      if (!containsPii(product) && !hasPiiFields(product)) {
        return CONTAINS_NO_PII;
      }
      if (product.spec?.classification !== 'public') return pass();
      return fail(
        `Classified public, but contains PII (${
          containsPii(product)
            ? 'spec.containsPii is true'
            : `fields marked pii: ${listOf(piiFields(product))}`
        })`,
      );
    },
  },
  {
    id: 'quanta.classification-covers-fields',
    title: 'Product classification covers its fields',
    attribute: 'secure',
    severity: 'warning',
    rationale:
      'Access is granted per product, so the product must be classified at least as strictly as its most sensitive field.',
    howToFix:
      'Raise spec.classification to the highest classification among spec.outputPorts[].schema[].classification, or split the sensitive fields into a separate port or product.',
    check: product => {
      const classification = product.spec?.classification;
      const productRank = rank(classification);
      if (productRank < 0) return NOT_CLASSIFIED_FIELDS;
      let classified = false;
      let problems: string[] | undefined;
      for (const { fields, name } of outputPorts(product)) {
        for (const field of fields) {
          const fieldRank = rank(field.classification);
          if (fieldRank < 0) continue;
          classified = true;
          if (fieldRank > productRank) {
            problems = add(
              problems,
              `Field ${name}.${field.name} is classified ${field.classification}, above the product's ${classification}`,
            );
          }
        }
      }
      if (!classified) return NOT_CLASSIFIED_FIELDS;
      return problems ? failIfAny(problems) : pass();
    },
  },
];
