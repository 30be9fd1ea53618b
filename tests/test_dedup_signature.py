"""govcase.dedup.signature computes datasketch's MinHash with numpy: the values must stay datasketch's.

Stored signatures and LSH bands are compared with those of later runs, so a change in
the values would split every cluster made before it.
"""
from __future__ import annotations

import zlib

from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from govcase.dedup import MIN_SHINGLES, NUM_PERM, SEED, shingles, signature

TEXT = st.text(alphabet="社区党委牵头建立三方联动机制停车位徐汇区ab01Zé😀，。 \n", max_size=600)


def _datasketch(body: str) -> bytes:
    """The signature as dedup computed it with datasketch's own MinHash (2.x, affine32)."""
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, scheme="affine32")
    sketch.update_batch([g.encode("utf-8") for g in sorted(shingles(body))])
    return sketch.hashvalues.astype("<u4").tobytes()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_signature_values_are_datasketchs(body: str) -> None:
    sig = signature(body)
    if len(shingles(body)) < MIN_SHINGLES:
        assert sig is None
    else:
        assert sig.minhash == _datasketch(body)
        assert sig.shingles == len(shingles(body))


def test_a_long_body_is_hashed_in_blocks_with_the_same_values() -> None:
    body = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(12000))  # more shingles than one block
    assert signature(body).minhash == _datasketch(body)


def test_shingles_whose_crcs_collide_count_as_two() -> None:
    """The shingles' CRC-32s are computed in numpy (dedup._shingle_hashes) and the distinct
    shingles counted by hash: two shingles with the same CRC are still two."""
    a, b = "1党牵制建", "区位停三汇"
    assert zlib.crc32(a.encode()) == zlib.crc32(b.encode())
    body = f"{a}。{b}。{a}社区党委牵头建立三方联动机制停车位徐汇区ab01Zé"
    sig = signature(body)
    assert sig.shingles == len(shingles(body)) and sig.minhash == _datasketch(body)
