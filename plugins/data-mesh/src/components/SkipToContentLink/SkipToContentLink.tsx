import type { MouseEvent } from 'react';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  link: {
    position: 'fixed',
    top: theme.spacing(1),
    left: theme.spacing(1),
    // Above the sidebar and the app bar while it is shown.
    zIndex: theme.zIndex.tooltip + 1,
    padding: theme.spacing(1, 2),
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.paper,
    color: theme.palette.primary.main,
    fontWeight: 'bold',
    boxShadow: theme.shadows[4],
    // Off screen until it has keyboard focus; not display:none, which would
    // take it out of the tab order.
    transform: 'translateY(-200%)',
    '&:focus': {
      transform: 'none',
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
}));

/**
 * Props of {@link SkipToContentLink}.
 *
 * @public
 */
export type SkipToContentLinkProps = {
  /** The link's text; "Skip to content" by default. */
  label?: string;
};

/** The element the link moves focus to: the page's main landmark. */
function contentOf(doc: Document): HTMLElement | null {
  return (
    doc.querySelector<HTMLElement>('main, [role="main"]') ??
    // A page without a main landmark: its first heading starts the content.
    doc.querySelector<HTMLElement>('h1')
  );
}

/**
 * "Skip to content": render it as the first thing in the app, before the
 * sidebar. It shows when it gets keyboard focus and moves the focus to the
 * page's main landmark, so keyboard and screen reader users need not tab
 * through the whole sidebar on every page.
 *
 * @public
 */
export function SkipToContentLink(props: SkipToContentLinkProps) {
  const classes = useStyles();
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    const target = contentOf(event.currentTarget.ownerDocument);
    if (!target) return;
    // Handled here rather than by the browser: a main landmark has no id to
    // jump to, and the router would take a changed hash for a navigation.
    event.preventDefault();
    if (!target.hasAttribute('tabindex')) {
      target.setAttribute('tabindex', '-1');
    }
    target.focus();
    target.scrollIntoView?.({ block: 'start' });
  };
  return (
    <a href="#main" className={classes.link} onClick={skip}>
      {props.label ?? 'Skip to content'}
    </a>
  );
}
