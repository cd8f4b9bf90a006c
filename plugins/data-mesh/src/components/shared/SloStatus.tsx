import Chip from '@material-ui/core/Chip';
import { useTheme } from '@material-ui/core/styles';
import type {
  QualityCheckView,
  SloEvaluation,
  SloStatus,
} from '@quanta/plugin-data-mesh-common';
import { readableTextOn } from '../../lib/palette';
import { sloLabel, sloStatusLabel } from '../../lib/quality';

/** The colour of an SLO or check status, the same on every card. */
export function useStatusColor() {
  const theme = useTheme();
  return (status: SloStatus | QualityCheckView['status']): string => {
    switch (status) {
      case 'met':
      case 'pass':
        return theme.palette.success?.main ?? '#2e7d32';
      case 'at-risk':
      case 'warn':
        return theme.palette.warning?.main ?? '#ed6c02';
      case 'breached':
      case 'fail':
      case 'error':
        return theme.palette.error.main;
      default:
        return theme.palette.grey[500];
    }
  };
}

/** "Freshness: met" in the status's colour. */
export function SloChip(props: { slo: SloEvaluation }) {
  const colorOf = useStatusColor();
  const color = colorOf(props.slo.status);
  return (
    <Chip
      size="small"
      label={`${sloLabel(props.slo.slo)}: ${sloStatusLabel(props.slo.status)}`}
      style={{ backgroundColor: color, color: readableTextOn(color) }}
    />
  );
}

const ORDER: SloStatus[] = ['breached', 'at-risk', 'no-data', 'met'];

/**
 * How many SLOs are in each status, worst first: "1 breached, 2 met".
 * Undefined without SLOs.
 */
export function describeSloCounts(slos: SloEvaluation[]): string | undefined {
  if (!slos.length) return undefined;
  return ORDER.map(status => ({
    status,
    count: slos.filter(slo => slo.status === status).length,
  }))
    .filter(entry => entry.count > 0)
    .map(entry => `${entry.count} ${sloStatusLabel(entry.status)}`)
    .join(', ');
}
