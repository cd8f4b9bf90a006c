export * from './colors';
export * from './describe';
export * from './graph';
export * from './layout';
export * from './summary';
