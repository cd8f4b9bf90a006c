export { AccessInbox } from './AccessInbox';
