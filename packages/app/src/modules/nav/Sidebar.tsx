import {
  CatalogIcon,
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { SidebarLogo } from './SidebarLogo';
import MenuIcon from '@material-ui/icons/Menu';
import SearchIcon from '@material-ui/icons/Search';
import StorageIcon from '@material-ui/icons/Storage';
import { CatalogSearchResultListItem } from '@backstage/plugin-catalog';
import { SidebarSearchModal } from '@backstage/plugin-search';
import {
  DataProductSearchResultListItem,
  SkipToContentLink,
} from '@quanta/plugin-data-mesh';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';

export const SidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      const nav = navItems.withComponent(item => (
        <SidebarItem icon={() => item.icon} to={item.href} text={item.title} />
      ));

      // The search plugin's page is opened from the search modal ("View
      // full results"), which takes its place in the sidebar; without the
      // search plugin there is neither.
      const searchPage = nav.take('page:search');

      return (
        <>
          {/* First in the page, so that the first Tab offers it. */}
          <SkipToContentLink />
          <Sidebar>
            <SidebarLogo />
            {searchPage && (
              <SidebarGroup label="Search" icon={<SearchIcon />} to="/search">
                <SidebarSearchModal
                  resultItemComponents={[
                    <DataProductSearchResultListItem
                      key="data-product"
                      icon={<StorageIcon />}
                    />,
                    <CatalogSearchResultListItem
                      key="catalog"
                      icon={<CatalogIcon />}
                    />,
                  ]}
                />
              </SidebarGroup>
            )}
            <SidebarDivider />
            <SidebarGroup label="Menu" icon={<MenuIcon />}>
              {nav.take('page:catalog')}
              {nav.take('page:scaffolder')}
              <SidebarDivider />
              <SidebarScrollWrapper>
                {nav.rest({ sortBy: 'title' })}
              </SidebarScrollWrapper>
            </SidebarGroup>
            <SidebarSpace />
            <SidebarDivider />
            <SidebarGroup
              label="Settings"
              icon={<UserSettingsSignInAvatar />}
              to="/settings"
            >
              {nav.take('page:user-settings')}
            </SidebarGroup>
          </Sidebar>
        </>
      );
    },
  },
});
