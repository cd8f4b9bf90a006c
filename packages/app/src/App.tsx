import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogGraphDataMeshModule } from '@quanta/plugin-data-mesh/alpha';
import { navModule } from './modules/nav';

export default createApp({
  // Other plugins, including the data mesh plugin itself, are discovered
  // from package.json (app.packages: all).
  features: [catalogPlugin, navModule, catalogGraphDataMeshModule],
});
