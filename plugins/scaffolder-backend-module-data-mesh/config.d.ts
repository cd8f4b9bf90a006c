export interface Config {
  dataMesh?: {
    /** Settings of the data mesh scaffolder actions. */
    scaffolder?: {
      /**
       * Where `data-mesh:publish:local` creates repositories: one git
       * repository per data product, with no remote. Relative paths resolve
       * against the backend's working directory. Defaults to `.data/repos`
       * under the repository root.
       */
      localPublish?: {
        directory?: string;
      };
    };
  };
}
