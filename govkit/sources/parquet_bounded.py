"""A Parquet sample read within a decoded-size budget. A few kilobytes of Parquet can decode
to terabytes: plain pages that compress well (their uncompressed size is in the footer), and
one long string dictionary-encoded on every row (it is not). The footer's uncompressed sizes
are checked before reading; string columns are read as dictionaries and what they would
decode to is summed from the dictionary's lengths before any value is built. A nested column
with dictionary-encoded values cannot be measured that way and is refused."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc


class DecodesTooLarge(Exception):
    def __init__(self, decoded: int, why: str = "") -> None:
        super().__init__(decoded)
        self.decoded = decoded
        self.why = why


def read_bounded(path: Path, max_bytes: int) -> pa.Table:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as probe:
        meta, top = probe.metadata, set(probe.schema_arrow.names)
        stored = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if stored > max_bytes:
            raise DecodesTooLarge(stored)
        for i in range(meta.num_row_groups):
            for j in range(meta.num_columns):
                chunk = meta.row_group(i).column(j)
                if chunk.path_in_schema not in top and "DICTIONARY" in "".join(chunk.encodings):
                    raise DecodesTooLarge(0, f"nested column {chunk.path_in_schema} holds "
                                          "dictionary-encoded values, whose size cannot be "
                                          "measured before reading")
    strings = [f.name for f in pq.read_schema(path)
               if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
               or pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)]
    with pq.ParquetFile(path, read_dictionary=strings) as f:
        table = f.read()
    decoded = 0
    for column in table.columns:
        for chunk in column.chunks:
            if isinstance(chunk, pa.DictionaryArray):
                lengths = pc.binary_length(chunk.dictionary).cast(pa.int64())
                decoded += (pc.sum(lengths.take(chunk.indices)).as_py() or 0) + 8 * len(chunk)
            else:
                decoded += chunk.nbytes
    if decoded > max_bytes:
        raise DecodesTooLarge(decoded)
    for i, field in enumerate(table.schema):  # back to the type the file declares
        if field.name in strings and pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(field.type.value_type))
    return table
