//! Topic volumes per time bucket, as spike detection reads them.
#![allow(clippy::unwrap_used)]

use langnghe_index::Archive;
use langnghe_model::Document;
use time::Duration;
use time::macros::datetime;

#[test]
fn documents_are_counted_per_bucket_of_their_publication_time() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    let mut writer = archive.writer().unwrap();
    let day0 = datetime!(2026-11-23 0:00 +7);
    let mut n = 0;
    let mut add = |at: Option<time::OffsetDateTime>, topic: &str| {
        n += 1;
        let mut d = Document::new(format!("d{n}"), "", "nld", "Tin", "Nội dung.");
        d.published = at;
        d.topics = vec![topic.into()];
        writer.add(&d).unwrap();
    };
    add(Some(day0 + Duration::hours(1)), "dinh-cong");
    add(Some(day0 + Duration::hours(23)), "dinh-cong");
    add(Some(day0 + Duration::hours(25)), "dinh-cong");
    add(Some(day0 + Duration::hours(49)), "bhxh");
    add(Some(day0 - Duration::hours(1)), "dinh-cong"); // before the window
    add(Some(day0 + Duration::days(9)), "dinh-cong"); // after it
    add(None, "dinh-cong"); // undated
    writer.commit().unwrap();
    let q = langnghe_query::parse("topic:dinh-cong").unwrap();
    assert_eq!(
        archive.histogram(&q, day0, Duration::days(1), 7).unwrap(),
        [2, 1, 0, 0, 0, 0, 0]
    );
    let all = langnghe_query::parse("topic:dinh-cong OR topic:bhxh").unwrap();
    assert_eq!(
        archive.histogram(&all, day0, Duration::days(1), 3).unwrap(),
        [2, 1, 1]
    );
    assert_eq!(
        archive
            .histogram(&q, day0, Duration::hours(1), 26)
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, _)| i)
            .collect::<Vec<_>>(),
        [1, 23, 25]
    );
}
