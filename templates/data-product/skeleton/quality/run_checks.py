#!/usr/bin/env python3
"""Runs the quality checks of quality/checks.yaml and pushes the results to the portal.

Each check is a query over the model of one output port and what its answer
must be (`expect`):

- maxAgeSeconds: the query returns a timestamp at most that old (freshness);
- min: the query returns a number at least that large (completeness, availability);
- maxDelaySeconds: the query returns `loaded, happened`, at most that far apart (timeliness).

Results are pushed to POST $QUANTA_PORTAL_URL/api/data-mesh/quality/results
with the static token in $QUANTA_QUALITY_TOKEN (sent as a bearer token and
never printed) when both are set. The exit code is 1 when an error-severity
check fails.

The queries run on DuckDB (the dev target of profiles.yml). For another
warehouse, change connect() to open a DB-API connection to it.
"""
import argparse
import datetime as dt
import json
import os
import sys
import urllib.request

import yaml

RESULTS_PATH = "/api/data-mesh/quality/results"


def connect(database):
    import duckdb

    return duckdb.connect(database, read_only=True)


def as_datetime(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        moment = dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def evaluate(expect, row, now):
    """Returns (passed, value, detail) for one query result row."""
    if "maxAgeSeconds" in expect:
        newest = as_datetime(row[0])
        if newest is None:
            return False, None, "no data"
        age = (now - newest).total_seconds()
        return age <= expect["maxAgeSeconds"], age, f"newest data {age:.0f} s old"
    if "min" in expect:
        if row[0] is None:
            return False, None, "no value"
        value = float(row[0])
        return value >= expect["min"], value, f"{value:g} (at least {expect['min']:g})"
    if "maxDelaySeconds" in expect:
        loaded, happened = as_datetime(row[0]), as_datetime(row[1])
        if loaded is None or happened is None:
            return False, None, "no data"
        delay = (loaded - happened).total_seconds()
        return delay <= expect["maxDelaySeconds"], delay, f"delay {delay:.0f} s"
    raise ValueError(f"unknown expectation {expect}")


def push(portal, token, payload):
    request = urllib.request.Request(
        portal.rstrip("/") + RESULTS_PATH,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", default="quality/checks.yaml")
    parser.add_argument("--database", default="target/dev.duckdb")
    parser.add_argument("--no-push", action="store_true", help="do not send results to the portal")
    args = parser.parse_args()

    with open(args.checks, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    connection = connect(args.database)
    now = dt.datetime.now(dt.timezone.utc)
    results = []
    newest = None
    for check in spec.get("checks", []):
        try:
            row = connection.execute(check["query"]).fetchone() or (None, None)
            passed, value, detail = evaluate(check["expect"], row, now)
            if check["slo"] == "freshness" and row[0] is not None:
                loaded = as_datetime(row[0])
                newest = loaded if newest is None else max(newest, loaded)
        except Exception as error:  # a port that cannot be read fails its check
            passed, value, detail = False, None, f"query failed: {error}"
        results.append(
            {
                "name": check["name"],
                "port": check["port"],
                "slo": check["slo"],
                "objective": check["objective"],
                "severity": check["severity"],
                "passed": passed,
                "value": value,
                "detail": detail,
                "at": now.isoformat(),
            }
        )
        print(f"{'PASS' if passed else 'FAIL'}  {check['name']}: {detail}")

    payload = {"entityRef": spec["product"], "checks": results}
    if newest is not None:
        payload["lastUpdatedAt"] = newest.isoformat()
    portal = os.environ.get("QUANTA_PORTAL_URL")
    token = os.environ.get("QUANTA_QUALITY_TOKEN")
    if args.no_push:
        print("Results not pushed (--no-push)")
    elif portal and token:
        status = push(portal, token, payload)
        print(f"Pushed {len(results)} results to {portal}{RESULTS_PATH} ({status})")
    else:
        print("Results not pushed: set QUANTA_PORTAL_URL and QUANTA_QUALITY_TOKEN")

    failed = [r for r in results if not r["passed"] and r["severity"] == "error"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
