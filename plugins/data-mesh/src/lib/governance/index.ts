export * from './adoption';
export * from './classification';
export * from './format';
export * from './overview';
export * from './scorecards';
export * from './selection';
