#!/usr/bin/env python3
"""Asks the portal what this change to the product's contracts does to the
products that consume them, before it is merged.

usage: python .quanta/contract_impact.py [catalog-info.yaml]

For every output port in catalog-info.yaml whose contract is a file of this
repository, the contract as it is in this checkout is sent to
POST $QUANTA_PORTAL_URL/api/data-mesh/contracts/impact with the token in
$QUANTA_CONTRACTS_TOKEN (a bearer token, never printed). The portal compares
it with the version it last read and answers the changes, each breaking or
not with its rule, the version bump they need, and the consumer products
(declared and observed reading the port) with their owners and the fields they
are known to read.

The impact is printed, and written to the job summary ($GITHUB_STEP_SUMMARY)
when there is one. The job fails when a breaking change reaches a consumer or
the contract's version does not say what its changes need, unless
$QUANTA_IMPACT_FAIL_ON is `never` (then it warns). A product the portal does
not know yet, or a run without the portal's address or token, checks nothing
and says so.
"""
import json
import os
import sys
import urllib.error
import urllib.request

import yaml

IMPACT_PATH = "/api/data-mesh/contracts/impact"


def ports_with_local_contracts(descriptor):
    """(port name, contract file) for every port whose contract is a file here."""
    for port in (descriptor.get("spec") or {}).get("outputPorts") or []:
        location = ((port or {}).get("contract") or {}).get("location")
        if not location or "://" in location:
            continue
        path = os.path.normpath(location)
        if os.path.isfile(path):
            yield port["name"], path


def ask(portal, token, body):
    request = urllib.request.Request(
        portal.rstrip("/") + IMPACT_PATH,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read().decode("utf-8"))
        except ValueError:
            answer = {}
        return error.code, answer


def describe(port, file, impact):
    """The impact of one port's change, as Markdown lines, and whether it blocks."""
    lines = [f"### Output port `{port}` ({file})", ""]
    current = (impact.get("current") or {}).get("version")
    proposed = (impact.get("proposed") or {}).get("version")
    changes = impact.get("changes") or []
    bump = impact.get("requiredVersionBump", "none")
    if not changes:
        lines.append(f"No change from the version the portal has ({current}).")
        return lines, False
    lines.append(
        f"Version {current or '(none yet)'} → {proposed or '(none)'}: "
        f"{len(changes)} change(s), which need a **{bump}** version."
    )
    problems = list((impact.get("proposed") or {}).get("problems") or [])
    if impact.get("versionProblem"):
        problems.append(impact["versionProblem"])
    for problem in problems:
        lines.append(f"- ⚠️ {problem}")
    lines += ["", "| Level | Rule | Change |", "| --- | --- | --- |"]
    order = {"breaking": 0, "warning": 1, "compatible": 2}
    for change in sorted(changes, key=lambda c: order.get(c.get("level"), 3)):
        lines.append(f"| {change.get('level')} | `{change.get('rule')}` | {change.get('message')} |")
    consumers = impact.get("consumers") or []
    affected = [c for c in consumers if c.get("affectedBy")]
    lines.append("")
    if not consumers:
        lines.append("No product is known to consume this port.")
    else:
        lines.append(f"{len(consumers)} consumer(s), {len(affected)} affected by a breaking change:")
        lines.append("")
        for consumer in consumers:
            owner = consumer.get("owner") or {}
            who = owner.get("title") or owner.get("ref") or "no owner"
            name = consumer.get("title") or consumer.get("entityRef")
            via = " and ".join(consumer.get("via") or [])
            reads = consumer.get("fields")
            reading = f"; reads {', '.join(reads)}" if reads else ""
            hit = consumer.get("affectedBy") or []
            verdict = f" — **affected**: {'; '.join(hit)}" if hit else " — not affected"
            lines.append(f"- {name} (owner {who}; {via}{reading}){verdict}")
    blocks = bool(affected) or bool(problems)
    return lines, blocks


def main():
    descriptor_file = sys.argv[1] if len(sys.argv) > 1 else "catalog-info.yaml"
    with open(descriptor_file, encoding="utf-8") as handle:
        descriptor = yaml.safe_load(handle)
    metadata = descriptor.get("metadata") or {}
    entity_ref = f"dataproduct:{metadata.get('namespace', 'default')}/{metadata['name']}"
    portal = os.environ.get("QUANTA_PORTAL_URL", "").strip()
    token = os.environ.get("QUANTA_CONTRACTS_TOKEN", "").strip()
    fail_on = os.environ.get("QUANTA_IMPACT_FAIL_ON", "breaking").strip() or "breaking"
    if fail_on not in ("breaking", "never"):
        print(f"QUANTA_IMPACT_FAIL_ON: found {fail_on!r}, expected breaking or never", file=sys.stderr)
        return 2
    if not portal or not token:
        print(
            "::warning::Contract impact not checked: set the repository variable QUANTA_PORTAL_URL "
            "and the secret QUANTA_CONTRACTS_TOKEN (see README.md)"
        )
        return 0

    report = [f"## Contract impact of this change on {entity_ref}", ""]
    blocking = []
    for port, file in ports_with_local_contracts(descriptor):
        with open(file, encoding="utf-8") as handle:
            contract = handle.read()
        status, answer = ask(portal, token, {"entityRef": entity_ref, "port": port, "contract": contract})
        if status == 404:
            report += [f"### Output port `{port}` ({file})", "", "The portal does not know this port yet: nothing to compare.", ""]
            continue
        if status != 200:
            message = (answer.get("error") or {}).get("message") or f"HTTP {status}"
            print(f"{file}: the portal could not check the impact: {message}", file=sys.stderr)
            return 1
        lines, blocks = describe(port, file, answer)
        report += lines + [""]
        if blocks:
            blocking.append(port)

    text = "\n".join(report)
    print(text)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    if blocking:
        ports = ", ".join(blocking)
        if fail_on == "never":
            print(f"::warning::Contract changes of {ports} break consumers or need another version; see the job summary")
            return 0
        print(f"::error::Contract changes of {ports} break consumers or need another version; see the job summary")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
