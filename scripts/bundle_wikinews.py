"""Copy the Wikinews sample (CC BY 2.5) from ../shared into examples/wikinews/ as JSONL.

    python scripts/bundle_wikinews.py ../shared/data/wikinews examples/wikinews

One article per line with the fields of hearsay's JSON contract (url, site, title,
published, text) and the Wikinews page name as ``id``; the license file is copied along.
"""
from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote


def main(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    rows = []
    for path in sorted(src.glob("wikinews_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    rows.sort(key=lambda r: (r["date"], r["url"]))
    with (dst / "wikinews.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            url = row["url"].replace("wikinews.org//wiki/", "wikinews.org/wiki/")
            record = {"id": unquote(url.rsplit("/wiki/", 1)[-1]), "url": url, "site": "en.wikinews.org",
                      "title": row["title"], "published": row["date"], "text": row["text"]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    shutil.copy(src / "LICENSE.md", dst / "LICENSE.md")
    print(f"wrote {len(rows)} articles to {dst / 'wikinews.jsonl'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
