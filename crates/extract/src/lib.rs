//! What does this page say, and when? HTML in, article text and metadata out; no network.
//!
//! ```
//! use langnghe_extract::{extract, parse_date};
//! use time::macros::datetime;
//! let now = datetime!(2026-11-26 10:00 +7);
//! assert_eq!(parse_date("25-11-2026 - 08:30", now), Some(datetime!(2026-11-25 8:30 +7)));
//! let page = r#"<html lang="vi"><head><title>Đình công - Báo</title></head><body>
//!   <div class="article-content"><p>Sáng 25/11, hơn 2.000 công nhân ngừng việc tập thể, đòi trả lương đúng hạn.</p>
//!   <p>Liên đoàn Lao động tỉnh đã cử cán bộ xuống đối thoại với doanh nghiệp và người lao động.</p>
//!   <div class="related-news"><a href="/x">Tin liên quan: giá vàng</a></div></div></body></html>"#;
//! let a = extract(page, Some("https://laodong.vn/a.html"), now);
//! assert_eq!(a.title, "Đình công");
//! assert!(a.text.starts_with("Sáng 25/11") && !a.text.contains("giá vàng"));
//! assert_eq!(a.lang.as_deref(), Some("vi"));
//! assert_eq!(a.published, None); // undated, never the crawl time
//! ```
#![deny(missing_docs)]

mod article;
mod date;
mod fragment;
mod inert;
mod score;
mod stories;
mod tokenize;

pub use article::{Article, extract, extract_document};
pub use date::{parse_absolute_date, parse_date};
pub use fragment::{decode_entities, html_text};
pub use inert::strip_inert;
pub use score::{corpus_f1, precision_recall};
pub use stories::{
    COPY_SIMILARITY, HASHES, Signature, Stories, content_hash, signature, similarity, stable_hash,
};
pub use tokenize::parse_html;
