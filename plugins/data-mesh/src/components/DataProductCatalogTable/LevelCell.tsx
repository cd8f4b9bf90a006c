import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { dataMeshApiRef, type DataMeshApi } from '../../api';
import { useAsync } from '../../lib/useAsync';
import { LevelBadge } from '../shared/LevelBadge';

/**
 * The table renders a cell again on every sort, filter and page change: one
 * level request per product and API client a minute is enough.
 */
const levels = new WeakMap<
  DataMeshApi,
  Map<string, { asked: number; level: Promise<string | undefined> }>
>();
const KEEP_MS = 60_000;

function levelOf(api: DataMeshApi, entityRef: string) {
  let known = levels.get(api);
  if (!known) {
    known = new Map();
    levels.set(api, known);
  }
  const cached = known.get(entityRef);
  if (cached && Date.now() - cached.asked < KEEP_MS) {
    return cached.level;
  }
  const level = api.getScorecard(entityRef, { days: 1 }).then(
    card => (card ? card.level ?? 'none' : undefined),
    error => {
      // A failed request is asked again next time the cell renders.
      known!.delete(entityRef);
      throw error;
    },
  );
  known.set(entityRef, { asked: Date.now(), level });
  return level;
}

/** The governance level of a product in the catalog table. */
export function LevelCell(props: { entity: Entity }) {
  const api = useApi(dataMeshApiRef);
  const entityRef = stringifyEntityRef(props.entity);
  const { value, loading, error } = useAsync(
    () => levelOf(api, entityRef),
    [api, entityRef],
  );
  if (loading) return null;
  if (error) {
    return (
      <Typography variant="body2" color="textSecondary" title={error.message}>
        unknown
      </Typography>
    );
  }
  if (value === undefined) {
    return (
      <Typography variant="body2" color="textSecondary">
        Not evaluated yet
      </Typography>
    );
  }
  return <LevelBadge level={value} />;
}
