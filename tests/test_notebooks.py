"""Every notebook in notebooks/ runs end to end, cleanly, and writes nothing.

Each notebook is executed with nbclient in a fresh kernel that runs *this*
interpreter (a kernelspec pointing to ``sys.executable`` is written into a temporary
folder, so the test never depends on which kernels the machine has), in an empty
temporary working directory. The outputs are then checked: no errors, the expected
text, an inline graph (an ``<iframe srcdoc=...>``), and no new files in the working
directory. Each inline graph's page is saved under ``test-artifacts/`` and opened in
a real headless Chromium (:mod:`tests.viz.browser`): nodes drawn, no console
message, no network request, a screenshot kept next to it.

Notebooks named ``03-*`` need a Neo4j server: they are skipped when
``GRAPHKIT_NEO4J_URI`` is unset, and fail instead when ``GRAPHKIT_REQUIRE_NEO4J=1``.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ARTIFACTS = REPO / "test-artifacts"
KERNEL = "graphkit-test-python3"
TIMEOUT = 300  # seconds per cell



@dataclass(frozen=True)
class Expect:
    """What a notebook's outputs must show.

    ``texts``: strings that must appear somewhere in the outputs (stream, text/plain,
    text/html, text/markdown). ``graphs``: at least this many inline graphs
    (``gk.show``), each of which is then opened in Chromium.
    """

    texts: tuple[str, ...] = ()
    graphs: int = 1


# One entry per notebook. A notebook without an entry still runs and is checked
# for errors, files written and working graphs, but not for its content: add it here.
EXPECTED: dict[str, Expect] = {
    "01-seed-investigation.ipynb": Expect(texts=(
        "iFlytek", "84 FR 54002", "suspended", "0 problems", "SenseTime Group Limited",
        "ILLUSTRATIVE", "restricted", "is itself listed (as of 2019-12-01)",
        "reaches Beijing SenseTime Technology Development Co., Ltd.",
    )),
    "02-screening.ipynb": Expect(texts=(
        "AMBIGUOUS MATCH", "line 17: empty name",
        "is restricted under the BIS Affiliates Rule as of 2025-10-15",
        "reaches Beijing SenseTime Technology Development Co., Ltd. (company) in 2 steps (as of 2025-12-01",
        "Shenzhen SenseTime Technology Co., Ltd. is owned by SenseTime Group Limited (100%) [confirmed",
        "screened.xlsx: 16 rows", "ILLUSTRATIVE", "ECCN 3A090",
        "two records: ambiguous", "joined: matched, id sensetime-group",
        "the tied candidates are records of one party (joined by same_as)"), graphs=1),
    "03-neo4j.ipynb": Expect(texts=(
        "second push changed nothing: True",
        "same as the in-memory neighbourhood: True",
        "same best path on the server and in memory: True",
        "bis-affiliates as of 2025-10-15: server and memory agree on status, share bounds and red flags: True",
        "bis-affiliates as of 2026-06-01: server and memory agree on status, share bounds and red flags: True",
        "ofac50 as of 2025-10-15: server and memory agree",
        "eu50 as of 2025-10-15: server and memory agree",
        "is restricted under the BIS Affiliates Rule as of 2025-10-15",
        "without that it would be restricted"), graphs=1),
}

#: Notebooks (by name prefix) that need a Neo4j server at GRAPHKIT_NEO4J_URI.
NEEDS_NEO4J = ("03-",)

SRCDOC = re.compile(r'<iframe srcdoc="([^"]*)"')


def _kernel_manager(tmp: Path) -> KernelManager:
    """A kernel manager whose only kernel runs this interpreter."""
    spec_dir = tmp / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "graphkit test (venv python)",
        "language": "python",
    }))
    ksm = KernelSpecManager(kernel_dirs=[str(tmp / "kernels")])
    return KernelManager(kernel_name=KERNEL, kernel_spec_manager=ksm)


def _outputs(nb: Any) -> list[dict[str, Any]]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def _texts(out: dict[str, Any]) -> list[str]:
    if out["output_type"] == "stream":
        return [out["text"]]
    data = out.get("data", {})
    return [v if isinstance(v, str) else "".join(v) for k, v in data.items()
            if k in ("text/plain", "text/html", "text/markdown")]


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_notebooks_found() -> None:
    assert NOTEBOOKS, "no notebooks in notebooks/"


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _needs_neo4j(path.name)
    stored = nbformat.read(path, as_version=4)
    # Notebooks are kept clean: no outputs, no execution counts.
    for cell in stored.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{path.name} is stored with outputs; clear them before committing")

    work = tmp_path / "work"
    work.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    # Keep IPython's history and the kernel's connection file out of the working dir.
    monkeypatch.setenv("IPYTHONDIR", str(home / "ipython"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    before = _snapshot(work)

    client = nbclient.NotebookClient(
        stored, km=_kernel_manager(home), kernel_name=KERNEL, timeout=TIMEOUT,
        resources={"metadata": {"path": str(work)}})
    start = time.perf_counter()
    nb = client.execute()
    elapsed = time.perf_counter() - start
    print(f"{path.name}: executed in {elapsed:.1f} s")

    outputs = _outputs(nb)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    stderr = "".join(o["text"] for o in outputs
                     if o["output_type"] == "stream" and o["name"] == "stderr")
    assert "Traceback" not in stderr, stderr

    expect = EXPECTED.get(path.name, Expect(graphs=0))
    text = "\n".join(t for o in outputs for t in _texts(o))
    missing = [s for s in expect.texts if s not in text]
    assert not missing, f"{path.name}: outputs lack {missing}"

    frames = [m.group(1) for o in outputs for t in _texts(o) for m in SRCDOC.finditer(t)]
    assert len(frames) >= expect.graphs, (
        f"{path.name}: {len(frames)} inline graphs (<iframe srcdoc=...>), expected {expect.graphs}")
    pages = []
    for i, frame in enumerate(frames):
        page = html.unescape(frame)
        assert page.lstrip().lower().startswith("<!doctype html"), page[:80]
        assert "new vis.Network" in page
        ARTIFACTS.mkdir(exist_ok=True)
        out = ARTIFACTS / f"{path.stem}-inline-graph{'' if i == 0 else f'-{i}'}.html"
        out.write_text(page, encoding="utf-8")
        # The same frame as the notebook shows it, inside a host page.
        host = out.with_name(out.stem + "-in-host.html")
        host.write_text(f'<!DOCTYPE html><html><body><iframe srcdoc="{frame}" '
                        f'sandbox="allow-scripts" style="width:100%;height:650px"></iframe>'
                        "</body></html>", encoding="utf-8")
        pages.append(out)

    assert _snapshot(work) == before, (
        f"{path.name} wrote files into its working directory: {_snapshot(work) - before}")
    for page_path in pages:
        _check_in_chromium(page_path)


def _needs_neo4j(name: str) -> None:
    """Skip (or fail, when GRAPHKIT_REQUIRE_NEO4J=1) a Neo4j notebook without a server."""
    if not name.startswith(NEEDS_NEO4J) or os.environ.get("GRAPHKIT_NEO4J_URI"):
        return
    message = (f"{name} needs a Neo4j server: set GRAPHKIT_NEO4J_URI (e.g. bolt://localhost:7687, "
               "started by `make test`)")
    if os.environ.get("GRAPHKIT_REQUIRE_NEO4J") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _check_in_chromium(page: Path) -> None:
    """The saved inline page in real Chromium: drawn, silent, offline; screenshot kept."""
    from tests.viz.browser import open_page

    run = open_page(page, page.with_suffix(".png"))
    drawn = re.search(r'data-drawn-nodes="(\d+)"', run.dom)
    assert drawn and int(drawn.group(1)) > 0, f"{page.name}: no nodes drawn in Chromium"
    assert run.console == [], f"{page.name}: console: {run.console}"
    assert run.requests == [], f"{page.name}: network requests: {run.requests}"
    assert run.screenshot.stat().st_size > 10_000, f"{page.name}: blank screenshot?"


def test_neo4j_notebooks_skip_or_fail_without_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPHKIT_NEO4J_URI", raising=False)
    monkeypatch.delenv("GRAPHKIT_REQUIRE_NEO4J", raising=False)
    _needs_neo4j("01-seed-investigation.ipynb")  # no server needed: returns
    with pytest.raises(pytest.skip.Exception, match="GRAPHKIT_NEO4J_URI"):
        _needs_neo4j("03-neo4j.ipynb")
    monkeypatch.setenv("GRAPHKIT_REQUIRE_NEO4J", "1")
    with pytest.raises(pytest.fail.Exception, match="needs a Neo4j server"):
        _needs_neo4j("03-neo4j.ipynb")
    monkeypatch.setenv("GRAPHKIT_NEO4J_URI", "bolt://localhost:7687")
    _needs_neo4j("03-neo4j.ipynb")


HOSTILE = 'Evil </iframe><script>alert("x")</script> & Co'


def _hostile_graph() -> Any:
    import pandas as pd

    import graphkit as gk

    ents = pd.DataFrame({"id": ["buyer", "parent"], "name": [HOSTILE, "Parent <b>Group</b>"],
                         "kind": ["company", "company"]})
    rels = pd.DataFrame({"source": ["parent"], "target": ["buyer"], "kind": ["owns"],
                         "share": ["60"], "source_ref": ['<img src=x onerror="alert(1)">']})
    lists = pd.DataFrame({"entity": ["parent"], "list": ["us-bis-entity-list"],
                          "start": ["2019-10-09"], "source_ref": ["</script>"]})
    return gk.OwnershipGraph.from_frames(entities=ents, relations=rels, listings=lists)


def test_show_escapes_the_page_into_srcdoc() -> None:
    import graphkit as gk
    from graphkit.display import InlinePage, show

    g = _hostile_graph()
    frame = show(g, height=420, as_of="2024-01-01")
    out = frame._repr_html_()
    assert out.startswith('<iframe srcdoc="') and out.endswith("</iframe>")
    assert out.count("<") == 1 + out.count("</iframe>")  # only the frame's own tags
    assert 'height: 420px' in out and 'sandbox="allow-scripts"' in out
    assert html.unescape(SRCDOC.search(out).group(1)) == frame.page  # type: ignore[union-attr]
    assert show(frame.page, height="80vh")._repr_html_().endswith("</iframe>")
    assert "80vh" in show(frame.page, height="80vh")._repr_html_()
    assert isinstance(show(gk.to_html(g)), InlinePage)
    with pytest.raises(TypeError):
        show(g, path="x.html")
    with pytest.raises(TypeError):
        show(42)  # type: ignore[arg-type]


def test_path_repr_html_is_escaped() -> None:
    import graphkit as gk

    g = _hostile_graph()
    (p,) = gk.paths(g, "buyer", as_of="2024-01-01")
    out = p._repr_html_()
    assert "<script" not in out and "<img" not in out and "<b>Group" not in out
    assert "&lt;script&gt;" in out and "&lt;img" in out
    assert out.count("<li>") == 2  # one step, one listing
    assert "ILLUSTRATIVE" not in out
