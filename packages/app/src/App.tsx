import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import {
  catalogDataMeshModule,
  catalogGraphDataMeshModule,
} from '@quanta/plugin-data-mesh/alpha';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';

export default createApp({
  // Other plugins, including the data mesh plugin itself, are discovered
  // from package.json (app.packages: all).
  features: [
    catalogPlugin,
    navModule,
    homeModule,
    catalogGraphDataMeshModule,
    // The catalog page with the data mesh's columns for DataProducts.
    catalogDataMeshModule,
  ],
});
