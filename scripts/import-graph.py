#!/usr/bin/env python3
"""The module import graph of a crate: which module uses which.

Prints one `from -> to` line per edge (`use crate::…` and inline
`crate::…` paths, test modules left out), then the import cycles and the
edges that run back up the layers named in LAYERS. Exits 1 when there is
a cycle or more than MAX_BACK_EDGES back edges.

    scripts/import-graph.py [reloader/src]

A module using its own parent (or any ancestor) is its facade at work,
not an edge. Modules are named by path (`diff::compare`); an edge's ends
are the deepest modules that exist.
"""

import re
import sys
from pathlib import Path

# Layers, bottom to top: a module's layer is the first prefix it matches.
# An edge from a lower layer to a higher one runs back up.
LAYERS = [
    ["error", "config::text", "config::grammar", "config::version", "config::redact"],
    ["config"],
    ["diff::plan", "diff::compare", "diff::neighbor", "diff::rebuild"],
    # The renderer, and the diff's facade that ends with it.
    ["diff::script", "diff"],
    ["frr"],
    ["pipeline"],
    ["crate"],  # the crate root (lib.rs) and everything not named above
]
MAX_BACK_EDGES = 2


def module_of(src: Path, file: Path) -> str:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("lib", "main", "mod"):
        parts.pop()
    return "::".join(parts)


def strip(text: str) -> str:
    """Code without comments, string literals and `#[cfg(test)]` modules."""
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'r#"(?:.|\n)*?"#', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while depth and j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def expand(tree: str) -> list[str]:
    """`a::{b, c::{d, e}}` → [`a::b`, `a::c::d`, `a::c::e`]."""
    tree = re.sub(r"\s+", "", tree)
    m = re.match(r"^(.*?)\{(.*)\}$", tree)
    if not m:
        return [re.sub(r"(::self)?(as\w+)?$", "", tree)]
    prefix, inner = m.groups()
    items, depth, start = [], 0, 0
    for k, ch in enumerate(inner):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            items.append(inner[start:k])
            start = k + 1
    items.append(inner[start:])
    return [p for item in items if item for p in expand(prefix + item)]


def paths_in(code: str) -> set[str]:
    paths = set()
    for m in re.finditer(r"\buse\s+crate::([^;]*);", code):
        paths.update(expand(m.group(1)))
    code = re.sub(r"\buse\s+crate::[^;]*;", "", code)
    paths.update(re.findall(r"\bcrate::((?:\w+::)*\w+)", code))
    return paths


def layer(module: str) -> int:
    for n, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if module == p or module.startswith(p + "::") or p == "crate":
                return n
    return len(LAYERS)


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "reloader/src")
    files = sorted(src.rglob("*.rs"))
    modules = {module_of(src, f) for f in files}
    # Names the crate root re-exports (`pub use diff::diff;`) resolve to
    # their module; other root names are items of the root itself.
    root = next((f for f in files if module_of(src, f) == ""), None)
    aliases = {}
    if root:
        for m in re.finditer(r"\bpub\s+use\s+([^;]*);", strip(root.read_text())):
            for path in expand(m.group(1)):
                aliases[path.split("::")[-1]] = path
    edges = set()
    for f in files:
        here = module_of(src, f)
        for path in paths_in(strip(f.read_text())):
            parts = path.split("::")
            if parts[0] in aliases and parts[0] not in modules:
                parts = aliases[parts[0]].split("::") + parts[1:]
                if parts[0] not in modules:
                    continue  # another crate's item, re-exported
            target = ""
            for k in range(len(parts), 0, -1):
                if "::".join(parts[:k]) in modules:
                    target = "::".join(parts[:k])
                    break
            ancestor = target != "" and here.startswith(target + "::")
            if target != here and not ancestor:
                edges.add((here or "crate", target or "crate"))
    for a, b in sorted(edges):
        print(f"{a} -> {b}")

    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    back = sorted((a, b) for a, b in edges if layer(b) > layer(a))
    print(f"\n{len(edges)} edges, {len(cycles)} cycles, {len(back)} back edges")
    for c in cycles:
        print("cycle: " + " -> ".join(c))
    for a, b in back:
        print(f"back: {a} -> {b}")
    return 1 if cycles or len(back) > MAX_BACK_EDGES else 0


if __name__ == "__main__":
    sys.exit(main())
