import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SkipToContentLink } from './SkipToContentLink';

describe('SkipToContentLink', () => {
  it('is the first stop of the keyboard and moves focus to the main landmark', async () => {
    render(
      <>
        <SkipToContentLink />
        <nav aria-label="sidebar nav">
          <a href="/catalog">Catalog</a>
          <a href="/data-mesh">Data Mesh</a>
        </nav>
        <main aria-label="Data Mesh">
          <h1>Data Mesh</h1>
          <button>List all data products</button>
        </main>
      </>,
    );

    await userEvent.tab();
    const link = screen.getByRole('link', { name: 'Skip to content' });
    expect(link).toHaveFocus();

    await userEvent.keyboard('{Enter}');
    expect(screen.getByRole('main', { name: 'Data Mesh' })).toHaveFocus();
    // The next Tab goes on from the content, past the sidebar.
    await userEvent.tab();
    expect(
      screen.getByRole('button', { name: 'List all data products' }),
    ).toHaveFocus();
  });

  it('moves focus to the first heading on a page without a main landmark', async () => {
    render(
      <>
        <SkipToContentLink label="Skip the menu" />
        <h1>Catalog</h1>
      </>,
    );
    await userEvent.click(screen.getByRole('link', { name: 'Skip the menu' }));
    expect(screen.getByRole('heading', { name: 'Catalog' })).toHaveFocus();
  });
});
