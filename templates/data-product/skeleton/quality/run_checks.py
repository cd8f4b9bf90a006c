#!/usr/bin/env python3
"""Runs the quality checks of quality/checks.yaml and pushes the results to the portal.

Each check is a query over the model of one output port and what its answer
must be (`expect`):

- maxAgeSeconds: the query returns a timestamp at most that old (freshness);
- min: the query returns a number at least that large (completeness, availability);
- maxDelaySeconds: the query returns `loaded, happened`, at most that far apart (timeliness).

Results are pushed to POST $QUANTA_PORTAL_URL/api/data-mesh/quality/results
in the Quanta results format (QualityResults.v1) with the static token in
$QUANTA_QUALITY_TOKEN (sent as a bearer token and never printed) when both are
set. A failing warning-severity check is reported as `warn`, a query that
cannot run as `error`. The run id is GitHub's run id and attempt, so a re-run
of the same job posts a new run and a retried push stores nothing twice. The
exit code is 1 when an error-severity check fails.

The queries run on DuckDB (the dev target of profiles.yml). For another
warehouse, change connect() to open a DB-API connection to it.
"""
import argparse
import datetime as dt
import json
import os
import sys
import urllib.request
import uuid

import yaml

RESULTS_PATH = "/api/data-mesh/quality/results"
SCHEMA = "https://quanta.dev/schemas/QualityResults.v1.json"
# The quality dimension each SLO's check measures.
DIMENSIONS = {
    "freshness": "timeliness",
    "intervalOfChange": "timeliness",
    "timeliness": "timeliness",
    "completeness": "completeness",
}


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


def run_identity():
    """GitHub's run id and attempt, with a link to the run; a random id elsewhere."""
    run_id = os.environ.get("GITHUB_RUN_ID")
    if not run_id:
        return f"local-{uuid.uuid4()}", None
    attempt = os.environ.get("GITHUB_RUN_ATTEMPT", "1")
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repository = os.environ.get("GITHUB_REPOSITORY")
    url = f"{server}/{repository}/actions/runs/{run_id}" if repository else None
    return f"github-{run_id}-{attempt}", url


def build_payload(product, results, started, finished, newest, run_id, url):
    """The run as the portal reads it (format=quanta)."""
    checks = []
    for result in results:
        check = {
            "checkId": result["name"],
            "name": result["name"],
            "status": result["status"],
            "slo": result["slo"],
            "threshold": result["objective"],
            "message": result["detail"],
            "dataset": result["port"],
        }
        if result["slo"] in DIMENSIONS:
            check["dimension"] = DIMENSIONS[result["slo"]]
        if isinstance(result["value"], (int, float)):
            check["measured"] = result["value"]
        checks.append(check)
    payload = {
        "$schema": SCHEMA,
        "source": "quanta-checks",
        "runId": run_id,
        "startedAt": started.isoformat(),
        "finishedAt": finished.isoformat(),
        "entityRef": product,
        "checks": checks,
    }
    if url:
        payload["url"] = url
    if newest is not None:
        payload["lastUpdatedAt"] = newest.isoformat()
    return payload


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
    started = now
    results = []
    newest = None
    for check in spec.get("checks", []):
        try:
            row = connection.execute(check["query"]).fetchone() or (None, None)
            passed, value, detail = evaluate(check["expect"], row, now)
            status = "pass" if passed else ("warn" if check["severity"] == "warning" else "fail")
            if check["slo"] == "freshness" and row[0] is not None:
                loaded = as_datetime(row[0])
                newest = loaded if newest is None else max(newest, loaded)
        except Exception as error:  # a port that cannot be read fails its check
            passed, value, detail = False, None, f"query failed: {error}"
            status = "error"
        results.append(
            {
                "name": check["name"],
                "port": check["port"],
                "slo": check["slo"],
                "objective": check["objective"],
                "severity": check["severity"],
                "passed": passed,
                "status": status,
                "value": value,
                "detail": detail,
            }
        )
        print(f"{status.upper():5} {check['name']}: {detail}")

    run_id, url = run_identity()
    finished = dt.datetime.now(dt.timezone.utc)
    payload = build_payload(spec["product"], results, started, finished, newest, run_id, url)
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
