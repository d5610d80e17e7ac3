"""Many texts assembled from pieces in one pass: how screening writes 100,000 explanations.

An explanation is a sequence of pieces: an entity's label, a literal such as
``" reaches "``, the sentence of one step, the listing of the party reached. Most
pieces repeat across rows (one step sentence serves every path through that
step), so each distinct piece is written once, into a *table*; a row is then a
list of positions in those tables. :class:`Pieces` collects the tables and the
positions, and :meth:`Pieces.join` copies the bytes of every row into one Arrow
text array in a single compiled loop (:func:`graphkit.algorithms._kernels.join_texts`).

Building the same text with one Python string per row, or with one Arrow
``binary_join`` per piece, costs several times as much at this size.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.algorithms._kernels import join_texts

__all__ = ["Pieces", "present"]


def _large_text(texts: Any) -> pa.Array:
    """``texts`` as one Arrow ``large_string`` array (nulls kept)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if not isinstance(texts, pa.Array):
        texts = pa.array([None if t is None else str(t) for t in texts], type=pa.large_string())
    if pa.types.is_dictionary(texts.type):
        texts = texts.dictionary_decode()
    return texts if texts.type == pa.large_string() else texts.cast(pa.large_string())


def present(texts: pa.Array) -> np.ndarray:
    """True where a text is there: not null and not empty.

    >>> present(pa.array(["a", "", None])).tolist()
    [True, False, False]
    """
    if not len(texts):
        return np.zeros(0, dtype=bool)
    lengths = pc.fill_null(pc.binary_length(texts), 0)
    return np.asarray(lengths.to_numpy(zero_copy_only=False)) > 0


class Pieces:
    """Texts for ``k`` rows, each the concatenation of the pieces added, in order.

    Every :meth:`add` or :meth:`literal` appends one piece to every row (or to the
    rows where it applies); :meth:`join` returns the texts.

    Parameters
    ----------
    k : int
        Number of rows.

    Examples
    --------
    >>> import numpy as np
    >>> p = Pieces(3)
    >>> p.add(pa.array(["Sub Ltd", "Parent Group", None]))
    >>> p.literal(" is listed", where=np.array([True, False, True]))
    >>> p.add(["!", "?"], at=np.array([0, 1, -1]))
    >>> p.join().to_pylist()
    ['Sub Ltd is listed!', 'Parent Group?', ' is listed']
    """

    def __init__(self, k: int) -> None:
        self.k = k
        self._tables: list[pa.Array] = []
        self._size = 0
        self._literals: dict[str, int] = {}
        self._slots: list[np.ndarray] = []
        self._bases: dict[int, tuple[pa.Array, int]] = {}  # id of a table added before -> (it, its base)
        self._dtype: type[np.signedinteger[Any]] = np.int32  # piece numbers; int64 once the tables hold 2**31 texts

    def _table(self, texts: pa.Array) -> int:
        known = self._bases.get(id(texts))
        if known is not None and known[0] is texts:  # the same table again (a step table, once per hop)
            return known[1]
        base = self._size
        self._bases[id(texts)] = (texts, base)
        if base + len(texts) >= 2 ** 31 - 1 and self._dtype is np.int32:
            self._dtype = np.int64
            self._slots = [s.astype(np.int64) for s in self._slots]
        self._tables.append(texts)
        self._size += len(texts)
        return base

    def add(self, texts: Any, at: np.ndarray | None = None, where: np.ndarray | None = None) -> None:
        """Append ``texts[at[i]]`` to row ``i`` (``texts[i]`` when ``at`` is None).

        Nothing is appended where ``at`` is -1, where ``where`` is False, or where
        the text is null.
        """
        arr = texts if isinstance(texts, pa.Array) and texts.type == pa.large_string() else _large_text(texts)
        n = len(arr)
        if at is None:
            if n != self.k:
                raise ValueError(f"{n} texts for {self.k} rows")
            pos = np.arange(n, dtype=np.int64)
        else:
            pos = np.asarray(at, dtype=np.int64)
        base = self._table(arr)
        slot = np.where(pos >= 0, pos + base, -1)
        if arr.null_count:
            valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False))
            slot = np.where((pos >= 0) & valid[np.clip(pos, 0, max(n - 1, 0))], slot, -1)
        if where is not None:
            slot = np.where(where, slot, -1)
        self._slots.append(slot.astype(self._dtype))

    def literal(self, text: str, where: np.ndarray | None = None) -> None:
        """Append ``text`` to every row, or to the rows where ``where`` is True."""
        at = self._literals.get(text)
        if at is None:
            at = self._literals[text] = self._table(pa.array([text], type=pa.large_string()))
        slot = np.full(self.k, at, dtype=self._dtype)
        if where is not None:
            slot[~np.asarray(where, dtype=bool)] = -1
        self._slots.append(slot)

    def join(self, rows: np.ndarray | None = None, total: int | None = None) -> pa.Array:
        """The rows' texts, as an Arrow ``large_string`` array (an empty row is ``""``).

        With ``rows`` (increasing) and ``total``, text ``i`` is placed at ``rows[i]`` of
        ``total`` rows and the rest are null, without copying the texts again.

        >>> p = Pieces(2)
        >>> p.add(["a", "b"])
        >>> p.join(rows=np.array([1, 2]), total=4).to_pylist()
        [None, 'a', 'b', None]
        """
        if not self._slots:
            self.literal("")
        tables = pa.concat_arrays([pc.fill_null(t, "") if t.null_count else t for t in self._tables])
        offs = np.frombuffer(tables.buffers()[1], dtype=np.int64)[tables.offset:tables.offset + len(tables) + 1]
        data = tables.buffers()[2]
        raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
        slots = np.stack(self._slots, axis=0)  # one row per piece: each row is read front to back
        out_off, out = join_texts(slots, offs, raw)
        if rows is None or total is None:
            return pa.LargeStringArray.from_buffers(self.k, pa.py_buffer(out_off), pa.py_buffer(out))
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) != self.k or (len(rows) and (np.any(np.diff(rows) <= 0) or rows[0] < 0 or rows[-1] >= total)):
            raise ValueError("rows must be increasing positions below total, one per text")
        spread = np.zeros(total + 1, dtype=np.int64)
        spread[rows + 1] = np.diff(out_off)
        valid = np.zeros(total, dtype=bool)
        valid[rows] = True
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        return pa.LargeStringArray.from_buffers(total, pa.py_buffer(np.cumsum(spread)), pa.py_buffer(out),
                                                bitmap, int(total - self.k))
