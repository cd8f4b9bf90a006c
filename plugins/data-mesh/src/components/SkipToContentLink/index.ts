export {
  SkipToContentLink,
  type SkipToContentLinkProps,
} from './SkipToContentLink';
