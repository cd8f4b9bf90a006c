/** Colours for series that have no meaning of their own, distinct in both themes. */
export const SERIES_COLORS = [
  '#1e88e5',
  '#e53935',
  '#43a047',
  '#fb8c00',
  '#8e24aa',
  '#00acc1',
  '#6d4c41',
];
