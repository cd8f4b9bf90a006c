import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { DataProductSpec } from '@quanta/plugin-data-mesh-common';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Field } from '../shared/Field';
import { Warning } from '../shared/Warning';
import { Copyable } from '../shared/Copyable';
import { dataProductParties, getDataProductAddress } from '../../lib/entity';
import { DescriptorConflictWarning } from './DescriptorConflictWarning';
import { Link } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';

/**
 * Where the product's descriptor lives, as the catalog recorded it: links to
 * view and edit it where the catalog knows a web address (repositories on
 * GitHub, GitLab and the like), else the location the catalog reads.
 */
function descriptorSource(entity: Entity) {
  const annotations = entity.metadata.annotations ?? {};
  const strip = (location?: string) =>
    location?.replace(/^(url|file):/, '') || undefined;
  const location =
    strip(annotations['backstage.io/source-location']) ??
    strip(annotations['backstage.io/managed-by-location']);
  const web = (url?: string) =>
    url && /^https?:\/\//.test(url) ? url : undefined;
  return {
    view: web(annotations['backstage.io/view-url']) ?? web(location),
    edit: web(annotations['backstage.io/edit-url']),
    location,
  };
}

/**
 * Props of {@link EntityDataProductAboutCard}.
 *
 * @public
 */
export type DataProductAboutCardProps = {
  variant?: InfoCardVariants;
};

/**
 * The essentials of a data product: what it is, who owns it and answers for
 * it, where it belongs and the global address it is found at. Warns at the
 * top when another file declares the same product, which the catalog ignores.
 */
export function DataProductAboutCard(props: DataProductAboutCardProps) {
  const { entity } = useEntity();
  const spec = (entity.spec ?? {}) as Partial<DataProductSpec>;

  const { owner, productOwner, domain, system } = dataProductParties(entity);
  const address = getDataProductAddress(entity);
  const tags = entity.metadata.tags ?? [];
  const source = descriptorSource(entity);

  return (
    <InfoCard title="About this data product" variant={props.variant}>
      <Grid container spacing={3}>
        <DescriptorConflictWarning />
        <Field label="Title" xs={12} sm={12} lg={12}>
          <Typography variant="h6" component="p">
            {entity.metadata.title ?? entity.metadata.name}
          </Typography>
        </Field>
        <Field
          label="Description"
          xs={12}
          sm={12}
          lg={12}
          emptyText="No description"
          hint="Understandable: tell consumers what the data means"
        >
          {entity.metadata.description && (
            <Typography variant="body2" style={{ whiteSpace: 'pre-line' }}>
              {entity.metadata.description}
            </Typography>
          )}
        </Field>
        <Field
          label="Address"
          xs={12}
          sm={12}
          lg={12}
          hint="Addressable: a permanent, unique address that survives changes of domain, owner or storage"
        >
          <Copyable text={address} what="address" />
        </Field>
        <Field label="Owner" emptyText="No owner">
          {owner && <EntityRefLink entityRef={owner} defaultKind="group" />}
        </Field>
        <Field
          label="Product owner"
          hint="The person accountable for the product and its consumers"
        >
          {productOwner ? (
            <EntityRefLink entityRef={productOwner} defaultKind="user" />
          ) : (
            <Warning title="No product owner">
              Name the accountable person in spec.productOwner.
            </Warning>
          )}
        </Field>
        <Field label="Domain" emptyText="No domain">
          {domain && <EntityRefLink entityRef={domain} defaultKind="domain" />}
        </Field>
        <Field label="System" emptyText="No system">
          {system && <EntityRefLink entityRef={system} defaultKind="system" />}
        </Field>
        <Field label="Type">{spec.type}</Field>
        <Field label="Lifecycle">{spec.lifecycle}</Field>
        <Field
          label="Classification"
          emptyText="Not classified"
          hint="Secure: how carefully the data must be handled"
        >
          {spec.classification}
        </Field>
        <Field label="Tags" xs={12} sm={6} lg={8} emptyText="No tags">
          {tags.length > 0 && (
            <div>
              {tags.map(tag => (
                <Chip
                  key={tag}
                  label={tag}
                  size="small"
                  style={{ marginRight: 4, marginBottom: 4 }}
                />
              ))}
            </div>
          )}
        </Field>
        <Field label="Descriptor" xs={12} sm={12} lg={12} emptyText="Unknown">
          {source.view || source.edit ? (
            <>
              {source.view && <Link to={source.view}>View source</Link>}
              {source.view && source.edit && ' · '}
              {source.edit && <Link to={source.edit}>Edit</Link>}
            </>
          ) : (
            source.location && (
              <Typography variant="body2" style={{ overflowWrap: 'anywhere' }}>
                {source.location}
              </Typography>
            )
          )}
        </Field>
      </Grid>
    </InfoCard>
  );
}
