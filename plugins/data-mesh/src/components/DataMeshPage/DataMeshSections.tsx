import { ReactNode } from 'react';
import {
  Link as RouterLink,
  Route,
  Routes,
  useMatch,
  useResolvedPath,
} from 'react-router-dom';
import { Content } from '@backstage/core-components';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { makeStyles } from '@material-ui/core/styles';
import { AccessInbox } from '../AccessInboxPage';

const useStyles = makeStyles(theme => ({
  tabs: {
    // Under the header in the legacy Page's grid, as Backstage's own tabs.
    gridArea: 'pageSubheader',
    backgroundColor: theme.palette.background.paper,
    paddingLeft: theme.spacing(3),
  },
  tab: {
    textTransform: 'none',
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/**
 * The Data Mesh page's tabs: the overview at the page's own path and the
 * access requests waiting for the signed-in user at `access` under it
 * (`dataMeshAccessInboxRouteRef`). Paths are relative, so the page works
 * wherever the app mounts it, in both frontend systems.
 */
export function DataMeshSections(props: {
  /** The overview, shown at the page's path and any path but `access`. */
  overview: ReactNode;
}) {
  const classes = useStyles();
  const overviewPath = useResolvedPath('.').pathname;
  const accessPath = useResolvedPath('access').pathname;
  const onAccess = useMatch({ path: `${accessPath}/*` }) !== null;
  return (
    <>
      <Tabs
        value={onAccess ? 'access' : 'overview'}
        indicatorColor="primary"
        className={classes.tabs}
        aria-label="Data Mesh sections"
      >
        <Tab
          value="overview"
          label="Overview"
          className={classes.tab}
          component={RouterLink}
          to={overviewPath}
        />
        <Tab
          value="access"
          label="Access requests"
          className={classes.tab}
          component={RouterLink}
          to={accessPath}
        />
      </Tabs>
      <Content>
        <Routes>
          <Route path="access/*" element={<AccessInbox />} />
          <Route path="*" element={props.overview} />
        </Routes>
      </Content>
    </>
  );
}
