#!/usr/bin/env python3
"""Checks every ODCS contract against the official JSON schema of the ODCS
version it declares (its apiVersion), as the standard publishes it.

usage: python .quanta/check_contracts.py contracts/*.odcs.yaml

Each contract is validated by check-jsonschema (pip install check-jsonschema),
which downloads the schema once and caches it. The schemas come from
ODCS_SCHEMA_BASE_URL, by default the standard's own repository; point it at a
mirror (https://... or a local folder) where CI cannot reach GitHub.

A patch release of ODCS accepts the contracts of the earlier patches of its
line (its apiVersion enum lists them) and fixes that line's schema, so a
v3.0.0 or v3.0.1 contract is checked with the v3.0.2 schema. Any other version
is checked with the schema published under its own name.

The v3.1.0 schema lists v3.0.x among the apiVersions it accepts, and the
standard's own v3.0.2 examples use fields only it defines (a team with
members, timestamp and time logical types). A v3.0.x contract that the v3.0.2
schema refuses but the v3.1.0 schema accepts therefore passes, with a warning
that names what v3.0.2 refuses; raise its apiVersion to v3.1.0 to clear it.
"""
import os
import re
import subprocess
import sys

import ruamel.yaml

OFFICIAL_BASE_URL = (
    "https://raw.githubusercontent.com/bitol-io/open-data-contract-standard/main/schema"
)
# The latest patch of each line whose schema accepts its earlier patches.
LATEST_PATCH = {"v3.0": "v3.0.2"}
# The later schema that lists a line's versions among its apiVersions.
ALSO_ACCEPTED_BY = {"v3.0": "v3.1.0"}
VERSION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


def line_of(api_version):
    match = VERSION.match(api_version)
    return f"v{match.group(1)}.{match.group(2)}"


def schema_location(version):
    base = os.environ.get("ODCS_SCHEMA_BASE_URL", OFFICIAL_BASE_URL).rstrip("/")
    return f"{base}/odcs-json-schema-{version}.json"


def read_api_version(path):
    """The contract's apiVersion, or the problem that stops it being checked."""
    try:
        with open(path, encoding="utf-8") as contract_file:
            document = ruamel.yaml.YAML(typ="safe", pure=True).load(contract_file)
    except OSError as error:
        return None, f"cannot be read ({error.strerror})"
    except ruamel.yaml.YAMLError as error:
        return None, f"is not valid YAML: {str(error).splitlines()[0]}"
    if not isinstance(document, dict):
        return None, "is not a YAML mapping; an ODCS contract is one document of fields"
    api_version = document.get("apiVersion")
    if api_version is None:
        return None, "has no apiVersion; set it to the ODCS version the contract follows, such as v3.1.0"
    match = VERSION.match(api_version) if isinstance(api_version, str) else None
    if not match:
        return None, (
            f"has apiVersion {api_version!r}; write the ODCS version as v<major>.<minor>.<patch>, such as v3.1.0"
        )
    if int(match.group(1)) < 3:
        return None, (
            f"follows ODCS {api_version}; ODCS publishes JSON schemas from v3 on, so move the contract to v3 (such as v3.1.0)"
        )
    return api_version, None


def check(location, path):
    """check-jsonschema's verdict and report for one contract."""
    run = subprocess.run(
        ["check-jsonschema", "--schemafile", location, path],
        capture_output=True,
        text=True,
    )
    return run.returncode == 0, (run.stdout + run.stderr).strip()


def main(paths):
    if not paths:
        print("usage: python .quanta/check_contracts.py CONTRACT...", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        api_version, problem = read_api_version(path)
        if problem:
            print(f"{path}: {problem}")
            failed = True
            continue
        line = line_of(api_version)
        version = LATEST_PATCH.get(line, api_version)
        location = schema_location(version)
        passed, report = check(location, path)
        if passed:
            print(f"{path}: valid ODCS {api_version} (schema {version})")
            continue
        later = ALSO_ACCEPTED_BY.get(line)
        if later and check(schema_location(later), path)[0]:
            # GitHub shows ::warning lines on the run and the file.
            print(
                f"::warning file={path}::{path} declares apiVersion {api_version} "
                f"but uses fields of ODCS {later}; the {later} schema accepts it, the "
                f"{version} schema does not. Raise apiVersion to {later} to clear this warning."
            )
            print(report)
            continue
        print(f"{path}: fails the check against the official ODCS {version} schema, {location}:")
        print(report)
        failed = True
    if failed:
        print("Some contracts do not match the official ODCS schema of their apiVersion.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
