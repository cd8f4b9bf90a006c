import { makeStyles } from '@material-ui/core/styles';

/**
 * Styles shared by the plugin's interactive and screen-reader-only elements:
 * one focus outline everywhere, so a keyboard user always sees where they are.
 */
export const useA11yStyles = makeStyles(theme => ({
  /**
   * A visible outline on keyboard focus. Material UI's ButtonBase turns the
   * browser's outline off and marks keyboard focus with `Mui-focusVisible`.
   */
  focusRing: {
    '&:focus-visible, &.Mui-focusVisible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  /** Read by screen readers, not drawn. */
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    padding: 0,
    margin: -1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
}));
