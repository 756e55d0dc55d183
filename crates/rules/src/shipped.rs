//! The pack and gazetteer shipped in `config/`, built in: a binary without a `config/` folder
//! still classifies.

use crate::{Classifier, Gazetteer, TopicPacks};

/// `config/topics/labour.toml`.
pub const LABOUR_PACK: &str = include_str!("../../../config/topics/labour.toml");

/// `config/provinces.toml`.
pub const PROVINCES: &str = include_str!("../../../config/provinces.toml");

/// The twelve labour topics every deployment has (other packs may add more).
pub const LABOUR_TOPICS: [&str; 12] = [
    "cong-doan",
    "tien-luong",
    "luong-toi-thieu",
    "dinh-cong",
    "tranh-chap",
    "viec-lam",
    "bhxh",
    "an-toan-lao-dong",
    "doi-song",
    "gio-lam",
    "chinh-sach",
    "xuat-khau-lao-dong",
];

/// The classifier of the built-in pack and gazetteer.
pub fn builtin() -> Classifier {
    #[allow(clippy::expect_used)] // Both files are checked by the tests below.
    let packs = TopicPacks::parse(&[("labour.toml (built in)".into(), LABOUR_PACK.into())])
        .expect("the built-in labour pack parses");
    #[allow(clippy::expect_used)]
    let gazetteer = Gazetteer::parse(PROVINCES, "provinces.toml (built in)")
        .expect("the built-in gazetteer parses");
    Classifier::new(packs, gazetteer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_labour_pack_has_the_twelve_topics_and_every_example_passes() {
        let c = builtin();
        let ids = c.packs().ids();
        for id in LABOUR_TOPICS {
            assert!(ids.contains(&id), "{id} missing");
        }
        let failing: Vec<String> = c
            .failing_examples()
            .into_iter()
            .map(|(id, s, expected)| {
                format!(
                    "{id}: {s:?} should {}match",
                    if expected { "" } else { "not " }
                )
            })
            .collect();
        assert!(failing.is_empty(), "{}", failing.join("\n"));
    }

    /// Phrases read across two words ("bình quân | nhân viên" holds "quân nhân", soldier;
    /// "công nghệ | an toàn" holds "Nghệ An") neither tag nor veto: found by reading the pack's
    /// phrases over the corpora (bench/labels/crossings.py).
    #[test]
    fn phrases_across_two_words_neither_tag_nor_veto() {
        let c = builtin();
        let classify = |title: &str| c.classify(&langnghe_query::Candidate::new(title, ""));
        let ids = |title: &str| -> Vec<String> {
            classify(title).topics.into_iter().map(|t| t.id).collect()
        };
        // The army guard ("quân nhân") does not veto pay news about average pay per employee.
        assert_eq!(
            ids("Thu nhập bình quân nhân viên ngân hàng giảm nhẹ so với năm trước"),
            ["tien-luong"]
        );
        assert!(ids("Lương quân nhân tăng từ tháng 7").is_empty());
        // "nhà nước pháp quyền" (rule-of-law state) is not France, "tập trung quốc" not China.
        assert_eq!(
            ids("Xây dựng nhà nước pháp quyền: công nhân bị nợ lương được hỗ trợ khởi kiện"),
            ["tien-luong", "tranh-chap"]
        );
        for (text, none) in [
            ("Công nghệ an toàn thông tin được nâng cấp", "nghe-an"),
            ("Mọi thứ trở lại trạng thái bình thường", "hung-yen"),
            (
                "Việt Nam định hướng phát triển công nghiệp bán dẫn",
                "ninh-binh",
            ),
        ] {
            assert!(
                !classify(text).provinces.contains(&none.to_string()),
                "{text}"
            );
        }
        assert_eq!(classify("Công nhân ở Nghệ An").provinces, ["nghe-an"]);
    }
}
