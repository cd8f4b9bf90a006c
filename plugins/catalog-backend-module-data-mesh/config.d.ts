export interface Config {
  dataMesh?: {
    /** Settings of the catalog module that adds the DataProduct kind. */
    catalog?: {
      /**
       * The largest DataProduct descriptor the catalog takes, measured as
       * JSON after YAML parsing (so aliases count as often as they expand;
       * the location annotations the catalog sets itself do not count): a
       * number of bytes, or a size such as `512kb` or `1mb` (1kb is 1024
       * bytes). A larger descriptor is refused with a processing error and
       * nothing else of it is read; the catalog keeps its previous version.
       * The module's file parser measures it before the YAML is expanded.
       * Default: `512kb` (the module's README says why).
       */
      maxDescriptorSize?: number | string;
      /**
       * The largest catalog document of any other kind the module's file
       * parser takes, measured as JSON with its YAML aliases expanded, before
       * they are: bytes or a size, as `maxDescriptorSize`. A larger document
       * is an error on its file's location. Default: `16mb`, several times
       * the largest inline API definitions; it is there only to stop alias
       * expansion, which Backstage's own parser leaves unbounded.
       */
      maxDocumentSize?: number | string;
      /**
       * Whether the module installs its catalog file parser, which reads YAML
       * as Backstage's own parser does but bounds what one file can cost
       * (linear duplicate-key check, sizes measured before aliases expand,
       * alias cycles, what PostgreSQL cannot store). A catalog takes one
       * parser: a portal that sets its own sets this to false. Default: true,
       * or false when `reportEmptyFiles` alone is set to false.
       */
      fileParser?: boolean;
      /**
       * Whether a catalog file that holds no entity (empty, only comments,
       * only `~` or `---`) is a processing error on the location that lists
       * it, reported by the module's file parser. Set alone to false, the
       * module installs no file parser at all (see `fileParser`). Default:
       * true.
       */
      reportEmptyFiles?: boolean;
    };
  };
}
