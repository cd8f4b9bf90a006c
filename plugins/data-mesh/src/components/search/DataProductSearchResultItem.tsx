import { Fragment, type ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import {
  HighlightedSearchResultText,
  useSearch,
  useSearchContextCheck,
} from '@backstage/plugin-search-react';
import type {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import type { QualitySloKey } from '@quanta/plugin-data-mesh-common';
import { LevelBadge } from '../shared/LevelBadge';
import { sloLabel } from '../../lib/quality';
import { readDataProductResult, type DataProductResult } from './document';
import { findPortMatches, highlightPieces, type PortMatch } from './match';

/**
 * Props of {@link DataProductSearchResultListItem}.
 *
 * @public
 */
export type DataProductSearchResultListItemProps = {
  /** The search document, of type `data-product`. */
  result?: SearchDocument;
  /**
   * What the engine highlighted: the title is shown highlighted when it did,
   * and the words it marked find the matching port or field when the words
   * typed do not (a stem or a near spelling).
   */
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
  /** Lines of description shown at most; 3 by default. */
  lineClamp?: number;
  /**
   * The search term to find the matching port or field with. By default the
   * term of the surrounding search context (the search page or modal).
   */
  term?: string;
};

const useStyles = makeStyles(theme => ({
  item: { display: 'flex', width: '100%' },
  body: { flex: 1, minWidth: 0 },
  text: { margin: 0 },
  description: {
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'break-word',
  },
  matched: {
    marginTop: theme.spacing(0.5),
    overflowWrap: 'anywhere',
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(1),
  },
}));

/** A text with the search words marked. */
function Highlighted(props: { value: string; term: string }) {
  return (
    <>
      {highlightPieces(props.value, props.term).map((piece, index) =>
        piece.match ? (
          <mark key={index}>{piece.text}</mark>
        ) : (
          <Fragment key={index}>{piece.text}</Fragment>
        ),
      )}
    </>
  );
}

function detail(parts: string[]): string {
  const shown = parts.filter(Boolean);
  return shown.length ? ` (${shown.join(', ')})` : '';
}

/** One line saying which port or field matched, with the words marked. */
function MatchLine(props: { match: PortMatch; term: string }) {
  const { match, term } = props;
  const { port, field } = match;
  const portName = port.name || '(unnamed)';
  if (field) {
    return (
      <>
        Field <Highlighted value={field.name} term={term} />
        {field.pii ? ' (personal data)' : ''} in output port{' '}
        <Highlighted value={portName} term={term} />
      </>
    );
  }
  return (
    <>
      Output port <Highlighted value={portName} term={term} />
      {detail([port.type, port.format])}
      {port.address && (
        <>
          {' '}
          at <Highlighted value={port.address} term={term} />
        </>
      )}
      {match.on === 'contract' && (
        <>
          , contract <Highlighted value={port.contractLocation} term={term} />
        </>
      )}
    </>
  );
}

function sloChip(product: DataProductResult): ReactNode {
  switch (product.sloStatus) {
    case 'breached': {
      const which = product.slosBreached
        .map(slo => sloLabel(slo as QualitySloKey))
        .join(', ');
      return (
        <Chip
          size="small"
          color="secondary"
          label={which ? `SLO breached: ${which}` : 'SLO breached'}
        />
      );
    }
    case 'unbreached':
      return <Chip size="small" variant="outlined" label="No SLO breached" />;
    case 'no-slos':
      return <Chip size="small" variant="outlined" label="No SLOs declared" />;
    default:
      // The data-mesh backend's quality status was not read at indexing.
      return null;
  }
}

function Item(props: DataProductSearchResultListItemProps & { term: string }) {
  const classes = useStyles();
  const { result, highlight, term } = props;
  if (!result) return null;
  const product = readDataProductResult(result);
  const { matches, term: matchTerm } = findPortMatches(
    product.outputPorts,
    term,
    highlight,
  );
  const [best, ...others] = matches;
  const domain = product.domainTitle || product.domain;
  const owner = product.ownerName || product.owner;

  return (
    <div className={classes.item}>
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <div className={classes.body}>
        <ListItemText
          className={classes.text}
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={product.location}>
              {highlight?.fields.title ? (
                <HighlightedSearchResultText
                  text={highlight.fields.title}
                  preTag={highlight.preTag}
                  postTag={highlight.postTag}
                />
              ) : (
                product.title
              )}
            </Link>
          }
          secondaryTypographyProps={{ component: 'div' }}
          secondary={
            <>
              {product.description && (
                <Typography
                  component="span"
                  variant="body2"
                  // Secondary grey on the search page's grey background
                  // misses the contrast body text needs.
                  color="textPrimary"
                  className={classes.description}
                  style={{ WebkitLineClamp: props.lineClamp ?? 3 }}
                >
                  <Highlighted value={product.description} term={term} />
                </Typography>
              )}
              {best && (
                <Typography
                  component="span"
                  variant="body2"
                  color="textPrimary"
                  display="block"
                  className={classes.matched}
                  aria-label="Matching port or field"
                >
                  <MatchLine match={best} term={matchTerm} />
                  {others.length > 0 &&
                    ` (${others.length} more ${
                      others.length === 1 ? 'port or field matches' : 'match'
                    })`}
                </Typography>
              )}
            </>
          }
        />
        <Box className={classes.chips}>
          {domain && <Chip size="small" label={`Domain: ${domain}`} />}
          {owner && <Chip size="small" label={`Owner: ${owner}`} />}
          {product.type && (
            <Chip size="small" label={`Type: ${product.type}`} />
          )}
          {product.governanceLevel && (
            <LevelBadge level={product.governanceLevel} />
          )}
          {sloChip(product)}
        </Box>
      </div>
    </div>
  );
}

function ItemWithSearchTerm(props: DataProductSearchResultListItemProps) {
  const { term } = useSearch();
  return <Item {...props} term={term} />;
}

/**
 * A `data-product` search result: the product's title linking to its page,
 * description, domain, owner, type, governance level and SLO status, and the
 * output port or schema field the search term matched, with the words marked.
 */
export function DataProductSearchResultItem(
  props: DataProductSearchResultListItemProps,
) {
  const inSearch = useSearchContextCheck();
  if (props.term !== undefined || !inSearch) {
    return <Item {...props} term={props.term ?? ''} />;
  }
  return <ItemWithSearchTerm {...props} />;
}
