"""Helpers to read the SAM template in tests: conditions, Fn::If, references, the SAM transform."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from devstack.template import load_template

PSEUDO = {
    "AWS::Region": "eu-central-1",
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "invoice-test",
}
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


def template() -> dict[str, Any]:
    """A private copy of the parsed template (the loader's result is cached and shared)."""
    return copy.deepcopy(load_template())


def parameter_values(tpl: dict[str, Any], **overrides: str) -> dict[str, str]:
    values = {name: str(p.get("Default", "")) for name, p in tpl.get("Parameters", {}).items()}
    values.update(overrides)
    return values


def conditions(tpl: dict[str, Any], params: dict[str, str]) -> dict[str, bool]:
    out: dict[str, bool] = {}

    def value(node: Any) -> Any:
        if isinstance(node, dict) and "Ref" in node:
            return params.get(node["Ref"], PSEUDO.get(node["Ref"]))
        return node

    def evaluate(node: Any) -> bool:
        (fn, args), *_ = node.items()
        if fn == "Fn::Equals":
            return str(value(args[0])) == str(value(args[1]))
        if fn == "Fn::Not":
            return not evaluate(args[0])
        if fn == "Fn::And":
            return all(evaluate(a) for a in args)
        if fn == "Fn::Or":
            return any(evaluate(a) for a in args)
        if fn == "Condition":
            return out.setdefault(args, evaluate(tpl["Conditions"][args]))
        raise ValueError(f"unsupported condition function {fn}")

    for name, node in tpl.get("Conditions", {}).items():
        out[name] = evaluate(node)
    return out


_NO_VALUE = object()


def resolve_ifs(node: Any, conds: dict[str, bool]) -> Any:
    """Apply Fn::If and drop AWS::NoValue; every other intrinsic is left as it is."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, yes, no = node["Fn::If"]
            return resolve_ifs(yes if conds[name] else no, conds)
        if node == {"Ref": "AWS::NoValue"}:
            return _NO_VALUE
        out = {k: resolve_ifs(v, conds) for k, v in node.items()}
        return {k: v for k, v in out.items() if v is not _NO_VALUE}
    if isinstance(node, list):
        items = [resolve_ifs(v, conds) for v in node]
        return [v for v in items if v is not _NO_VALUE]
    return node


def effective(tpl: dict[str, Any], **overrides: str) -> dict[str, Any]:
    """The resources and outputs that exist for these parameter values, Fn::If applied."""
    params = parameter_values(tpl, **overrides)
    conds = conditions(tpl, params)
    out = copy.deepcopy(tpl)
    for section in ("Resources", "Outputs"):
        kept = {k: v for k, v in out.get(section, {}).items() if conds.get(v.get("Condition"), True)}
        out[section] = resolve_ifs(kept, conds)
    return out


def substitute(node: Any, params: dict[str, str], attrs: dict[str, str] | None = None) -> Any:
    """Evaluate Ref/Sub/Split/Join over parameters and pseudo parameters.

    A reference to a resource becomes `<LogicalId>` (or `<LogicalId.Attr>`), unless `attrs`
    names a value for it, so that strings can be compared with what AWS would produce.
    """
    attrs = attrs or {}

    def var(name: str) -> str:
        if name in params:
            return params[name]
        if name in PSEUDO:
            return PSEUDO[name]
        return attrs.get(name, f"<{name}>")

    if isinstance(node, dict) and len(node) == 1:
        (fn, arg), *_ = node.items()
        if fn == "Ref":
            return var(arg)
        if fn == "Fn::GetAtt":
            return var(".".join(arg))
        if fn == "Fn::Sub":
            text, local = (arg, {}) if isinstance(arg, str) else arg
            local = {k: substitute(v, params, attrs) for k, v in local.items()}
            return _SUB_VAR.sub(lambda m: str(local.get(m.group(1)) or var(m.group(1))), text)
        if fn == "Fn::Split":
            return substitute(arg[1], params, attrs).split(arg[0])
        if fn == "Fn::Join":
            return arg[0].join(str(substitute(v, params, attrs)) for v in arg[1])
    if isinstance(node, dict):
        return {k: substitute(v, params, attrs) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, params, attrs) for v in node]
    return node


def references(node: Any) -> set[str]:
    """Logical ids and parameters a fragment refers to (Ref, GetAtt, ${…} in Sub)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for fn, arg in node.items():
            if fn == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif fn == "Fn::GetAtt":
                found.add(arg[0] if isinstance(arg, list) else arg.split(".")[0])
            elif fn == "Fn::Sub":
                text, local = (arg, {}) if isinstance(arg, str) else arg
                found |= {m.group(1).split(".")[0] for m in _SUB_VAR.finditer(text)} - set(local)
                found |= references(local)
            else:
                found |= references(arg)
    elif isinstance(node, list):
        for item in node:
            found |= references(item)
    return {name for name in found if not name.startswith("AWS::")}


def dependencies(tpl: dict[str, Any]) -> dict[str, set[str]]:
    """Resource -> resources it needs first (references and DependsOn)."""
    resources = tpl["Resources"]
    graph = {}
    for rid, res in resources.items():
        depends = res.get("DependsOn") or []
        depends = [depends] if isinstance(depends, str) else depends
        graph[rid] = (references(res.get("Properties", {})) | set(depends)) & set(resources)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def role_statements(tpl: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every statement of every inline policy of every IAM role in the template."""
    for res in tpl["Resources"].values():
        if res["Type"] == "AWS::IAM::Role":
            for policy in res["Properties"].get("Policies", []):
                yield from policy["PolicyDocument"]["Statement"]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def sam_transform(tpl: dict[str, Any], **overrides: str) -> dict[str, Any]:
    """Run the SAM transform (what CloudFormation does on deploy) on a copy of the template.

    The translator asks boto3 for a region: the tests' autouse fixture sets AWS_DEFAULT_REGION.
    """
    from samtranslator.translator.transform import transform

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    tpl = copy.deepcopy(tpl)
    for res in tpl["Resources"].values():
        if res["Type"] == "AWS::Serverless::Function":
            res["Properties"]["CodeUri"] = "s3://artifact-bucket/artifact.zip"  # what `sam deploy` puts
    params = {**PSEUDO, **{k: v for k, v in overrides.items()}}
    return transform(tpl, params, NoManagedPolicies())
