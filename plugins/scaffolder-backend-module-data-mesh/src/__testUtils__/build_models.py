"""Builds the dbt models of a generated repository on DuckDB, as `dbt build`
does with the repository's dev target, for tests on machines without dbt.

Each model is rendered with Jinja, where `source()` and `ref()` name tables as
dbt names them (sources in the schema of models/sources.yml, models in the
target's main schema), and materialised as a table with dbt's own statement,
`create table ... as (...)`, models a model refers to first. Any other Jinja
name fails the build: the generated models must need nothing dbt would
provide beyond source() and ref().

usage: python3 build_models.py <repository> <database file>
prints the models built, in order, with the columns of each, as JSON.
"""
import json
import pathlib
import sys

import duckdb
import jinja2
import yaml


def quoted(name):
    return '"' + name.replace('"', '""') + '"'


def main(repository, database):
    root = pathlib.Path(repository)
    sources = yaml.safe_load((root / "models" / "sources.yml").read_text())
    schemas = {
        (source["name"], table["name"]): source.get("schema", source["name"])
        for source in sources.get("sources", [])
        for table in source.get("tables", [])
    }
    models = {
        path.stem: path.read_text()
        for path in sorted((root / "models").rglob("*.sql"))
    }

    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)

    def render(name):
        refs = []

        def source(source_name, table_name):
            if (source_name, table_name) not in schemas:
                raise ValueError(
                    f"model {name} reads source('{source_name}', '{table_name}'), "
                    "which models/sources.yml does not declare"
                )
            return f"{quoted(schemas[(source_name, table_name)])}.{quoted(table_name)}"

        def ref(model_name):
            if model_name not in models:
                raise ValueError(f"model {name} refers to unknown model {model_name}")
            refs.append(model_name)
            return quoted(model_name)

        sql = environment.from_string(models[name]).render(source=source, ref=ref)
        return sql, refs

    connection = duckdb.connect(database)
    built = []
    building = set()

    def build(name):
        if name in built:
            return
        if name in building:
            raise ValueError(f"models refer to each other in a cycle through {name}")
        building.add(name)
        sql, refs = render(name)
        for dependency in refs:
            build(dependency)
        connection.execute(f"create table {quoted(name)} as (\n{sql}\n)")
        built.append(name)

    for name in models:
        build(name)
    tables = [
        {
            "model": name,
            "columns": [
                row[0]
                for row in connection.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = 'main' and table_name = ?"
                    " order by ordinal_position",
                    [name],
                ).fetchall()
            ],
        }
        for name in built
    ]
    connection.close()
    print(json.dumps(tables))


if __name__ == "__main__":
    main(*sys.argv[1:])
