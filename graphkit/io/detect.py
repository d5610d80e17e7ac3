"""Pick the reader for a file or folder by its name and first bytes."""

from __future__ import annotations

from pathlib import Path

from graphkit.errors import ReadError
from graphkit.graph import OwnershipGraph

__all__ = ["read_any"]


def _head(p: Path, n: int = 4096) -> str:
    return p.read_bytes()[:n].decode("utf-8", errors="replace")


def read_any(path: str | Path) -> OwnershipGraph:
    """Read ``path`` with the reader its look suggests.

    Folders: a saved graph (graphkit.json), CSV tables (entities.csv), GLEIF
    captures (lei_records/ or relationships/) or BODS files. Files: Excel, OFAC
    legacy CSV (sdn.csv, cons_prim.csv, non_sdn_prim.csv, with add.csv / cons_add.csv /
    non_sdn_add.csv beside it),
    DoD 1260H CSV (header with "Parent Name"), NDAA section 889 / 1286 CSV
    (OpenSanctions special_leg layout), the FCC Covered List CSV, FollowTheMoney JSON lines, GLEIF or BODS JSON.
    """
    from graphkit.io import bods, csv, dod1260h, fcc, ftm, gleif, ofac, parquet

    p = Path(path)
    if not p.exists():
        raise ReadError(f"{p}: no such file or folder")
    if p.is_dir():
        if (p / "graphkit.json").is_file():
            return parquet.load(p)
        if (p / "entities.csv").is_file():
            return csv.read_csv(p)
        if (p / "lei_records").is_dir() or (p / "relationships").is_dir():
            return gleif.read_gleif(p)
        if any(p.glob("*.json")):
            return bods.read_bods(p)
        raise ReadError(f"{p}: a folder, but not one graphkit knows (no entities.csv, graphkit.json, ...)")
    name = p.name.lower()
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return csv.read_excel(p)
    if name.startswith(("sdn", "cons_prim", "non_sdn", "nonsdn", "non-sdn")) and name.endswith(".csv"):
        # the addresses beside it: cons_prim -> cons_add, non_sdn_prim -> non_sdn_add, sdn -> add
        add = p.with_name(name.replace("prim", "add") if "prim" in name else name.replace("sdn", "add", 1))
        return ofac.read_ofac(p, add if add.is_file() and add != p else None)
    head = _head(p)
    first = head.splitlines()[0] if head else ""
    if p.suffix.lower() == ".csv" and "Parent Name" in first:
        return dod1260h.read_dod1260h(p)
    if p.suffix.lower() == ".csv" and first.startswith("schema,name,aliases") and "program" in first:
        return dod1260h.read_ndaa889(p)  # OpenSanctions special_leg: NDAA s.889 or s.1286
    if p.suffix.lower() == ".csv" and first.lstrip("\ufeff").startswith("covered_equipment_or_services"):
        return fcc.read_fcc_covered(p)
    stripped = head.lstrip()
    if stripped.startswith("{") and '"schema"' in head and '"properties"' in head:
        return ftm.read_ftm(p)
    if stripped.startswith("{") and ('"lei-records"' in head or '"relationship-records"' in head
                                     or '"reporting-exceptions"' in head or '"data"' in head):
        return gleif.read_gleif(p)
    if stripped.startswith("[") or '"statementId"' in head or '"recordType"' in head:
        return bods.read_bods(p)
    raise ReadError(f"{p}: cannot tell the format; use a reader function "
                    "(gk.read_csv, gk.read_ofac, gk.read_ftm, ...) directly")
