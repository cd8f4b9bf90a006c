export * from './format';
export * from './slos';
