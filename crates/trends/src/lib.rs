//! How does a topic's volume move? Spike detection: is the last hour's or day's number of
//! documents on a topic unusually high against its own history?
//!
//! The baseline allows for the week's rhythm and for the year's seasons:
//!
//! - a **day** is compared with the same weekday of the 8 weeks before (Mondays with Mondays:
//!   news sites publish less at weekends);
//! - an **hour** is compared with the same hour of the 14 days before, weekdays with weekdays and
//!   weekend days with weekend days;
//! - the expected count is the **median** of those (robust to one earlier spike), the spread
//!   1.4826 × the median absolute deviation, at least √expected (counts are Poisson-like), at
//!   least 1;
//! - in a known **season** (the weeks around Tết, the months a new minimum wage or base salary
//!   takes effect), the topics that season inflates expect more (the season's factor).
//!
//! A bucket is a spike at a sensitivity when its count reaches the minimum number of items and
//! both its score (count − expected) / spread and its ratio count / expected reach the level's
//! thresholds:
//!
//! | sensitivity | score ≥ | ratio ≥ | meant for |
//! | --- | --- | --- | --- |
//! | `low` | 5.0 | 3.0 | few, certain alerts |
//! | `medium` | 3.5 | 2.0 | the default |
//! | `high` | 2.5 | 1.5 | officers who want early signs and accept false alarms |
//!
//! ```
//! use langnghe_trends::{Bucket, Sensitivity, SpikeSettings, detect};
//! // Eight weeks of Mondays around 11 documents, then a Monday with 34.
//! let mut days = vec![0u64; 57];
//! for (i, d) in days.iter_mut().enumerate() {
//!     *d = if i % 7 == 0 { 10 + (i as u64 % 3) } else { 4 };
//! }
//! days[56] = 34;
//! let start = time::macros::datetime!(2026-11-23 0:00 +7); // a Monday
//! let spike = detect("dinh-cong", Bucket::Day, &days, start, &SpikeSettings::default(), &[]).unwrap();
//! assert_eq!(spike.expected, 11.0);
//! assert_eq!(spike.level, Sensitivity::Low);
//! ```
#![deny(missing_docs)]

use serde::Serialize;
use time::{Date, Duration, Month, OffsetDateTime, Weekday};

use langnghe_model::VIETNAM;

/// The unit of volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    /// One hour.
    Hour,
    /// One day (Vietnam time).
    Day,
}

impl Bucket {
    /// Its length.
    pub fn width(self) -> Duration {
        match self {
            Bucket::Hour => Duration::hours(1),
            Bucket::Day => Duration::days(1),
        }
    }

    /// How many buckets of history [`detect`] wants before the one tested.
    pub fn history(self) -> usize {
        match self {
            Bucket::Hour => 14 * 24,
            Bucket::Day => 8 * 7,
        }
    }

    /// The name shown (`hour`, `day`).
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Hour => "hour",
            Bucket::Day => "day",
        }
    }
}

/// How easily a spike is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    /// Only the clearest spikes.
    Low,
    /// The default.
    Medium,
    /// Early signs, more false alarms.
    High,
}

impl Sensitivity {
    /// (score, ratio) thresholds.
    fn thresholds(self) -> (f64, f64) {
        match self {
            Sensitivity::Low => (5.0, 3.0),
            Sensitivity::Medium => (3.5, 2.0),
            Sensitivity::High => (2.5, 1.5),
        }
    }

    /// Parses `low`, `medium`, `high`.
    pub fn parse(s: &str) -> Option<Sensitivity> {
        match s {
            "low" => Some(Sensitivity::Low),
            "medium" => Some(Sensitivity::Medium),
            "high" => Some(Sensitivity::High),
            _ => None,
        }
    }
}

/// What counts as a spike.
#[derive(Debug, Clone, PartialEq)]
pub struct SpikeSettings {
    /// The sensitivity reported.
    pub sensitivity: Sensitivity,
    /// No spike with fewer documents in the day.
    pub min_items_day: u64,
    /// No spike with fewer documents in the hour.
    pub min_items_hour: u64,
}

impl Default for SpikeSettings {
    fn default() -> Self {
        SpikeSettings {
            sensitivity: Sensitivity::Medium,
            min_items_day: 5,
            min_items_hour: 3,
        }
    }
}

/// A stretch of the year when some topics are expected to be busier.
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    /// Name shown with a spike found in it.
    pub name: String,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Topic ids it inflates.
    pub topics: Vec<String>,
    /// How much more they are expected to have.
    pub factor: f64,
}

/// Lunar New Year's Day (mùng 1 Tết), 2024–2035.
const TET: [(i32, Month, u8); 12] = [
    (2024, Month::February, 10),
    (2025, Month::January, 29),
    (2026, Month::February, 17),
    (2027, Month::February, 6),
    (2028, Month::January, 26),
    (2029, Month::February, 13),
    (2030, Month::February, 3),
    (2031, Month::January, 23),
    (2032, Month::February, 11),
    (2033, Month::January, 31),
    (2034, Month::February, 19),
    (2035, Month::February, 8),
];

/// The seasons every deployment knows: the four weeks before Tết and the week after (Tết
/// bonuses, workers going home, holiday schedules) and January and July (regional minimum wage
/// and base salary changes take effect on 1 January or 1 July).
pub fn builtin_seasons() -> Vec<Season> {
    let mut out = Vec::new();
    for (y, m, d) in TET {
        let Ok(tet) = Date::from_calendar_date(y, m, d) else {
            continue;
        };
        out.push(Season {
            name: format!("Tết {y}"),
            start: tet - Duration::weeks(4),
            end: tet + Duration::weeks(1),
            topics: ["tien-luong", "doi-song", "gio-lam", "viec-lam"]
                .map(String::from)
                .to_vec(),
            factor: 2.0,
        });
    }
    for y in 2024..=2035 {
        for (m, last) in [(Month::January, 31), (Month::July, 31)] {
            if let (Ok(start), Ok(end)) = (
                Date::from_calendar_date(y, m, 1),
                Date::from_calendar_date(y, m, last),
            ) {
                out.push(Season {
                    name: format!("lương {}/{y}", u8::from(m)),
                    start,
                    end,
                    topics: ["luong-toi-thieu", "tien-luong"].map(String::from).to_vec(),
                    factor: 1.5,
                });
            }
        }
    }
    out
}

/// A bucket whose volume is unusually high.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    /// Topic id.
    pub topic: String,
    /// Hour or day.
    pub bucket: Bucket,
    /// Start of the bucket.
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    /// Documents in it.
    pub count: u64,
    /// What its baseline expected.
    pub expected: f64,
    /// (count − expected) / spread.
    pub score: f64,
    /// The least sensitive level it passes (`low` passes every level).
    pub level: Sensitivity,
    /// The season its baseline allowed for.
    pub season: Option<String>,
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn weekend(d: Weekday) -> bool {
    matches!(d, Weekday::Saturday | Weekday::Sunday)
}

/// Tests the last bucket of `counts` (consecutive buckets of `bucket` width, the last starting
/// at `start`) against the ones before it; `None` if it is no spike at `settings`.
pub fn detect(
    topic: &str,
    bucket: Bucket,
    counts: &[u64],
    start: OffsetDateTime,
    settings: &SpikeSettings,
    seasons: &[Season],
) -> Option<Spike> {
    let (&count, history) = counts.split_last()?;
    let min_items = match bucket {
        Bucket::Day => settings.min_items_day,
        Bucket::Hour => settings.min_items_hour,
    };
    if count < min_items {
        return None;
    }
    let n = history.len();
    let baseline: Vec<f64> = match bucket {
        // The same weekday of each earlier week.
        Bucket::Day => (1..=8)
            .filter_map(|k| n.checked_sub(7 * k - 1).and_then(|i| i.checked_sub(1)))
            .map(|i| history[i] as f64)
            .collect(),
        Bucket::Hour => {
            let day_type = weekend(start.to_offset(VIETNAM).weekday());
            let same: Vec<f64> = (1..=14)
                .filter(|&k| 24 * k <= n)
                .map(|k| n - 24 * k)
                .filter(|&i| {
                    let at = start - Duration::hours(24 * (n - i) as i64);
                    weekend(at.to_offset(VIETNAM).weekday()) == day_type
                })
                .map(|i| history[i] as f64)
                .collect();
            if same.len() >= 4 {
                same
            } else {
                (1..=14)
                    .filter(|&k| 24 * k <= n)
                    .map(|k| history[n - 24 * k] as f64)
                    .collect()
            }
        }
    };
    // Too little history to judge.
    if baseline.len() < 3 {
        return None;
    }
    let m = median(baseline.clone());
    let mad = median(baseline.iter().map(|x| (x - m).abs()).collect());
    let day = start.to_offset(VIETNAM).date();
    let season = seasons
        .iter()
        .find(|s| s.start <= day && day <= s.end && s.topics.iter().any(|t| t == topic));
    let expected = m * season.map_or(1.0, |s| s.factor);
    let spread = (1.4826 * mad).max(expected.sqrt()).max(1.0);
    let score = (count as f64 - expected) / spread;
    let ratio = if expected > 0.0 {
        count as f64 / expected
    } else {
        f64::INFINITY
    };
    let level = [Sensitivity::Low, Sensitivity::Medium, Sensitivity::High]
        .into_iter()
        .find(|l| {
            let (s, r) = l.thresholds();
            score >= s && ratio >= r
        })?;
    (level <= settings.sensitivity).then(|| Spike {
        topic: topic.to_string(),
        bucket,
        start,
        count,
        expected,
        score,
        level,
        season: season.map(|s| s.name.clone()),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::datetime;

    /// 57 days ending on Monday 23 November 2026: weekdays `weekday`, weekends `weekend_n`.
    fn days(weekday_n: u64, weekend_n: u64) -> (Vec<u64>, OffsetDateTime) {
        let last = datetime!(2026-11-23 0:00 +7);
        let counts = (0..57)
            .map(|i| {
                let at = last - Duration::days(56 - i);
                let noise = (i * 7 % 5) as u64 % 3;
                if weekend(at.weekday()) {
                    weekend_n
                } else {
                    weekday_n + noise
                }
            })
            .collect();
        (counts, last)
    }

    #[test]
    fn weekday_rhythm_is_allowed_for() {
        let s = SpikeSettings::default();
        let (mut c, monday) = days(10, 2);
        // An ordinary Monday.
        c[56] = 12;
        assert!(detect("viec-lam", Bucket::Day, &c, monday, &s, &[]).is_none());
        // Twice a usual Monday and more: a spike.
        c[56] = 30;
        let spike = detect("viec-lam", Bucket::Day, &c, monday, &s, &[]).unwrap();
        assert_eq!(spike.count, 30);
        assert!(
            spike.expected >= 10.0 && spike.expected <= 12.0,
            "{spike:?}"
        );
        // A Saturday of 9 is nothing on a weekday but a spike for a Saturday (usually 2).
        let saturday = monday - Duration::days(2);
        let mut sat = c[..55].to_vec();
        sat.push(9);
        let spike = detect("viec-lam", Bucket::Day, &sat, saturday, &s, &[]).unwrap();
        assert_eq!(spike.expected, 2.0);
    }

    #[test]
    fn too_few_items_or_too_little_history_raise_nothing() {
        let s = SpikeSettings::default();
        let (mut c, monday) = days(0, 0);
        c[56] = 4; // below min_items_day, though "infinitely" above a zero baseline
        assert!(detect("dinh-cong", Bucket::Day, &c, monday, &s, &[]).is_none());
        c[56] = 6;
        assert_eq!(
            detect("dinh-cong", Bucket::Day, &c, monday, &s, &[])
                .unwrap()
                .level,
            Sensitivity::Low
        );
        assert!(detect("dinh-cong", Bucket::Day, &c[40..], monday, &s, &[]).is_none());
    }

    #[test]
    fn seasons_raise_the_expected_volume_of_their_topics() {
        let s = SpikeSettings::default();
        // Four weeks before Tết 2027 (6 February): 9 January 2027, a Saturday; Monday 11 January.
        let monday = datetime!(2027-01-11 0:00 +7);
        let mut c: Vec<u64> = (0..57).map(|i| if i % 7 == 0 { 10 } else { 5 }).collect();
        c[56] = 25;
        let seasons = builtin_seasons();
        // Tết bonuses: 25 on a Monday is what the season brings.
        assert!(detect("tien-luong", Bucket::Day, &c, monday, &s, &seasons).is_none());
        // The same volume on strikes is a spike: Tết does not explain it.
        let spike = detect("dinh-cong", Bucket::Day, &c, monday, &s, &seasons).unwrap();
        assert_eq!(spike.season, None);
        c[56] = 45;
        let spike = detect("tien-luong", Bucket::Day, &c, monday, &s, &seasons).unwrap();
        assert_eq!(spike.expected, 20.0);
        assert_eq!(spike.season.as_deref(), Some("Tết 2027"));
    }

    #[test]
    fn sensitivity_levels_are_ordered() {
        let monday = datetime!(2026-11-23 0:00 +7);
        let mut c: Vec<u64> = (0..57).map(|i| if i % 7 == 0 { 10 } else { 3 }).collect();
        // Expected 10, spread √10: score 2.85, ratio 1.9: only the high sensitivity reports it.
        c[56] = 19;
        let at = |l| {
            detect(
                "viec-lam",
                Bucket::Day,
                &c,
                monday,
                &SpikeSettings {
                    sensitivity: l,
                    ..SpikeSettings::default()
                },
                &[],
            )
        };
        assert!(at(Sensitivity::Low).is_none());
        assert!(at(Sensitivity::Medium).is_none());
        assert_eq!(at(Sensitivity::High).unwrap().level, Sensitivity::High);
    }

    #[test]
    fn hours_compare_with_the_same_hour_of_the_same_kind_of_day() {
        let s = SpikeSettings::default();
        // Monday 23 November 2026, 09:00; 14 days of hours before it.
        let start = datetime!(2026-11-23 9:00 +7);
        let n = 14 * 24;
        let mut c: Vec<u64> = (0..=n)
            .map(|i| {
                let at = start - Duration::hours((n - i) as i64);
                let busy = (8..18).contains(&at.hour());
                match (weekend(at.weekday()), busy) {
                    (false, true) => 3,
                    (true, true) => 1,
                    _ => 0,
                }
            })
            .collect();
        c[n] = 4;
        assert!(detect("dinh-cong", Bucket::Hour, &c, start, &s, &[]).is_none());
        c[n] = 10;
        let spike = detect("dinh-cong", Bucket::Hour, &c, start, &s, &[]).unwrap();
        assert_eq!(spike.expected, 3.0);
    }
}
