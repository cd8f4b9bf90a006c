import Typography from '@material-ui/core/Typography';

/** An option of a picker's list: its label, and a line of detail under it when there is one. */
export function PickerOption(props: { label: string; detail?: string }) {
  return (
    <div>
      <Typography variant="body2">{props.label}</Typography>
      {props.detail && (
        <Typography variant="caption" color="textSecondary">
          {props.detail}
        </Typography>
      )}
    </div>
  );
}
