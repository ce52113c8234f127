"""The layers of the house (pyproject.toml [tool.importlinter], docs/layers.md): imports only run downwards.

import-linter checks the contracts; these tests run it on the tree as it is, on a copy with one wrong-way
import added (the check must be able to fail), and look for circles between files with grimp, the graph
import-linter itself builds (function-level imports included).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "core", "elections", "voters", "results", "public", "office", "api", "demo")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy_of_the_tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_layer_contract_is_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "complaint"),
    [
        ("elections/models.py", "import voters.models", "elections is not allowed to import voters"),
        ("results/tallies/services.py", "from office.tallies import views", "results is not allowed to import office"),
        ("api/minutes.py", "from office.minutes import views", "api.minutes -> office.minutes.views"),
        ("results/rules/winners.py", "from results import models", "results.rules is not allowed to import"),
    ],
)
def test_a_wrong_way_import_breaks_a_contract(tmp_path, module, wrong_import, complaint):
    # given a copy of the tree with one import running the wrong way
    tree = _copy_of_the_tree(tmp_path)
    with (tree / module).open("a") as fh:
        fh.write(f"\n{wrong_import}  # noqa\n")
    # when the contracts are checked
    result = _lint_imports(tree)
    # then the check fails and names the import
    assert result.returncode != 0
    assert complaint in " ".join(result.stdout.split()), result.stdout


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            circle = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                circle.append(top)
                if top == module:
                    break
            if len(circle) > 1:
                found.append(sorted(circle))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_circle_between_files():
    graph = grimp.build_graph(*PACKAGES)
    assert _circles(graph) == []


def test_the_circle_finder_finds_a_circle(tmp_path):
    # given two modules that import each other
    package = tmp_path / "circle_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circle_demo import b\n")
    (package / "b.py").write_text("def f():\n    from circle_demo import a\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("circle_demo", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    # then the finder reports them, a function-level import included
    assert _circles(graph) == [["circle_demo.a", "circle_demo.b"]]
