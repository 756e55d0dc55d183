//! Facet counts over the matching documents: by source and by ISO week.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts matching documents per value of string fast fields.
pub(crate) struct FacetCollector {
    pub fields: Vec<&'static str>,
}

pub(crate) struct SegmentFacets {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
}

impl Collector for FacetCollector {
    type Fruit = Vec<HashMap<String, u64>>;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let mut columns = Vec::new();
        let mut counts = Vec::new();
        for name in &self.fields {
            let column = reader.fast_fields().str(name)?;
            counts.push(vec![0; column.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(column);
        }
        Ok(SegmentFacets { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<HashMap<String, u64>>>) -> tantivy::Result<Self::Fruit> {
        let mut merged = vec![HashMap::new(); self.fields.len()];
        for fruit in fruits {
            for (into, from) in merged.iter_mut().zip(fruit) {
                for (k, v) in from {
                    *into.entry(k).or_insert(0) += v;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Vec<HashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(c) = counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = Vec::new();
        for (column, counts) in self.columns.iter().zip(self.counts) {
            let mut map = HashMap::new();
            if let Some(column) = column {
                let mut name = String::new();
                for (ord, n) in counts.into_iter().enumerate() {
                    if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                        map.insert(name.clone(), n);
                    }
                }
            }
            out.push(map);
        }
        out
    }
}

/// Counts matching documents per time bucket of their publication time: `buckets` buckets of
/// `width` nanoseconds from `from` (Unix nanoseconds); undated documents are not counted.
pub(crate) struct HistogramCollector {
    pub field: &'static str,
    pub from: i64,
    pub width: i64,
    pub buckets: usize,
}

pub(crate) struct SegmentHistogram {
    column: Option<tantivy::columnar::Column<tantivy::DateTime>>,
    from: i64,
    width: i64,
    counts: Vec<u64>,
}

impl Collector for HistogramCollector {
    type Fruit = Vec<u64>;
    type Child = SegmentHistogram;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHistogram> {
        Ok(SegmentHistogram {
            column: reader.fast_fields().date(self.field).ok(),
            from: self.from,
            width: self.width.max(1),
            counts: vec![0; self.buckets],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<u64>> {
        let mut merged = vec![0; self.buckets];
        for fruit in fruits {
            for (into, n) in merged.iter_mut().zip(fruit) {
                *into += n;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentHistogram {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(column) = &self.column else {
            return;
        };
        for at in column.values_for_doc(doc) {
            let offset = at.into_timestamp_nanos() - self.from;
            if offset >= 0
                && let Some(c) = usize::try_from(offset / self.width)
                    .ok()
                    .and_then(|i| self.counts.get_mut(i))
            {
                *c += 1;
            }
        }
    }

    fn harvest(self) -> Vec<u64> {
        self.counts
    }
}
