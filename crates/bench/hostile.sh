#!/usr/bin/env bash
# Times `langnghe classify` and `langnghe extract` on hostile inputs (BENCHMARKS.md, "Hostile
# long texts"): pages built to make quadratic code show. Each line prints the seconds of one
# document. Usage: crates/bench/hostile.sh [LANGNGHE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/langnghe-target}"
bin="${1:-}"
if [ -z "$bin" ]; then
  cargo build --release -q -p langnghe
  bin="$CARGO_TARGET_DIR/release/langnghe"
fi
dir=$(mktemp -d /tmp/langnghe-hostile.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
docs = {
    "pay-words-everywhere": ("Thị trường", " ".join(["Giá vàng hôm nay tăng, trả lương thưởng ngày một khó."] * 40000) + " Công nhân."),
    "strike-sentence-repeated": ("Thời tiết", " ".join(["Công nhân đi làm sớm. Trời mưa to cả ngày ở thành phố lớn này. Ngừng việc."] * 30000)),
    "near-operands-100k": ("x", " ".join(["công nhân"] * 100000 + ["phòng trọ"] * 100000)),
    "name-without-marks-50k": ("Tây Nguyên", " ".join(["Tỉnh Gia Lai có nhiều đồi núi đẹp."] * 50000)),
    "name-in-exclusion-50k": ("Biển", " ".join(["Thái Bình Dương rộng lớn."] * 50000)),
}
for name, (title, body) in docs.items():
    with open(f"{d}/{name}.jsonl", "w") as f:
        f.write(json.dumps({"id": name, "title": title, "body": body}, ensure_ascii=False) + "\n")
with open(f"{d}/nested-200k.html", "w") as f:
    f.write("<html><body>" + "<div>" * 200000 + "<p>Công nhân ngừng việc tập thể.</p></body></html>")
PY
for f in "$dir"/*.jsonl; do
  /usr/bin/time -f "$(basename "$f" .jsonl): %e s" "$bin" classify --json "$f" > /dev/null 2> >(grep -v '^classified' >&2)
done
/usr/bin/time -f "nested-200k (extract): %e s" "$bin" extract --json "$dir/nested-200k.html" | python3 -c 'import json,sys; print("  text kept:", json.load(sys.stdin)["text"])'
