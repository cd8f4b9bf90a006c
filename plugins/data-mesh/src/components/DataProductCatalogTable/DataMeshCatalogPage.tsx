import type { ReactNode } from 'react';
import {
  configApiRef,
  useApi,
  useRouteRef,
  type ExternalRouteRef,
} from '@backstage/frontend-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { CatalogTable } from '@backstage/plugin-catalog';
import { catalogTranslationRef } from '@backstage/plugin-catalog/alpha';
import { catalogEntityCreatePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  CatalogFilterLayout,
  EntityListProvider,
  type EntityListPagination,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { ButtonLink, Container, Header } from '@backstage/ui';
import { dataProductCatalogColumns } from './columns';

/**
 * The catalog index page as Backstage 1.52's new frontend system draws it,
 * with the data mesh's columns in its table: that page takes no columns, so
 * the module that installs this replaces it whole.
 */
export function DataMeshCatalogPage(props: {
  filters: ReactNode;
  pagination: EntityListPagination;
  createComponent: ExternalRouteRef;
}) {
  const orgName =
    useApi(configApiRef).getOptionalString('organization.name') ?? 'Backstage';
  const createComponentHref = useRouteRef(props.createComponent)?.();
  const { t } = useTranslationRef(catalogTranslationRef);
  const { allowed } = usePermission({
    permission: catalogEntityCreatePermission,
  });
  return (
    <EntityListProvider pagination={props.pagination}>
      <Header
        title={t('indexPage.title', { orgName })}
        customActions={
          allowed && createComponentHref ? (
            <ButtonLink variant="primary" href={createComponentHref}>
              {t('indexPage.createButtonTitle')}
            </ButtonLink>
          ) : undefined
        }
      />
      <Container>
        <CatalogFilterLayout>
          <CatalogFilterLayout.Filters>
            {props.filters}
          </CatalogFilterLayout.Filters>
          <CatalogFilterLayout.Content>
            <CatalogTable columns={dataProductCatalogColumns} />
          </CatalogFilterLayout.Content>
        </CatalogFilterLayout>
      </Container>
    </EntityListProvider>
  );
}
