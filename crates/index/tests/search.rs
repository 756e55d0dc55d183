//! What an analyst checks: diacritics, folding collisions, tone styles, NFD, fields, pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use langnghe_index::{Archive, SearchResults};
use langnghe_model::Document;
use time::macros::datetime;
use unicode_normalization::UnicodeNormalization;

fn doc(id: &str, title: &str, body: &str) -> Document {
    Document::new(
        id,
        format!("https://laodong.vn/{id}.html"),
        "laodong.vn",
        title,
        body,
    )
}

fn archive() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::open(dir.path()).unwrap();
    let nfd_body: String = "Người lao động ở Đồng Nai được hỗ trợ tiền thuê nhà."
        .nfd()
        .collect();
    let docs = vec![
        doc(
            "union-1",
            "Công đoàn cơ sở",
            "Công đoàn cơ sở đã thương lượng với doanh nghiệp.",
        ),
        doc("union-2", "Đại hội", "Đại hội Công đoàn tỉnh nhiệm kỳ mới."),
        doc(
            "step",
            "Sản xuất",
            "Các công đoạn sản xuất được tự động hóa.",
        ),
        doc("worker", "Công nhân", "Hàng nghìn công nhân nghỉ Tết sớm."),
        doc(
            "recognise",
            "Công nhận",
            "Bộ công nhận danh hiệu cho trường học.",
        ),
        doc(
            "wage",
            "Nợ lương",
            "Doanh nghiệp nợ lương người lao động ba tháng.",
        ),
        doc(
            "quantity",
            "Sản lượng",
            "Sản lượng lúa tăng, chất lượng gạo tốt.",
        ),
        doc(
            "strike",
            "Đình công",
            "Hơn 2.000 công nhân đình công tại KCN.",
        ),
        doc("nfd", "Nhà ở", &nfd_body),
        doc(
            "old-style",
            "Hòa giải",
            "Hòa giải viên lao động giúp hai bên; sức khỏe của thủy thủ.",
        ),
        doc(
            "new-style",
            "Hoà giải",
            "Hoà giải thành công tranh chấp; khoẻ mạnh, tuỳ trường hợp.",
        ),
        doc("plain", "cong nhan", "cty no luong cong nhan 3 thang roi"),
        doc(
            "i-spelling",
            "Kì họp",
            "Kì họp thứ 10 bàn về tiền lương quí IV.",
        ),
        doc(
            "near-miss",
            "Kỷ luật",
            "Đình chỉ công tác nhân viên điện lực. Theo ông Công, đoàn kiểm tra đã đến.",
        ),
        Document::new(
            "dated",
            "https://e.vnexpress.net/news/1",
            "vnexpress.net",
            "Minimum wage",
            "Lương tối thiểu vùng tăng từ 1/1.",
        )
        .published(datetime!(2026-11-20 09:00 +7)),
    ];
    let mut writer = archive.writer().unwrap();
    for d in &docs {
        writer.add(d).unwrap();
    }
    writer.commit().unwrap();
    (dir, archive)
}

fn search(a: &Archive, q: &str) -> SearchResults {
    a.search(&langnghe_query::parse(q).unwrap(), 20, 0).unwrap()
}

fn ids(a: &Archive, q: &str) -> Vec<String> {
    let mut ids: Vec<String> = search(a, q).hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

#[test]
fn queries_without_diacritics_find_accented_documents() {
    let (_d, a) = archive();
    assert_eq!(ids(&a, "cong doan"), ["step", "union-1", "union-2"]);
    assert_eq!(ids(&a, "no luong"), ["plain", "wage"]);
    assert_eq!(ids(&a, "dinh cong"), ["strike"]);
}

#[test]
fn unaccented_query_ranks_the_likely_accented_reading_first() {
    let (_d, a) = archive();
    let hits = search(&a, "cong doan").hits;
    // "công đoàn" occurs in two documents, "công đoạn" in one: the union documents come first.
    assert!(
        hits[0].id.starts_with("union") && hits[1].id.starts_with("union"),
        "{hits:?}"
    );
    assert_eq!(hits[2].id, "step");
}

#[test]
fn accented_queries_do_not_cross_folding_collisions() {
    let (_d, a) = archive();
    assert_eq!(ids(&a, "công đoàn"), ["union-1", "union-2"]);
    assert_eq!(ids(&a, "công đoạn"), ["step"]);
    assert_eq!(ids(&a, "công nhân"), ["strike", "worker"]);
    assert_eq!(ids(&a, "công nhận"), ["recognise"]);
    assert_eq!(ids(&a, "lương"), ["dated", "i-spelling", "wage"]);
    assert_eq!(ids(&a, "lượng"), ["quantity", "union-1"]); // thương lượng
}

#[test]
fn nfd_and_tone_styles_are_found_by_either_form() {
    let (_d, a) = archive();
    assert_eq!(ids(&a, "Đồng Nai"), ["nfd"]);
    let nfd_query: String = "người lao động ở Đồng Nai".nfd().collect();
    assert_eq!(ids(&a, &nfd_query), ["nfd"]);
    assert_eq!(ids(&a, "hòa giải"), ["new-style", "old-style"]);
    assert_eq!(ids(&a, "hoà giải"), ["new-style", "old-style"]);
    assert_eq!(ids(&a, "khỏe"), ["new-style", "old-style"]);
    assert_eq!(ids(&a, "khoẻ"), ["new-style", "old-style"]);
    assert_eq!(ids(&a, "tùy"), ["new-style"]);
    // i/y spelling variants are equal in search.
    assert_eq!(ids(&a, "kỳ họp"), ["i-spelling"]);
    assert_eq!(ids(&a, "quý IV"), ["i-spelling"]);
}

#[test]
fn fields_ranges_near_prefix_and_not() {
    let (_d, a) = archive();
    assert_eq!(ids(&a, "title:đình công"), ["strike"]);
    assert_eq!(ids(&a, "source:vnexpress.net"), ["dated"]);
    assert_eq!(ids(&a, "site:vnexpress.net"), ["dated"]);
    assert_eq!(ids(&a, "site:e.vnexpress.net luong"), ["dated"]);
    assert_eq!(ids(&a, "published:[2026-11-01 TO 2026-11-30]"), ["dated"]);
    assert!(ids(&a, "published:[2026-11-21 TO *]").is_empty());
    assert_eq!(ids(&a, "NEAR/3(doanh nghiệp, người lao động)"), ["wage"]);
    assert!(ids(&a, "NEAR/1(doanh nghiệp, ba tháng)").is_empty());
    // Slop inside an operand is not allowed: "Đình chỉ công tác nhân viên" is not near.
    assert_eq!(ids(&a, "NEAR/5(cong nhan, dinh cong)"), ["strike"]);
    assert_eq!(ids(&a, "NEAR/0(đình công, công nhân)"), ["strike"]);
    assert_eq!(ids(&a, "thương*"), ["union-1"]);
    // A prefix at the end of a phrase, typed with and without diacritics.
    assert_eq!(ids(&a, "tiền thuê nh*"), ["nfd"]);
    assert_eq!(ids(&a, "dinh c*"), ["near-miss", "strike"]); // đình công, Đình chỉ
    assert_eq!(ids(&a, "\"hòa giải v*\""), ["old-style"]);
    assert_eq!(
        ids(&a, "cong nhan -title:đình"),
        ["plain", "recognise", "worker"]
    );
    assert_eq!(
        ids(&a, "công nhân OR công đoạn"),
        ["step", "strike", "worker"]
    );
}

#[test]
fn pages_and_facets() {
    let (_d, a) = archive();
    let all = a
        .search(&langnghe_query::parse("cong").unwrap(), 2, 0)
        .unwrap();
    assert!(all.total >= 6);
    assert_eq!(all.hits.len(), 2);
    let next = a
        .search(&langnghe_query::parse("cong").unwrap(), 2, 2)
        .unwrap();
    assert!(
        next.hits
            .iter()
            .all(|h| !all.hits.iter().any(|x| x.id == h.id))
    );
    assert_eq!(all.facets.source.values().sum::<u64>(), all.total);
    let wage = search(&a, "luong");
    assert_eq!(wage.facets.week.get("2026-W47"), Some(&1));
    assert!(wage.facets.week.contains_key("undated"));
}

#[test]
fn reimporting_replaces_by_id() {
    let (_d, a) = archive();
    let before = a.num_docs().unwrap();
    let mut w = a.writer().unwrap();
    w.add(&doc(
        "wage",
        "Nợ lương (cập nhật)",
        "Doanh nghiệp đã trả nợ lương.",
    ))
    .unwrap();
    w.commit().unwrap();
    assert_eq!(a.num_docs().unwrap(), before);
    assert_eq!(search(&a, "title:cập nhật").hits[0].id, "wage");
}

#[test]
fn syndicated_copies_collapse_into_one_story() {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(dir.path()).unwrap();
    let mut w = a.writer().unwrap();
    let body = "Công nhân ngừng việc tập thể vì bị nợ lương hai tháng.";
    let mut original = doc("laodong-1", "Công nhân ngừng việc", body);
    original.story = Some("laodong-1".into());
    let mut copy = doc(
        "baomoi-1",
        "Hàng trăm công nhân ngừng việc",
        &format!("(Theo Lao Động) {body}"),
    );
    copy.story = Some("laodong-1".into());
    w.add(&original).unwrap();
    w.add(&copy).unwrap();
    w.add(&doc(
        "other",
        "Công nhân nghỉ Tết",
        "Công nhân ngừng việc sớm để về quê ăn Tết.",
    ))
    .unwrap();
    w.commit().unwrap();
    let q = langnghe_query::parse("ngừng việc").unwrap();
    let mentions = a.search(&q, 10, 0).unwrap();
    assert_eq!(
        (mentions.total, mentions.stories, mentions.hits.len()),
        (3, None, 3)
    );
    let stories = a.search_grouped(&q, 10, 0, true).unwrap();
    assert_eq!(
        (stories.total, stories.stories, stories.hits.len()),
        (3, Some(2), 2)
    );
    let grouped = stories
        .hits
        .iter()
        .find(|h| h.id == "laodong-1" || h.id == "baomoi-1")
        .unwrap();
    assert_eq!(grouped.mentions, 2);
    // Pages count stories.
    let second = a.search_grouped(&q, 1, 1, true).unwrap();
    assert_eq!(second.hits.len(), 1);
    assert_ne!(second.hits[0].id, stories.hits[0].id);
}

/// Regression: a phrase mixing syllables typed with and without diacritics used to be checked as
/// "the folded phrase somewhere, and each accented syllable somewhere", so `cong đoàn` matched a
/// page about "công đoạn" that said "đoàn" elsewhere.
#[test]
fn mixed_phrases_match_each_syllable_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(dir.path()).unwrap();
    let mut w = a.writer().unwrap();
    w.add(&doc(
        "trap",
        "Kiểm tra",
        "Đoàn kiểm tra xem xét các công đoạn sản xuất.",
    ))
    .unwrap();
    w.add(&doc("union", "Đại hội", "Đại hội Công đoàn tỉnh."))
        .unwrap();
    w.add(&doc("plain", "cong doan", "cong doan co so hop"))
        .unwrap();
    w.commit().unwrap();
    assert_eq!(ids(&a, "cong đoàn"), ["union"]);
    assert_eq!(ids(&a, "công doan"), ["trap", "union"]);
    assert_eq!(ids(&a, "cong doan"), ["plain", "trap", "union"]);
    assert_eq!(ids(&a, "NEAR/1(xem xét, cong đoạn)"), ["trap"]);
    assert!(ids(&a, "NEAR/1(xem xét, cong đoàn)").is_empty());
}
