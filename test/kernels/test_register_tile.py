"""The register tile the kernels choose: it fits the registers, and it avoids
computing padded rows and columns where another shape does not."""

from __future__ import annotations

import pytest

from mlopt.passes.kernels.analysis import _register_tile


@pytest.mark.parametrize("lanes,registers", [(16, 32), (8, 16), (4, 16)])
@pytest.mark.parametrize("rows,cols", [(1, 4096), (7, 17), (17, 7), (64, 224), (256, 256), (1000, 169), (3136, 64), (5, 3)])
def test_tile_fits_the_registers(lanes, registers, rows, cols):
    mr, nv = _register_tile(rows, cols, lanes, registers)
    assert 1 <= mr <= min(rows, 12)
    assert 1 <= nv <= (4 if registers >= 32 else 2)
    assert mr * nv + nv + 1 <= registers  # accumulators, one vector per column, one broadcast


def test_no_padded_columns_when_another_width_divides():
    # 224 columns are 14 vectors of 16: 4-vector tiles compute 256 (the last
    # tile overlaps), 2-vector tiles exactly 224; 64 rows in tiles of 8.
    assert _register_tile(64, 224, 16, 32) == (8, 2)


def test_full_tiles_keep_the_widest_shape():
    # 256 x 256: 6 x 4 (2 padded rows of 256) is cheaper per FMA than 8 x 2.
    assert _register_tile(256, 256, 16, 32) == (6, 4)
    assert _register_tile(1, 4096, 16, 32) == (1, 4)
