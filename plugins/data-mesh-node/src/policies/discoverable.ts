import type { DataMeshPolicy } from '../engine/types';
import { constant, fail, pass, text } from './helpers';
import { referencedEntityExists } from './ownership';

const NO_DESCRIPTION = constant(
  fail('No description: metadata.description is not set'),
);
const NO_TAGS = constant(fail('No tags: metadata.tags is empty'));

/** Fewer characters than this rarely tell a consumer what the data is. */
export const MIN_DESCRIPTION_LENGTH = 30;

export const discoverablePolicies: DataMeshPolicy[] = [
  {
    id: 'quanta.description-present',
    title: 'Meaningful description',
    attribute: 'discoverable',
    severity: 'warning',
    rationale:
      'Consumers find and pick products by what the description says the data is.',
    howToFix: `Set metadata.description to at least ${MIN_DESCRIPTION_LENGTH} characters saying what one row or event is and where it comes from.`,
    check: product => {
      const description = text(product.metadata.description);
      if (!description) return NO_DESCRIPTION;
      if (description.length < MIN_DESCRIPTION_LENGTH) {
        return fail(
          `metadata.description "${description}" has ${description.length} characters; at least ${MIN_DESCRIPTION_LENGTH} are expected`,
        );
      }
      return pass();
    },
  },
  {
    id: 'quanta.title-present',
    title: 'Title present',
    attribute: 'discoverable',
    severity: 'info',
    rationale: 'A readable title is what people scan for in search results.',
    howToFix:
      'Set metadata.title to the name people use for the product, such as "Daily Sales".',
    check: product =>
      text(product.metadata.title)
        ? pass()
        : fail(
            `No title: metadata.title is not set, so the catalog shows the name ${product.metadata.name}`,
          ),
  },
  {
    id: 'quanta.tags-present',
    title: 'Tagged',
    attribute: 'discoverable',
    severity: 'info',
    rationale: 'Tags let consumers filter the catalog down to their subject.',
    howToFix:
      'Add metadata.tags naming the subject of the data, such as [sales, orders].',
    check: product => {
      const tags = product.metadata.tags;
      if (Array.isArray(tags)) {
        for (const tag of tags) if (text(tag)) return pass();
      }
      return NO_TAGS;
    },
  },
  {
    id: 'quanta.domain-exists',
    title: 'Belongs to an existing domain',
    attribute: 'discoverable',
    severity: 'error',
    rationale:
      'Consumers browse the mesh by domain; a product in an unknown domain cannot be found there.',
    howToFix:
      'Set spec.domain to a Domain registered in the catalog, such as domain:default/sales.',
    check: (product, { mesh }) =>
      referencedEntityExists(product, mesh, 'domain', 'Domain', 'Domain'),
  },
];
