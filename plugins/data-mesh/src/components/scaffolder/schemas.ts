import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** What the scaffolder's "installed field extensions" page shows for each field. */
export const entityTitlePickerSchema = makeFieldSchema({
  output: z =>
    z
      .object({
        title: z.string().describe('The title shown for the entity'),
        ref: z.string().describe('The entity reference, for the steps'),
      })
      .describe('The chosen entity'),
  uiOptions: z =>
    z.object({
      catalogFilter: z
        .union([
          z.record(z.union([z.string(), z.array(z.string())])),
          z.array(z.record(z.union([z.string(), z.array(z.string())]))),
        ])
        .optional()
        .describe(
          'The entities offered, as a catalog filter: one object, or a list of which any may match',
        ),
    }),
}).schema;

export const dataProductOutputPortPickerSchema = makeFieldSchema({
  output: z => z.string().describe('The name of the chosen output port'),
  uiOptions: z =>
    z.object({
      dataProductField: z
        .string()
        .optional()
        .describe(
          'The sibling field that holds the chosen data product; dataProduct when omitted',
        ),
    }),
}).schema;
