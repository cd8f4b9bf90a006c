import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Route, Routes } from 'react-router-dom';
import { HomeRedirect } from './HomeRedirect';

function renderAt(path: string) {
  return renderInTestApp(
    <Routes>
      <Route path="/catalog" element={<p>The catalog</p>} />
      <Route path="/*" element={<HomeRedirect />} />
    </Routes>,
    { initialRouteEntries: [path] },
  );
}

describe('HomeRedirect', () => {
  it('opens the catalog from the portal root', async () => {
    renderAt('/');
    expect(await screen.findByText('The catalog')).toBeInTheDocument();
  });

  it('leaves other unknown addresses not found', async () => {
    renderAt('/no-such-page');
    expect(
      await screen.findByText(/ERROR 404: PAGE NOT FOUND/i),
    ).toBeInTheDocument();
    expect(screen.queryByText('The catalog')).not.toBeInTheDocument();
  });
});
