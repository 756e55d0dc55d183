#!/bin/sh
# The vi-rss items as `import` reads them (id = url, body = the RSS summary), on stdout.
# Usage: bench/labels/vi-rss-jsonl.sh ../shared/data > /tmp/vi-rss.jsonl
set -eu
zcat "${1:-../shared/data}/vi-rss/rss_items_2026-01_2026-08.jsonl.gz" |
  jq -c '{id: .url, url, source, title, body: .summary, published}'
