import { useApiHolder } from '@backstage/core-plugin-api';
import type { LevelDefinition } from '@quanta/plugin-data-mesh-common';
import { dataMeshApiRef, type DataMeshApi } from '../../api';
import { useAsync } from '../../lib/useAsync';

const ladders = new WeakMap<DataMeshApi, Promise<LevelDefinition[]>>();

function readLadder(api: DataMeshApi): Promise<LevelDefinition[]> {
  let ladder = ladders.get(api);
  if (!ladder) {
    ladder = api.getPolicies().then(
      response => response.levels,
      () => {
        // Asked again by the next badge that renders.
        ladders.delete(api);
        return [];
      },
    );
    ladders.set(api, ladder);
  }
  return ladder;
}

/**
 * The portal's level ladder, read once per page load, so that a level has
 * the same colour on every page; empty while loading or without the data
 * mesh API.
 */
export function useLevelLadder(): LevelDefinition[] {
  const holder = useApiHolder();
  let api: DataMeshApi | undefined;
  try {
    api = holder.get(dataMeshApiRef);
  } catch {
    // An app that cannot build the client still shows the level, uncoloured.
    api = undefined;
  }
  const { value } = useAsync(async () => (api ? readLadder(api) : []), [api]);
  return value ?? [];
}
