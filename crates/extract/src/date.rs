//! Dates as Vietnamese sites write them.
//!
//! Day before month, the site's time zone +07:00 unless the text says otherwise:
//! "Thứ hai, 25/11/2026, 08:30 (GMT+7)", "25-11-2026 - 08:30", "08:30 25/11/2026",
//! "ngày 25 tháng 11 năm 2026", ISO 8601 and RFC 2822 from metadata and feeds, and relative forms
//! that need the time of the crawl: "2 giờ trước", "hôm qua", "thứ 5 tuần trước".

use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

use langnghe_model::VIETNAM;

/// Years accepted as a publication date.
const FIRST_YEAR: i32 = 1990;

/// [`parse_date`] for the forms that name their day ("25/11/2026", "ngày 25 tháng 11 năm
/// 2026", ISO 8601, RFC 2822), without the relative ones ("hôm qua"), which mean nothing without
/// the time they were read: for dates in files, where that time is not known.
///
/// ```
/// use langnghe_extract::parse_absolute_date;
/// use time::macros::datetime;
/// assert_eq!(parse_absolute_date("26/11/2026"), Some(datetime!(2026-11-26 00:00 +7)));
/// assert_eq!(parse_absolute_date("2026-11-26 08:30:00"), Some(datetime!(2026-11-26 08:30 +7)));
/// assert_eq!(parse_absolute_date("hôm qua"), None);
/// ```
pub fn parse_absolute_date(text: &str) -> Option<OffsetDateTime> {
    parse(text, None)
}

/// Parses a date or date-time in any of the forms above. `now` anchors relative forms and
/// bounds the year (a page cannot be published more than a year ahead).
///
/// ```
/// use langnghe_extract::parse_date;
/// use time::macros::datetime;
/// let now = datetime!(2026-11-26 10:00 +7);
/// assert_eq!(parse_date("Thứ hai, 23/11/2026, 08:30 (GMT+7)", now), Some(datetime!(2026-11-23 08:30 +7)));
/// assert_eq!(parse_date("2 giờ trước", now), Some(datetime!(2026-11-26 08:00 +7)));
/// assert_eq!(parse_date("hôm qua", now), Some(datetime!(2026-11-25 00:00 +7)));
/// ```
pub fn parse_date(text: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    parse(text, Some(now))
}

/// [`parse_date`] when the time of reading is known, [`parse_absolute_date`] when not: without
/// it, no relative form and no bound ahead.
fn parse(text: &str, now: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    let text = text.trim();
    if text.is_empty() || text.len() > 400 {
        return None;
    }
    let found = machine(text).or_else(|| {
        let folded = langnghe_vi::fold(text).to_lowercase();
        now.and_then(|now| relative(&folded, now))
            .or_else(|| numeric(&folded))
            .or_else(|| spelled(&folded))
    })?;
    let ahead = now.is_some_and(|now| found > now + Duration::days(366));
    (found.year() >= FIRST_YEAR && !ahead).then_some(found)
}

/// ISO 8601 / RFC 3339 (with or without offset or seconds) and RFC 2822.
fn machine(text: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t);
    }
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc2822) {
        return Some(t);
    }
    // "2026-11-25T08:30:00+0700", "2026-11-25 08:30", "2026-11-25T08:30:00.000Z", "2026-11-25".
    let b = text.as_bytes();
    if b.len() < 10 || !(b[4] == b'-' && b[7] == b'-') {
        return None;
    }
    let year: i32 = text.get(0..4)?.parse().ok()?;
    let month: u8 = text.get(5..7)?.parse().ok()?;
    let day: u8 = text.get(8..10)?.parse().ok()?;
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let rest = text.get(10..)?.trim_start_matches(['T', ' ']);
    if rest.is_empty() {
        return Some(date.midnight().assume_offset(VIETNAM));
    }
    let hour: u8 = rest.get(0..2)?.parse().ok()?;
    let minute: u8 = rest.get(3..5)?.parse().ok()?;
    let mut tail = rest.get(5..)?;
    let mut second = 0u8;
    if let Some(s) = tail.strip_prefix(':') {
        second = s.get(0..2)?.parse().ok()?;
        tail = s.get(2..)?;
    }
    // Fractions of a second carry no news.
    let tail = tail
        .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit())
        .trim();
    let offset = match tail {
        "" => VIETNAM,
        "Z" | "z" => UtcOffset::UTC,
        _ => parse_offset(tail)?,
    };
    let time = Time::from_hms(hour, minute, second).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// `+07:00`, `+0700`, `+07`, `-05:30`.
fn parse_offset(s: &str) -> Option<UtcOffset> {
    let sign: i8 = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i8>().ok()?, 0),
        4 => (
            digits[..2].parse::<i8>().ok()?,
            digits[2..].parse::<i8>().ok()?,
        ),
        _ => return None,
    };
    UtcOffset::from_hms(sign * h, sign * m, 0).ok()
}

/// The runs of ASCII digits in `s` with their byte ranges.
fn numbers(s: &str) -> Vec<(u32, usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start <= 4
                && let Ok(n) = s[start..i].parse()
            {
                out.push((n, start, i));
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The first `HH:MM` or `HHhMM` (`08:30`, `8h30`) in `s`.
fn clock(s: &str) -> Option<Time> {
    let nums = numbers(s);
    for w in nums.windows(2) {
        let ((h, _, end), (m, start, mend)) = (w[0], w[1]);
        let sep = &s[end..start];
        if (sep == ":" || sep == "h" || sep == "g") && mend - start == 2 && h < 24 && m < 60 {
            return Time::from_hms(h as u8, m as u8, 0).ok();
        }
    }
    None
}

/// An explicit `GMT+7` / `UTC+07:00` in the text, else Vietnam.
fn text_offset(s: &str) -> UtcOffset {
    for marker in ["gmt", "utc"] {
        if let Some(i) = s.find(marker) {
            let rest = s[i + 3..].trim_start();
            if let Some(offset) = rest
                .split(|c: char| !(c.is_ascii_digit() || matches!(c, '+' | '-' | ':')))
                .next()
                .and_then(parse_offset)
            {
                return offset;
            }
            if !rest.starts_with(['+', '-']) {
                return UtcOffset::UTC;
            }
        }
    }
    VIETNAM
}

/// `25/11/2026`, `25-11-2026`, `25.11.2026`, with a time before or after.
fn numeric(s: &str) -> Option<OffsetDateTime> {
    let nums = numbers(s);
    for w in nums.windows(3) {
        let ((d, _, e1), (m, s2, e2), (y, s3, e3)) = (w[0], w[1], w[2]);
        let sep1 = &s[e1..s2];
        let sep2 = &s[e2..s3];
        let ok_sep = |x: &str| matches!(x, "/" | "-" | ".");
        if !(ok_sep(sep1) && sep1 == sep2 && e3 - s3 == 4) {
            continue;
        }
        let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
        let date = Date::from_calendar_date(y as i32, month, u8::try_from(d).ok()?).ok()?;
        let time = clock(s).unwrap_or(Time::MIDNIGHT);
        return Some(PrimitiveDateTime::new(date, time).assume_offset(text_offset(s)));
    }
    None
}

/// `ngày 25 tháng 11 năm 2026` (already folded: `ngay 25 thang 11 nam 2026`).
fn spelled(s: &str) -> Option<OffsetDateTime> {
    let at = s.find("thang ")?;
    let before: Vec<u32> = numbers(&s[..at]).into_iter().map(|n| n.0).collect();
    let after: Vec<(u32, usize, usize)> = numbers(&s[at..]);
    let day = *before.last()?;
    let (month, _, _) = *after.first()?;
    let year_at = s[at..].find("nam ")?;
    let (year, _, _) = *numbers(&s[at + year_at..]).first()?;
    let date = Date::from_calendar_date(
        year as i32,
        Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let time = clock(s).unwrap_or(Time::MIDNIGHT);
    Some(PrimitiveDateTime::new(date, time).assume_offset(text_offset(s)))
}

/// Vietnamese weekday names, folded: `thu hai`/`thu 2` … `chu nhat`/`cn`.
fn weekday(s: &str) -> Option<Weekday> {
    let names = [
        (["thu hai", "thu 2"], Weekday::Monday),
        (["thu ba", "thu 3"], Weekday::Tuesday),
        (["thu tu", "thu 4"], Weekday::Wednesday),
        (["thu nam", "thu 5"], Weekday::Thursday),
        (["thu sau", "thu 6"], Weekday::Friday),
        (["thu bay", "thu 7"], Weekday::Saturday),
        (["chu nhat", "cn"], Weekday::Sunday),
    ];
    names
        .iter()
        .find(|(forms, _)| forms.iter().any(|f| s.contains(f)))
        .map(|(_, w)| *w)
}

/// "2 giờ trước", "vừa xong", "hôm nay 08:30", "hôm qua", "hôm kia", "thứ 5 tuần trước".
fn relative(s: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    let local = now.to_offset(VIETNAM);
    let at_day = |days_back: i64| {
        let date = local.date() - Duration::days(days_back);
        let time = clock(s).unwrap_or(Time::MIDNIGHT);
        PrimitiveDateTime::new(date, time).assume_offset(VIETNAM)
    };
    if s.contains("vua xong") || s.contains("vua moi") {
        return Some(local);
    }
    // "thứ 5 tuần trước" before "5 tuần trước": the weekday names the number.
    if s.contains("tuan truoc")
        && let Some(day) = weekday(s)
    {
        let this_monday =
            local.date() - Duration::days(i64::from(local.weekday().number_days_from_monday()));
        let date = this_monday - Duration::days(7)
            + Duration::days(i64::from(day.number_days_from_monday()));
        let time = clock(s).unwrap_or(Time::MIDNIGHT);
        return Some(PrimitiveDateTime::new(date, time).assume_offset(VIETNAM));
    }
    if let Some(i) = s.find("truoc") {
        let head = s[..i].trim_end();
        // "N đơn vị trước": the unit is the last word before "trước".
        if let Some((n, _, end)) = numbers(head).last().copied() {
            let unit = head[end..].trim();
            let n = i64::from(n);
            let ago = match unit {
                "giay" => Some(Duration::seconds(n)),
                "phut" => Some(Duration::minutes(n)),
                "gio" | "tieng" => Some(Duration::hours(n)),
                "ngay" => Some(Duration::days(n)),
                "tuan" => Some(Duration::weeks(n)),
                "thang" => Some(Duration::days(30 * n)),
                "nam" => Some(Duration::days(365 * n)),
                _ => None,
            };
            if let Some(ago) = ago {
                return Some(local - ago);
            }
        }
    }
    if s.contains("hom kia") {
        return Some(at_day(2));
    }
    if s.contains("hom qua") {
        return Some(at_day(1));
    }
    if s.contains("hom nay") {
        return Some(at_day(0));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-26 10:00 +7); // a Thursday

    fn p(s: &str) -> Option<OffsetDateTime> {
        parse_date(s, NOW)
    }

    #[test]
    fn date_lines_of_vietnamese_sites() {
        assert_eq!(
            p("Thứ hai, 23/11/2026, 08:30 (GMT+7)"),
            Some(datetime!(2026-11-23 08:30 +7))
        );
        assert_eq!(
            p("23-11-2026 - 08:30"),
            Some(datetime!(2026-11-23 08:30 +7))
        );
        assert_eq!(p("08:30 23/11/2026"), Some(datetime!(2026-11-23 08:30 +7)));
        assert_eq!(
            p("Chủ nhật, 7/3/2026 08:00"),
            Some(datetime!(2026-03-07 08:00 +7))
        );
        assert_eq!(
            p("Cập nhật: 8h05, 07.03.2026"),
            Some(datetime!(2026-03-07 08:05 +7))
        );
        assert_eq!(
            p("Ngày 25 tháng 11 năm 2026"),
            Some(datetime!(2026-11-25 00:00 +7))
        );
        assert_eq!(
            p("25/11/2026 08:30 GMT+0"),
            Some(datetime!(2026-11-25 08:30 UTC))
        );
        assert_eq!(
            p("ĐĂNG LÚC 04/01/2014 00:03"),
            Some(datetime!(2014-01-04 00:03 +7))
        );
    }

    #[test]
    fn metadata_formats() {
        assert_eq!(
            p("2026-11-25T08:30:00+07:00"),
            Some(datetime!(2026-11-25 08:30 +7))
        );
        assert_eq!(
            p("2026-11-25T01:30:00Z"),
            Some(datetime!(2026-11-25 08:30 +7))
        );
        assert_eq!(
            p("2026-11-25T08:30:00.000+0700"),
            Some(datetime!(2026-11-25 08:30 +7))
        );
        assert_eq!(p("2026-11-25 08:30"), Some(datetime!(2026-11-25 08:30 +7)));
        assert_eq!(p("2026-11-25"), Some(datetime!(2026-11-25 00:00 +7)));
        assert_eq!(
            p("Wed, 25 Nov 2026 08:30:00 +0700"),
            Some(datetime!(2026-11-25 08:30 +7))
        );
    }

    #[test]
    fn relative_forms() {
        assert_eq!(p("2 giờ trước"), Some(datetime!(2026-11-26 08:00 +7)));
        assert_eq!(p("15 phút trước"), Some(datetime!(2026-11-26 09:45 +7)));
        assert_eq!(p("3 ngày trước"), Some(datetime!(2026-11-23 10:00 +7)));
        assert_eq!(p("5 tuần trước"), Some(datetime!(2026-10-22 10:00 +7)));
        assert_eq!(p("vừa xong"), Some(NOW));
        assert_eq!(p("Hôm qua, 14:20"), Some(datetime!(2026-11-25 14:20 +7)));
        assert_eq!(p("hôm kia"), Some(datetime!(2026-11-24 00:00 +7)));
        assert_eq!(p("thứ 5 tuần trước"), Some(datetime!(2026-11-19 00:00 +7)));
        assert_eq!(
            p("Thứ Hai tuần trước lúc 9:15"),
            Some(datetime!(2026-11-16 09:15 +7))
        );
        // Without the time of reading, none of them is a date.
        for s in [
            "2 giờ trước",
            "vừa xong",
            "Hôm qua, 14:20",
            "hôm kia",
            "thứ 5 tuần trước",
        ] {
            assert_eq!(parse_absolute_date(s), None, "{s}");
        }
    }

    #[test]
    fn not_dates() {
        for s in [
            "",
            "Tin liên quan",
            "32/13/2026",
            "99 luftballons",
            "1.000.000 đồng",
            "2100-01-01",
            "25/11",
        ] {
            assert_eq!(p(s), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn random_text_never_panics(s in "\\PC{0,80}") {
            let _ = parse_date(&s, NOW);
        }

        #[test]
        fn date_like_noise_never_panics(s in "[0-9/:.+ -]{0,30}(GMT|gmt|T|Z)?[0-9:+-]{0,10}") {
            if let Some(t) = parse_date(&s, NOW) {
                prop_assert!(t.year() >= FIRST_YEAR);
            }
        }

        /// A date that names its day is read as `parse_date` reads it, without the time of
        /// reading.
        #[test]
        fn absolute_dates_are_read_as_parse_date_reads_them(
            s in "(\\PC{0,30}|[0-9/:.+ -]{0,30}|(hôm qua|[0-9] giờ trước|thứ [2-7] tuần trước)( [0-9:]{0,5})?)"
        ) {
            if let Some(t) = parse_absolute_date(&s) {
                prop_assert!(t.year() >= FIRST_YEAR);
                if t <= NOW + Duration::days(366) {
                    prop_assert_eq!(Some(t), parse_date(&s, NOW));
                }
            }
        }
    }
}
