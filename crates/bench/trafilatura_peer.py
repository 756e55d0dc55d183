"""Peer for `langnghe-bench extract --peer PYTHON`: runs trafilatura on the same pages.

Prints one JSON object per page: {"file", "text", "seconds"} where seconds is the total time of
`rounds` extractions of that page (the same rounds langnghe does), so the rates compare directly.
"""
import json
import sys
import time

import trafilatura


def main() -> None:
    rounds = int(sys.argv[1])
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            raw = f.read()
        html = raw.decode("utf-8", errors="replace")
        start = time.perf_counter()
        text = ""
        for _ in range(rounds):
            text = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
        seconds = time.perf_counter() - start
        print(json.dumps({"file": path, "text": text, "seconds": seconds}, ensure_ascii=False))


if __name__ == "__main__":
    main()
