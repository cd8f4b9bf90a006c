import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { FailedDescriptor } from '@quanta/plugin-data-mesh-common';
import { formatDateTimeUtc } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(3) },
  muted: { color: theme.palette.text.secondary },
  time: { display: 'block', color: theme.palette.text.secondary },
  // Locations and catalog messages are long and unbroken.
  wrap: { overflowWrap: 'anywhere' },
}));

/** Longest part of a catalog message shown; the rest is in the catalog. */
const MESSAGE_LENGTH = 300;

const shorten = (message: string) =>
  message.length > MESSAGE_LENGTH
    ? `${message.slice(0, MESSAGE_LENGTH)}…`
    : message;

/**
 * The http(s) address of a location, when it has one: the catalog keys a
 * location read from a URL as `url:https://…`. Other locations (`file:…`)
 * and other schemes are no links.
 */
export function locationUrl(location: string): string | undefined {
  const target = location.replace(/^url:/, '');
  try {
    const { protocol } = new URL(target);
    return protocol === 'https:' || protocol === 'http:' ? target : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A second file declaring a product the catalog already serves from
 * another: the catalog ignores it, and the product has a page.
 */
export const isConflict = (item: FailedDescriptor) => item.state === 'conflict';

/**
 * What a list of refused and ignored descriptors means, counting them apart:
 * a refused descriptor has no page; an ignored file declares a product the
 * catalog serves from another file.
 */
export function refusedSummary(items: FailedDescriptor[]): string {
  const ignored = items.filter(isConflict).length;
  const refused = items.length - ignored;
  const refusedText = `${refused} data product ${
    refused === 1 ? 'descriptor was' : 'descriptors were'
  } refused by the catalog and ${refused === 1 ? 'has' : 'have'} no page`;
  const ignoredText =
    ignored === 1
      ? '1 file declares a product already served from another file and is ignored'
      : `${ignored} files declare products already served from other files and are ignored`;
  if (!ignored) {
    return `${refusedText}; fix the file and the catalog reads it again.`;
  }
  if (!refused) {
    return `${ignoredText}; remove the product from one of the two files, or rename it there.`;
  }
  return `${refusedText}; ${ignoredText}.`;
}

/** The backend module that lists what the catalog refused. */
const UNPROCESSED_MODULE =
  '@backstage/plugin-catalog-backend-module-unprocessed';

/**
 * Says what to install when the catalog cannot list the descriptors it
 * refused (the files it ignores are listed without it).
 */
export function MissingModuleNote() {
  const classes = useStyles();
  return (
    <Typography
      variant="body2"
      className={classes.muted}
      role="note"
      aria-label="Refused descriptors cannot be listed"
      gutterBottom
    >
      Install <code>{UNPROCESSED_MODULE}</code> in the backend to see the
      descriptors the catalog refused.
    </Typography>
  );
}

/** Where a file is: a link when it is a URL, the catalog's key otherwise. */
export function LocationText(props: { location: string }) {
  const url = locationUrl(props.location);
  return url ? <Link to={url}>{url}</Link> : <>{props.location}</>;
}

/** The team a file names, as a link where it is a valid ref. */
export function OwnerRef(props: { owner: string; namespace: string }) {
  try {
    const ref = parseEntityRef(props.owner, {
      defaultKind: 'group',
      defaultNamespace: props.namespace,
    });
    return <EntityRefLink entityRef={ref} />;
  } catch {
    return <>{props.owner}</>;
  }
}

/** A product the catalog serves, as a link to its page where the ref is valid. */
function ProductRef(props: { entityRef: string }) {
  try {
    const ref = parseEntityRef(props.entityRef);
    return <EntityRefLink entityRef={ref} defaultKind="dataproduct" />;
  } catch {
    return <>{props.entityRef}</>;
  }
}

/** Why the catalog ignores a file: the product it serves, and from where. */
function Ignored(props: { entityRef: string; servedLocation: string }) {
  return (
    <>
      {'the catalog ignores this file, as '}
      <ProductRef entityRef={props.entityRef} />
      {' is already served from '}
      <LocationText location={props.servedLocation} />. Remove the product from
      one of the two files, or give this one another name.
    </>
  );
}

/**
 * DataProduct descriptors the catalog refused or ignores, one line each: the
 * name the file gives, where the catalog read it (a link when that is a URL)
 * and then either the catalog's reasons, cut when long (refused: no page), or,
 * for a file the catalog ignores, the product it serves instead (a link to
 * its page) and the file it serves it from. With when the catalog last read
 * the file, or reported the conflict, in UTC. Messages are rendered as text.
 */
export function FailedDescriptorList(props: {
  items: FailedDescriptor[];
  label?: string;
}) {
  const classes = useStyles();
  return (
    <ul className={classes.list} aria-label={props.label}>
      {props.items.map(item => {
        const time = formatDateTimeUtc(item.lastTriedAt);
        return (
          <li
            key={`${item.state}|${item.location}|${item.namespace}|${item.name}`}
          >
            <Typography variant="body2" className={classes.wrap}>
              <strong>{item.name}</strong>
              {item.location ? (
                <span className={classes.muted}>
                  {' in '}
                  <LocationText location={item.location} />
                </span>
              ) : null}
              {': '}
              {isConflict(item) && item.entityRef && item.servedLocation ? (
                <Ignored
                  entityRef={item.entityRef}
                  servedLocation={item.servedLocation}
                />
              ) : (
                item.errors.map(e => shorten(e.message)).join('; ')
              )}
            </Typography>
            {time ? (
              <Typography variant="caption" className={classes.time}>
                {`${isConflict(item) ? 'reported' : 'last read'} ${time}`}
              </Typography>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
