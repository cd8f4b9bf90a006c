import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

const homeRedirect = PageBlueprint.make({
  name: 'home-redirect',
  params: {
    path: '/',
    noHeader: true,
    loader: async () => {
      const { HomeRedirect } = await import('./HomeRedirect');
      return <HomeRedirect />;
    },
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [homeRedirect],
});
