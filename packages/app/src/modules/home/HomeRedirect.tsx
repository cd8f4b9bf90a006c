import { NotFoundErrorPage } from '@backstage/frontend-plugin-api';
import { Navigate, useLocation } from 'react-router-dom';

/**
 * The portal's root opens the catalog, which lives at /catalog like the
 * entity pages under it; any other unknown address is still "not found".
 */
export function HomeRedirect() {
  const { pathname } = useLocation();
  if (pathname === '/' || pathname === '') {
    return <Navigate to="/catalog" replace />;
  }
  return <NotFoundErrorPage />;
}
