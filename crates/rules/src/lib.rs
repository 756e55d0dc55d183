//! Which labour topics and provinces is a document about, and why?
//!
//! Topic packs ([`TopicPacks`], `config/topics/*.toml`) hold rules in the one query language with
//! a severity, optional weighted patterns and exclusions, and examples; the gazetteer
//! ([`Gazetteer`], `config/provinces.toml`) holds the 34 provinces of 1 July 2025 with the names
//! merged into them. [`Classifier`] compiles both into one streaming matcher, so a document's
//! text is read once; every hit carries the rule version and the phrases that fired.
//!
//! ```
//! use langnghe_rules::{Classifier, Gazetteer, TopicPacks};
//! use langnghe_query::Candidate;
//! let packs = TopicPacks::parse(&[("labour.toml".into(), r#"
//! version = 1
//! [[topic]]
//! id = "dinh-cong"
//! name = "Đình công"
//! severity = "alert"
//! query = "đình công OR ngừng việc"
//! [topic.examples]
//! match = ["Công nhân ngừng việc tập thể."]
//! "#.into())]).unwrap();
//! let gazetteer = Gazetteer::parse(r#"
//! version = 1
//! [[province]]
//! id = "dong-nai"
//! name = "Đồng Nai"
//! merged = ["Bình Phước"]
//! "#, "provinces.toml").unwrap();
//! let classifier = Classifier::new(packs, gazetteer);
//! let c = classifier.classify(&Candidate::new("", "Hàng trăm công nhân ở Bình Phước ngừng việc."));
//! assert_eq!(c.topics[0].id, "dinh-cong");
//! assert_eq!(&*c.topics[0].terms[0].terms, "ngừng việc");
//! assert_eq!(c.provinces, ["dong-nai"]);
//! assert!(classifier.failing_examples().is_empty());
//! ```
#![deny(missing_docs)]

mod classify;
mod gazetteer;
mod pack;
mod shipped;
mod snippet;

pub use classify::{
    Buffers, Classification, Classifier, Explanation, LEAD, LONG_TEXT, PASSAGE, Prominence,
    TopicHit, candidate, evidence,
};
pub use gazetteer::{Gazetteer, Province};
pub use pack::{Example, Pattern, Scope, Topic, TopicPacks};
pub use shipped::{LABOUR_PACK, LABOUR_TOPICS, PROVINCES, builtin};
pub use snippet::snippet;
