"""compare()'s groups kept between builds (issue 20: compute/memo.py, site/compare_cache.py): taken from the
cache, they give the same Results to the bit; a changed input, setting or damaged file means working out again."""
from __future__ import annotations

import dataclasses
import io
import zipfile

import numpy as np

from generator.compute.compare import compare
from generator.site import compare_cache
from generator.settings import DEFAULT
from test_compute_identity import same_results


def _inside(data: bytearray, member: str) -> int:
    """The position of a byte in the middle of a member's stored data (not its header, which a reader may skip)."""
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(member)
    start = info.header_offset + 30 + int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little") \
        + int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    return start + info.compress_size // 2


def _through_cache(ds, cache, st=DEFAULT):
    memo = compare_cache.load(cache)
    results = compare(ds, st, memo=memo)
    compare_cache.save(cache, memo)
    return results, memo


def test_groups_from_the_cache_give_the_same_results(example_dataset, example_results, tmp_path):
    cold, memo = _through_cache(example_dataset, tmp_path)
    assert memo.hits == 0 and len(memo.used) == len(example_results.peers)
    same_results(cold, example_results)
    warm, memo = _through_cache(example_dataset, tmp_path)
    assert memo.hits == len(example_results.peers) > 100
    same_results(warm, example_results)
    assert sorted(p.stem for p in (tmp_path / "compare").iterdir()) == sorted(memo.used)


def test_a_changed_setting_or_figure_is_worked_out_again(example_dataset, example_results, tmp_path):
    _through_cache(example_dataset, tmp_path)
    other = dataclasses.replace(DEFAULT, rank_seed=DEFAULT.rank_seed + 1)
    _, memo = _through_cache(example_dataset, tmp_path, other)
    assert memo.hits == 0
    _through_cache(example_dataset, tmp_path)
    scores = example_dataset["scores"]
    changed = dataclasses.replace(example_dataset, tables={**example_dataset.tables, "scores": scores.assign(
        responses=scores["responses"].where(scores.index != scores.index[0], scores["responses"].iloc[0] + 1))})
    _, memo = _through_cache(changed, tmp_path)
    assert 0 < len(memo.used) - memo.hits <= 2  # the group of the row changed (and its breakdown's, if any)
    assert len(list((tmp_path / "compare").iterdir())) == len(memo.used)  # the old entry is gone


def test_a_damaged_or_misnamed_entry_is_not_used(example_dataset, example_results, tmp_path):
    _through_cache(example_dataset, tmp_path)
    files = sorted((tmp_path / "compare").iterdir())
    files[0].write_bytes(files[0].read_bytes()[:-40])  # cut short
    data = bytearray(files[1].read_bytes())
    data[_inside(data, "band.npy")] ^= 0xFF  # one byte of a result changed: the zip's CRC-32 no longer matches
    files[1].write_bytes(bytes(data))
    files[2].rename(files[2].with_name("0" * 64 + ".npz"))  # another group's name
    memo = compare_cache.load(tmp_path)
    assert files[0].stem not in memo.found and files[1].stem not in memo.found and "0" * 64 not in memo.found
    results = compare(example_dataset, memo=memo)
    assert memo.hits == len(example_results.peers) - 3
    same_results(results, example_results)
    assert compare_cache.load(None) is None


def test_a_group_from_the_cache_brings_its_funnel_curves(example_dataset, example_results, tmp_path):
    """A group taken from the cache brings its funnel curves (issue 20: worked out again they took 1.4 s of an
    England update): a value changed in an entry shows in the results, so they are read, not worked out again."""
    _through_cache(example_dataset, tmp_path)
    memo = compare_cache.load(tmp_path)
    key, (cols, info) = next((k, e) for k, e in sorted(memo.found.items()) if len(e[1]["curves"]["size"]))
    upper = info["curves"]["upper"]
    memo.found[key] = (cols, {**info, "curves": {**info["curves"], "upper": [v + 1 for v in upper]}})
    results = compare(example_dataset, memo=memo)
    assert memo.hits == len(example_results.peers)
    new, old = results.funnels, example_results.funnels
    assert np.isclose(new["upper"] - old["upper"], 1).sum() == np.isfinite(upper).sum() > 0
    assert new.drop(columns="upper").equals(old.drop(columns="upper"))


def test_an_entry_with_curves_of_the_wrong_shape_is_not_used(example_dataset, tmp_path):
    """An entry read whole but whose curves are not one float array of one length per column (a hand-edited file,
    review 31: a traceback) is ignored, and its group worked out again."""
    _through_cache(example_dataset, tmp_path)
    files = sorted((tmp_path / "compare").iterdir())
    for f, change in zip(files, ("long", "missing", "text", "info")):
        with np.load(f) as z:
            arrays = {k: z[k] for k in z.files}
        curve = next(k for k in arrays if k.startswith("curve:") and k.endswith("upper"))
        if change == "long":
            arrays[curve] = np.append(arrays[curve], 0.0)  # one value more than the other columns
        elif change == "missing":
            del arrays[curve]
        elif change == "text":
            arrays[curve] = arrays[curve].astype(str)
        else:  # info that is not an object
            arrays["__info__"] = np.array("[]")
        with open(f, "wb") as fh:
            np.savez(fh, **arrays)
    memo = compare_cache.load(tmp_path)
    assert not {f.stem for f in files[:4]} & set(memo.found) and len(memo.found) == len(files) - 4
