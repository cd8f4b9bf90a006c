export interface Config {
  dataMesh?: {
    /** Settings of the catalog module that adds the DataProduct kind. */
    catalog?: {
      /**
       * The largest DataProduct descriptor the catalog takes, measured as
       * JSON after YAML parsing (so aliases count as often as they expand):
       * a number of bytes, or a size such as `512kb` or `1mb` (1kb is 1024
       * bytes). A larger descriptor is refused with a processing error and
       * nothing else of it is read; the catalog keeps its previous version.
       * Default: `512kb`.
       */
      maxDescriptorSize?: number | string;
      /**
       * Whether a catalog file that holds no entity (empty, only comments,
       * only `~` or `---`) is a processing error on the location that lists
       * it. The module installs a file parser for this (Backstage's own,
       * wrapped); a catalog takes one parser, so a portal that sets its own
       * sets this to false. Default: true.
       */
      reportEmptyFiles?: boolean;
    };
  };
}
