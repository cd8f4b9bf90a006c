import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  CatalogAutocomplete,
  catalogApiRef,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import CheckBoxIcon from '@material-ui/icons/CheckBox';
import CheckBoxOutlineBlankIcon from '@material-ui/icons/CheckBoxOutlineBlank';
import { normalizeRef } from '../../lib/entity';
import {
  DataMeshEntityFilters,
  DataProductDomainFilter,
} from './DataProductDomainFilter';

const FACET = 'spec.domain';

/** `domain:default/sales` is shown as `sales`, other namespaces as `finance/sales`. */
export function domainLabel(ref: string): string {
  try {
    const { namespace, name } = parseEntityRef(ref, { defaultKind: 'domain' });
    return namespace === DEFAULT_NAMESPACE ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

function asArray(value: string | string[] | undefined): string[] {
  return [value].flat().filter((v): v is string => typeof v === 'string');
}

function sameValues(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * Props of {@link DataProductDomainPicker}.
 *
 * @public
 */
export type DataProductDomainPickerProps = {
  /** Defaults to "Domain". */
  label?: string;
  /** Domains selected when the URL selects none, e.g. `['sales']`. */
  initialFilter?: string[];
  /** Apply the filter but show no control. */
  hidden?: boolean;
};

/**
 * Catalog index filter: pick the domains whose entities to list. The choices
 * are the `spec.domain` values in the catalog, counted, for the selected kind.
 *
 * @public
 */
export function DataProductDomainPicker(props: DataProductDomainPickerProps) {
  const { label = 'Domain', initialFilter = [], hidden } = props;
  const catalogApi = useApi(catalogApiRef);
  const {
    filters,
    updateFilters,
    queryParameters: { domain: domainParameter },
  } = useEntityList<DataMeshEntityFilters>();

  const queryValues = useMemo(
    () => new DataProductDomainFilter(asArray(domainParameter)).values,
    [domainParameter],
  );
  const [selected, setSelected] = useState<string[]>(() => {
    if (queryValues.length) {
      return queryValues;
    }
    return (
      filters.domain?.values ??
      new DataProductDomainFilter(initialFilter).values
    );
  });

  // Follow the URL when it changes, e.g. on back navigation.
  useEffect(() => {
    if (queryValues.length) {
      setSelected(current =>
        sameValues(current, queryValues) ? current : queryValues,
      );
    }
  }, [queryValues]);

  useEffect(() => {
    updateFilters({
      domain: selected.length
        ? new DataProductDomainFilter(selected)
        : undefined,
    });
  }, [selected, updateFilters]);

  // The facet is counted within the selected kind, as the other pickers do.
  const kindFilterKey = JSON.stringify(
    filters.kind?.getCatalogFilters?.() ?? {},
  );
  const [counts, setCounts] = useState<Map<string, number>>(new Map());
  useEffect(() => {
    let cancelled = false;
    catalogApi
      .getEntityFacets({
        facets: [FACET],
        filter: JSON.parse(kindFilterKey),
      })
      .then(({ facets }) => {
        const grouped = new Map<string, number>();
        for (const { value, count } of facets[FACET] ?? []) {
          const ref = normalizeRef(value, 'domain');
          if (ref) {
            grouped.set(ref, (grouped.get(ref) ?? 0) + count);
          }
        }
        if (!cancelled) {
          setCounts(grouped);
        }
      })
      .catch(() => {
        if (!cancelled) {
          setCounts(new Map());
        }
      });
    return () => {
      cancelled = true;
    };
  }, [catalogApi, kindFilterKey]);

  const options = useMemo(
    () =>
      Array.from(new Set([...counts.keys(), ...selected])).sort((a, b) =>
        domainLabel(a).localeCompare(domainLabel(b)),
      ),
    [counts, selected],
  );

  if (hidden || options.length === 0) {
    return null;
  }

  return (
    <Box pb={1} pt={1}>
      <CatalogAutocomplete<string, true>
        multiple
        disableCloseOnSelect
        label={label}
        name="domain-picker"
        options={options}
        value={selected}
        getOptionLabel={domainLabel}
        onChange={(_event, value) =>
          setSelected(new DataProductDomainFilter(value).values)
        }
        renderOption={(option, { selected: isSelected }) => (
          <FormControlLabel
            control={
              <Checkbox
                icon={<CheckBoxOutlineBlankIcon fontSize="small" />}
                checkedIcon={<CheckBoxIcon fontSize="small" />}
                checked={isSelected}
              />
            }
            label={`${domainLabel(option)} (${counts.get(option) ?? 0})`}
            onClick={event => event.preventDefault()}
          />
        )}
      />
    </Box>
  );
}
