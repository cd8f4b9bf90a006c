import { useEffect } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';

/**
 * Sets the browser tab's title to "<title> | <app title>", as Backstage's
 * page headers do, and puts the previous one back when the page closes. For
 * pages of the new frontend system, whose page layout sets none.
 */
export function useDocumentTitle(title: string) {
  const appTitle =
    useApi(configApiRef).getOptionalString('app.title') || 'Backstage';
  useEffect(() => {
    const previous = document.title;
    document.title = `${title} | ${appTitle}`;
    return () => {
      document.title = previous;
    };
  }, [title, appTitle]);
}
