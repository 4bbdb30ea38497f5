"""Import circles inside a package, as import-linter sees imports (grimp: lazy imports inside
functions and imports under TYPE_CHECKING count like any other).

    PYTHONPATH=src python bench/import_circles.py                  # membranelab.bank, by module
    PYTHONPATH=src python bench/import_circles.py --packages       # subpackages as one node
    PYTHONPATH=src python bench/import_circles.py membranelab.app  # another package

Prints the module and import counts and every strongly connected component of more than one
module (a circle: each of its modules reaches every other through imports).
"""

from __future__ import annotations

import argparse
import sys

import grimp


def circles(package: str, collapse: bool) -> tuple[int, int, list[list[str]]]:
    """(nodes, edges, circles) of the import graph of ``package``'s modules; ``collapse``
    counts each subpackage directly under ``package`` as one node."""
    graph = grimp.build_graph(package.split(".")[0], cache_dir=None)
    depth = package.count(".") + 2
    modules = sorted(m for m in graph.modules if m.startswith(package + "."))

    def node(module: str) -> str:
        return ".".join(module.split(".")[:depth]) if collapse else module

    edges: dict[str, set[str]] = {}
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith(package + ".") and node(module) != node(imported):
                edges.setdefault(node(module), set()).add(node(imported))
    nodes = sorted({node(m) for m in modules})
    return len(nodes), sum(map(len, edges.values())), _components(nodes, edges)


def _components(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(nodes) + 100))
    for v in nodes:
        if v not in index:
            visit(v)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default="membranelab.bank",
                        help="the package whose modules are looked at")
    parser.add_argument("--packages", action="store_true",
                        help="count each subpackage directly under it as one node")
    args = parser.parse_args()
    nodes, edges, found = circles(args.package, args.packages)
    print(f"{args.package}: {nodes} modules, {edges} imports between them, "
          f"{len(found)} circle(s)")
    for component in found:
        print(f"  {len(component)}: {', '.join(m[len(args.package) + 1:] for m in component)}")


if __name__ == "__main__":
    main()
