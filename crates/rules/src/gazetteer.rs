//! The province gazetteer (`config/provinces.toml`): the 34 provinces and centrally-run cities
//! in force since 1 July 2025, each with the provinces merged into it, its other names, and the
//! names that need a place word before them to count ("tỉnh Thái Bình", not "Thái Bình Dương").
//!
//! ```toml
//! version = 1
//! context = ["tỉnh", "thành phố", "tp", "tại", "ở"]
//! [[province]]
//! id = "hung-yen"
//! name = "Hưng Yên"
//! merged = ["Thái Bình"]
//! ambiguous = ["Thái Bình"]
//! ```

use serde::Deserialize;

use langnghe_model::ConfigProblem;
use langnghe_query::{Query, parse};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GazetteerFile {
    version: u32,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default, rename = "province")]
    provinces: Vec<ProvinceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvinceFile {
    id: String,
    name: String,
    #[serde(default)]
    city: bool,
    #[serde(default)]
    merged: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

/// A province or centrally-run city.
#[derive(Debug, Clone, PartialEq)]
pub struct Province {
    /// Stable id (`ho-chi-minh`).
    pub id: String,
    /// Its name since 1 July 2025.
    pub name: String,
    /// A centrally-run city (thành phố trực thuộc trung ương).
    pub city: bool,
    /// The provinces merged into it on 1 July 2025 (their names before the merger).
    pub merged: Vec<String>,
    /// Other names (cities within it, abbreviations).
    pub aliases: Vec<String>,
    /// Those of its names that count only after a place word.
    pub ambiguous: Vec<String>,
    /// Longer phrases in which its names are not the province (`Thái Bình Dương`, the Pacific,
    /// holds `Bình Dương`).
    pub exclude: Vec<String>,
}

impl Province {
    /// Every name it goes by: its own, the merged provinces', the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.merged.iter().map(String::as_str))
            .chain(self.aliases.iter().map(String::as_str))
    }
}

/// The provinces with the rule that finds each in a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gazetteer {
    /// Every province, in file order.
    pub provinces: Vec<Province>,
    /// Place words that make an ambiguous name a place (`tỉnh`, `tại`).
    pub context: Vec<String>,
}

impl Gazetteer {
    /// Parses a gazetteer file. On failure, every problem, each with its key.
    pub fn parse(text: &str, file: &str) -> Result<Gazetteer, Vec<ConfigProblem>> {
        let g: GazetteerFile = langnghe_model::parse_toml(text, file)?;
        let mut problems = Vec::new();
        if g.version != 1 {
            problems.push(ConfigProblem::at(
                file,
                "version",
                format!("this build reads version 1, the file says {}", g.version),
            ));
        }
        let mut provinces: Vec<Province> = Vec::new();
        for (i, p) in g.provinces.into_iter().enumerate() {
            let at = |key: &str| format!("province[{i}] ({}).{key}", p.id);
            if let Some(problem) = langnghe_model::id_problem(&p.id) {
                problems.push(ConfigProblem::at(file, at("id"), problem));
            }
            if provinces.iter().any(|o| o.id == p.id) {
                problems.push(ConfigProblem::at(
                    file,
                    at("id"),
                    "is used by an earlier province",
                ));
            }
            let province = Province {
                id: p.id.clone(),
                name: p.name,
                city: p.city,
                merged: p.merged,
                aliases: p.aliases,
                ambiguous: p.ambiguous,
                exclude: p.exclude,
            };
            for (k, name) in province.names().enumerate() {
                if langnghe_vi::tokens(name, langnghe_vi::Analyzer::Exact).is_empty() {
                    problems.push(ConfigProblem::at(
                        file,
                        at(&format!("names[{k}]")),
                        format!("{name:?} has no letters to look for"),
                    ));
                }
            }
            for phrase in &province.exclude {
                let folded = langnghe_vi::fold(phrase).to_lowercase();
                let fold = |n: &str| langnghe_vi::fold(n).to_lowercase();
                if let Some(name) = province.names().find(|n| fold(n) == folded) {
                    // "Nhà Trắng" for Nha Trang: a name written without marks counts in accented
                    // text only where written so, and without marks the two are one text.
                    problems.push(ConfigProblem::at(
                        file,
                        at("exclude"),
                        format!("{phrase:?} only differs from the name {name:?} by its marks"),
                    ));
                } else if !province.names().any(|n| folded.contains(&fold(n))) {
                    problems.push(ConfigProblem::at(
                        file,
                        at("exclude"),
                        format!("{phrase:?} holds none of its names"),
                    ));
                }
            }
            for name in &province.ambiguous {
                if !province.names().any(|n| n == name) {
                    problems.push(ConfigProblem::at(
                        file,
                        at("ambiguous"),
                        format!("{name:?} is not one of its names"),
                    ));
                }
            }
            provinces.push(province);
        }
        if provinces.iter().any(|p| !p.ambiguous.is_empty()) && g.context.is_empty() {
            problems.push(ConfigProblem::at(
                file,
                "context",
                "ambiguous names need the place words that may come before them",
            ));
        }
        if problems.is_empty() {
            Ok(Gazetteer {
                provinces,
                context: g.context,
            })
        } else {
            Err(problems)
        }
    }

    /// The rules that find each province, in the query language: its names as phrases (after a
    /// place word for ambiguous ones), as written and without diacritics (a name of one
    /// syllable only as written: `hue` is also `Huệ`); and, when it has exclusions, the rule that
    /// finds them.
    pub fn queries(&self) -> Vec<(Query, Option<Query>)> {
        self.provinces
            .iter()
            .map(|p| {
                let mut phrases = Vec::new();
                for name in p.names() {
                    let forms: Vec<String> = if p.ambiguous.iter().any(|a| a == name) {
                        self.context.iter().map(|c| format!("{c} {name}")).collect()
                    } else {
                        vec![name.to_string()]
                    };
                    for form in forms {
                        phrases.extend(as_written_and_folded(&form));
                    }
                }
                let exclusions: Vec<String> = p
                    .exclude
                    .iter()
                    .flat_map(|e| as_written_and_folded(e))
                    .collect();
                // Names are checked to hold letters, so the joined phrases always parse.
                (
                    parse(&phrases.join(" OR ")).unwrap_or(Query::Or(Vec::new())),
                    (!exclusions.is_empty())
                        .then(|| parse(&exclusions.join(" OR ")).ok())
                        .flatten(),
                )
            })
            .collect()
    }

    /// Every province's id, in file order.
    pub fn ids(&self) -> Vec<&str> {
        self.provinces.iter().map(|p| p.id.as_str()).collect()
    }

    /// The province a name belongs to (its own name, a merged province's, an alias), compared
    /// without case or tone style.
    pub fn province_of(&self, name: &str) -> Option<&Province> {
        let key = langnghe_vi::normalize(name).to_lowercase();
        self.provinces.iter().find(|p| {
            p.names()
                .any(|n| langnghe_vi::normalize(n).to_lowercase() == key)
        })
    }
}

/// A name as a quoted phrase, as written. Text typed without diacritics is matched by the
/// classifier's second matcher, where names of several syllables are read without them (not in
/// accented text: "Nhà Trắng", the White House, is not Nha Trang).
fn as_written_and_folded(name: &str) -> Vec<String> {
    // Quotes inside a name would end the phrase.
    let name = name.replace(['"', '“', '”'], " ");
    vec![format!("\"{name}\"")]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn problems_name_the_province_and_key() {
        let p: Vec<String> = Gazetteer::parse(
            "version = 1\n[[province]]\nid = \"HN\"\nname = \"Hà Nội\"\nambiguous = [\"Thủ đô\"]\n[[province]]\nid = \"x\"\nname = \"--\"\n\
             [[province]]\nid = \"kh\"\nname = \"Nha Trang\"\nexclude = [\"Nhà Trắng\"]\n",
            "provinces.toml",
        )
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            p,
            [
                "provinces.toml: province[0] (HN).id: \"HN\" must be lowercase letters, digits and '-'",
                "provinces.toml: province[0] (HN).ambiguous: \"Thủ đô\" is not one of its names",
                "provinces.toml: province[1] (x).names[0]: \"--\" has no letters to look for",
                "provinces.toml: province[2] (kh).exclude: \"Nhà Trắng\" only differs from the name \"Nha Trang\" by its marks",
                "provinces.toml: context: ambiguous names need the place words that may come before them",
            ]
        );
    }
}

#[cfg(test)]
mod shipped {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Classifier, TopicPacks};
    use langnghe_query::Candidate;

    fn gazetteer() -> Gazetteer {
        Gazetteer::parse(
            include_str!("../../../config/provinces.toml"),
            "provinces.toml",
        )
        .unwrap()
    }

    #[test]
    fn the_shipped_gazetteer_has_the_34_provinces_and_the_63_before_them() {
        let g = gazetteer();
        assert_eq!(g.provinces.len(), 34);
        assert_eq!(g.provinces.iter().filter(|p| p.city).count(), 6);
        // The 63 provinces before 1 July 2025 each map to one of the 34.
        let before = [
            "Hà Giang",
            "Tuyên Quang",
            "Cao Bằng",
            "Lạng Sơn",
            "Lào Cai",
            "Yên Bái",
            "Thái Nguyên",
            "Bắc Kạn",
            "Phú Thọ",
            "Vĩnh Phúc",
            "Hòa Bình",
            "Bắc Giang",
            "Bắc Ninh",
            "Quảng Ninh",
            "Hải Dương",
            "Hải Phòng",
            "Hưng Yên",
            "Thái Bình",
            "Hà Nam",
            "Nam Định",
            "Ninh Bình",
            "Hà Nội",
            "Điện Biên",
            "Lai Châu",
            "Sơn La",
            "Thanh Hóa",
            "Nghệ An",
            "Hà Tĩnh",
            "Quảng Bình",
            "Quảng Trị",
            "Thừa Thiên Huế",
            "Đà Nẵng",
            "Quảng Nam",
            "Quảng Ngãi",
            "Bình Định",
            "Phú Yên",
            "Khánh Hòa",
            "Ninh Thuận",
            "Bình Thuận",
            "Kon Tum",
            "Gia Lai",
            "Đắk Lắk",
            "Đắk Nông",
            "Lâm Đồng",
            "Bình Phước",
            "Tây Ninh",
            "Bình Dương",
            "Đồng Nai",
            "Bà Rịa - Vũng Tàu",
            "Thành phố Hồ Chí Minh",
            "Long An",
            "Tiền Giang",
            "Bến Tre",
            "Trà Vinh",
            "Vĩnh Long",
            "Đồng Tháp",
            "An Giang",
            "Kiên Giang",
            "Cần Thơ",
            "Hậu Giang",
            "Sóc Trăng",
            "Bạc Liêu",
            "Cà Mau",
        ];
        assert_eq!(before.len(), 63);
        for name in before {
            assert!(g.province_of(name).is_some(), "{name}");
        }
        assert_eq!(g.province_of("Bình Dương").unwrap().id, "ho-chi-minh");
        assert_eq!(g.province_of("hoà bình").unwrap().id, "phu-tho");
    }

    fn provinces(text: &str) -> Vec<String> {
        Classifier::new(TopicPacks::default(), gazetteer())
            .classify(&Candidate::new("", text))
            .provinces
    }

    #[test]
    fn names_old_and_new_with_and_without_diacritics_and_their_guards() {
        assert_eq!(
            provinces("Công nhân ở Bình Dương và Đồng Nai nghỉ Tết"),
            ["ho-chi-minh", "dong-nai"]
        );
        assert_eq!(
            provinces("cong nhan o binh duong nghi tet"),
            ["ho-chi-minh"]
        );
        assert_eq!(provinces("Tại TP.HCM, giá thuê trọ tăng"), ["ho-chi-minh"]);
        // In accented text only the accented name counts: the White House is not Nha Trang.
        assert!(provinces("Nhà Trắng từ chối đề xuất của tỷ phú").is_empty());
        assert_eq!(
            provinces("Du khách đổ về Nha Trang dịp nghỉ lễ"),
            ["khanh-hoa"]
        );
        assert_eq!(
            provinces("hom nay o nha trang troi dep qua di choi thoi"),
            ["khanh-hoa"]
        );
        // Ambiguous names need a place word; exclusions cancel a name inside them.
        assert!(provinces("Hòa bình thế giới và bão trên Thái Bình Dương").is_empty());
        assert!(provinces("Học tập tư tưởng Hồ Chí Minh; lương cao bằng năm ngoái").is_empty());
        assert_eq!(
            provinces("Lũ lớn ở tỉnh Hòa Bình, Thái Bình"),
            ["phu-tho", "hung-yen"]
        );
        assert_eq!(
            provinces("Bão từ Thái Bình Dương vào Bình Dương"),
            ["ho-chi-minh"]
        );
        assert_eq!(provinces("Du khách về Huế; chị Huế bán hàng"), ["hue"]);
    }
}
