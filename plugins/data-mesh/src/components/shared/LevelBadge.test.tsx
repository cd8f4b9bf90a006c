import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { dataMeshApiRef } from '../../api';
import { levelColor } from '../../lib/governance';
import {
  mockDataMeshApi,
  samplePoliciesResponse,
} from '../../testing/governance';
import { LevelBadge } from './LevelBadge';

describe('LevelBadge', () => {
  it('wears its level’s colour on the ladder wherever it is shown', async () => {
    const api = mockDataMeshApi();
    await renderInTestApp(
      <TestApiProvider apis={[[dataMeshApiRef, api]]}>
        <LevelBadge level="Silver" />
        <LevelBadge level="Gold" />
        <LevelBadge level="none" />
      </TestApiProvider>,
    );

    const ladder = samplePoliciesResponse.levels;
    const silver = await screen.findByLabelText('Level Silver');
    const gold = screen.getByLabelText('Level Gold');
    await waitFor(() =>
      expect(silver).toHaveStyle({
        backgroundColor: levelColor('Silver', ladder),
      }),
    );
    expect(gold).toHaveStyle({ backgroundColor: levelColor('Gold', ladder) });
    expect(levelColor('Silver', ladder)).not.toBe(levelColor('Gold', ladder));
    // No level: an outlined chip, not a colour of the ladder.
    expect(screen.getByLabelText('No level yet').style.backgroundColor).toBe(
      '',
    );
    // The ladder is read once for every badge on the page.
    expect(api.getPolicies).toHaveBeenCalledTimes(1);
  });
});
