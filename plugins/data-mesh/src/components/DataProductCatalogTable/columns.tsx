import type { Entity } from '@backstage/catalog-model';
import type { TableColumn } from '@backstage/core-components';
import {
  CatalogTable,
  type CatalogTableColumnsFunc,
  type CatalogTableRow,
} from '@backstage/plugin-catalog';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { isDataProductEntity } from '@quanta/plugin-data-mesh-common';
import { dataProductParties } from '../../lib/entity';
import { domainLabel } from '../DataProductDomainPicker/DataProductDomainPicker';
import { LevelCell } from './LevelCell';

/**
 * What the name column shows (the entity presentation's primary title): the
 * title where the descriptor has one, else the name.
 */
export function shownTitle(entity: Entity): string {
  return entity.metadata.title || entity.metadata.name;
}

function refs(entity: Entity) {
  const { domain, owner } = dataProductParties(entity);
  return { domain, owner };
}

function byText(text: (row: CatalogTableRow) => string) {
  return {
    customSort: (a: CatalogTableRow, b: CatalogTableRow) =>
      text(a).localeCompare(text(b), undefined, { sensitivity: 'base' }),
    customFilterAndSearch: (query: string, row: CatalogTableRow) =>
      text(row).toLocaleLowerCase().includes(query.toLocaleLowerCase()),
  };
}

const specString = (row: CatalogTableRow, key: string) => {
  const value = (row.entity.spec as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : '';
};

const domainText = (row: CatalogTableRow) => {
  const domain = refs(row.entity).domain;
  return domain ? domainLabel(`domain:${domain.namespace}/${domain.name}`) : '';
};

/**
 * Columns of the catalog table when it lists DataProducts: the title (sorted
 * as shown), domain, owner, type, governance level, lifecycle and
 * description, few enough for the description to be readable at 1440 px.
 * Every cell wraps between words, never inside one.
 */
export function dataProductColumns(): TableColumn<CatalogTableRow>[] {
  const wrap = { wordBreak: 'normal', overflowWrap: 'normal' } as const;
  return [
    {
      title: 'Name',
      field: 'resolved.entityRef',
      highlight: true,
      cellStyle: { ...wrap, minWidth: 120 },
      ...byText(row => shownTitle(row.entity)),
      defaultSort: 'asc',
      render: ({ entity }) => (
        <EntityRefLink entityRef={entity} defaultKind="DataProduct" />
      ),
    },
    {
      title: 'Domain',
      field: 'entity.spec.domain',
      cellStyle: wrap,
      ...byText(domainText),
      render: ({ entity }) => {
        const domain = refs(entity).domain;
        return domain ? (
          <EntityRefLink entityRef={domain} defaultKind="domain" />
        ) : null;
      },
    },
    {
      title: 'Owner',
      field: 'resolved.ownedByRelationsTitle',
      cellStyle: wrap,
      render: ({ entity }) => {
        const owner = refs(entity).owner;
        return owner ? (
          <EntityRefLink entityRef={owner} defaultKind="group" />
        ) : null;
      },
    },
    {
      title: 'Type',
      field: 'entity.spec.type',
      cellStyle: wrap,
      ...byText(row => specString(row, 'type')),
    },
    {
      title: 'Level',
      field: 'resolved.entityRef',
      // The level comes from the data-mesh backend, one request per product
      // shown, so the table cannot sort or search on it.
      sorting: false,
      searchable: false,
      // The table can briefly hold the previous kind's rows after the kind
      // filter changes: only DataProducts have a scorecard to ask for.
      render: ({ entity }) =>
        isDataProductEntity(entity) ? <LevelCell entity={entity} /> : null,
    },
    {
      title: 'Lifecycle',
      field: 'entity.spec.lifecycle',
      cellStyle: wrap,
      ...byText(row => specString(row, 'lifecycle')),
    },
    {
      title: 'Description',
      field: 'entity.metadata.description',
      cellStyle: { ...wrap, minWidth: 160 },
      render: ({ entity }) => entity.metadata.description,
    },
  ];
}

/**
 * The catalog table's columns with the data mesh's columns for DataProducts,
 * and Backstage's own columns for every other kind. Pass it as the
 * `columns` property of the legacy `CatalogIndexPage`.
 *
 * @public
 */
export const dataProductCatalogColumns: CatalogTableColumnsFunc = context => {
  const kind = context.filters.kind?.value?.toLocaleLowerCase('en-US');
  const listsProducts =
    kind === 'dataproduct' ||
    (context.entities.length > 0 &&
      context.entities.every(entity => isDataProductEntity(entity)));
  return listsProducts
    ? dataProductColumns()
    : CatalogTable.defaultColumnsFunc(context);
};
