//! The one date model of every format: the free-form dates sources write
//! ("2020-11-16", "Kompas.com - 05/12/2024, 19:34 WIB", "Selasa, 10
//! November 2020 14:05 WIB", "Oktober 19, 2019", "21+January+2019", Unix
//! time in seconds or milliseconds) read into a calendar date with the time
//! and zone where given, written back as ISO 8601. What cannot be read for
//! certain ("2 jam yang lalu") stays unknown rather than wrong.

use super::article::Meta;

/// The `extra` key that keeps a date as the source wrote it, when that
/// differs from the normalised one.
pub const RAW_KEY: &str = "date_raw";

/// How to read a numeric date whose first two numbers could both be a day
/// or a month ("05/06/2024").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// 5 June, as Indonesian sites write them.
    #[default]
    DayFirst,
    /// May 6: the source writes month first (one of its dates has a second
    /// number over 12).
    MonthFirst,
}

/// A date read from text: the day is 0 when only a month and year were
/// given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Hour, minute and second, when a time was given.
    pub time: Option<(u8, u8, u8)>,
    /// Whether the seconds were written (they are shown only then).
    pub seconds: bool,
    /// Minutes east of UTC, when the zone was given.
    pub offset: Option<i16>,
}

impl std::fmt::Display for Stamp {
    /// ISO 8601: `2020-11-10`, `2020-11-10T14:05+07:00`, `2020-11`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)?;
        if self.day == 0 {
            return Ok(());
        }
        write!(f, "-{:02}", self.day)?;
        let Some((h, m, s)) = self.time else {
            return Ok(());
        };
        write!(f, "T{h:02}:{m:02}")?;
        if self.seconds {
            write!(f, ":{s:02}")?;
        }
        match self.offset {
            Some(0) => write!(f, "Z"),
            Some(o) => {
                let sign = if o < 0 { '-' } else { '+' };
                write!(f, "{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60)
            }
            None => Ok(()),
        }
    }
}

impl Stamp {
    /// `yyyymmddhhmm` as a number that sorts by time: the wall-clock time
    /// as written (a Unix time as UTC).
    pub fn key(&self) -> u64 {
        let (h, m, _) = self.time.unwrap_or((0, 0, 0));
        let ymd =
            (self.year.max(0) as u64 * 100 + u64::from(self.month)) * 100 + u64::from(self.day);
        (ymd * 100 + u64::from(h)) * 100 + u64::from(m)
    }

    fn from_unix(secs: i64) -> Option<Stamp> {
        let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
        Some(Stamp {
            year: t.year(),
            month: u8::from(t.month()),
            day: t.day(),
            time: Some((t.hour(), t.minute(), t.second())),
            seconds: t.second() != 0,
            offset: Some(0),
        })
    }

    /// A spreadsheet's date: days since 1899-12-30, the fraction the time
    /// of day. No zone: spreadsheets keep the wall clock.
    pub fn from_serial(days: f64) -> Option<Stamp> {
        if !(1.0..2_958_466.0).contains(&days) {
            return None;
        }
        let epoch = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
        let date = epoch.checked_add(time::Duration::days(days.trunc() as i64))?;
        let secs = ((days.fract() * 86_400.0).round() as u32).min(86_399);
        let (h, m, s) = (
            (secs / 3600) as u8,
            (secs / 60 % 60) as u8,
            (secs % 60) as u8,
        );
        Some(Stamp {
            year: date.year(),
            month: u8::from(date.month()),
            day: date.day(),
            time: (secs != 0).then_some((h, m, s)),
            seconds: s != 0,
            offset: None,
        })
    }
}

/// Reads `s` as a date; `None` when it holds no certain one.
pub fn parse(s: &str, order: Order) -> Option<Stamp> {
    let toks = tokens(s);
    if let [Tok::Num { value, digits }] = toks.as_slice() {
        return match digits {
            10 => Stamp::from_unix(*value as i64),
            13 => Stamp::from_unix((*value / 1000) as i64),
            _ => None,
        };
    }
    let small = |i: usize| -> Option<u64> {
        match toks.get(i) {
            Some(Tok::Num {
                value,
                digits: 1 | 2,
            }) => Some(*value),
            _ => None,
        }
    };
    let four = toks.iter().position(|t| {
        matches!(
            t,
            Tok::Num {
                value: 1900..=2100,
                digits: 4
            }
        )
    });
    let Some(y) = four else {
        return short_year(&toks, s);
    };
    let year = num(&toks, y)? as i32;
    let (month, day);
    if let Some(m) = toks.iter().position(|t| matches!(t, Tok::Month(_))) {
        let Some(Tok::Month(n)) = toks.get(m) else {
            return None;
        };
        month = *n;
        // "10 November 2020", "Oktober 19, 2019", "Maret 2021".
        day = m
            .checked_sub(1)
            .and_then(small)
            .or_else(|| small(m + 1).filter(|_| m + 1 != y))
            .unwrap_or(0);
    } else if let (Some(a), Some(b)) = (
        y.checked_sub(2).and_then(small),
        y.checked_sub(1).and_then(small),
    ) {
        (day, month) = match order {
            _ if a > 12 => (a, b),
            _ if b > 12 => (b, a),
            Order::DayFirst => (a, b),
            Order::MonthFirst => (b, a),
        };
    } else if let (Some(a), Some(b)) = (small(y + 1), small(y + 2)) {
        (month, day) = (a, b);
    } else {
        return None;
    }
    if !(1..=12).contains(&month) || day > 31 {
        return None;
    }
    let (month, day) = (month as u8, day as u8);
    if day > 0 {
        let m = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, m, day).ok()?;
    }
    Some(with_clock(year, month, day, s))
}

/// The date with the time and zone `s` gives, if any.
fn with_clock(year: i32, month: u8, day: u8, s: &str) -> Stamp {
    let (time, seconds, offset) = match clock(s) {
        Some((hms, seconds, rest)) => (Some(hms), seconds, zone(rest)),
        None => (None, false, None),
    };
    Stamp {
        year,
        month,
        day,
        time: time.filter(|_| day > 0),
        seconds,
        offset: offset.filter(|_| day > 0),
    }
}

/// `10-Sep-19 17:22`: a day, a month name and a two-digit year, in that
/// order; nothing else with a short year is certain.
fn short_year(toks: &[Tok], s: &str) -> Option<Stamp> {
    let m = toks.iter().position(|t| matches!(t, Tok::Month(_)))?;
    let (
        Some(Tok::Num {
            value: day,
            digits: 1 | 2,
        }),
        Some(Tok::Month(month)),
        Some(Tok::Num {
            value: yy,
            digits: 2,
        }),
    ) = (
        m.checked_sub(1).and_then(|i| toks.get(i)),
        toks.get(m),
        toks.get(m + 1),
    )
    else {
        return None;
    };
    let year = if *yy < 70 { 2000 + *yy } else { 1900 + *yy } as i32;
    let (month, day) = (*month as u8, u8::try_from(*day).ok()?);
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    Some(with_clock(year, month, day, s))
}

/// Which order the numeric dates of one source use: month first when one
/// of them has a second number over 12 and none a first number over 12.
pub fn order_of<'a>(dates: impl Iterator<Item = &'a str>) -> Order {
    let (mut day_first, mut month_first) = (false, false);
    for d in dates {
        let toks = tokens(d);
        if toks.iter().any(|t| matches!(t, Tok::Month(_))) {
            continue;
        }
        let Some(y) = toks
            .iter()
            .position(|t| matches!(t, Tok::Num { digits: 4, .. }))
        else {
            continue;
        };
        if let (
            Some(Tok::Num {
                value: a,
                digits: 1 | 2,
            }),
            Some(Tok::Num {
                value: b,
                digits: 1 | 2,
            }),
        ) = (
            y.checked_sub(2).and_then(|i| toks.get(i)),
            y.checked_sub(1).and_then(|i| toks.get(i)),
        ) {
            day_first |= *a > 12;
            month_first |= *b > 12;
        }
    }
    if month_first && !day_first {
        Order::MonthFirst
    } else {
        Order::DayFirst
    }
}

/// Gives `meta` its date normalised, keeping what was written under
/// [`RAW_KEY`] when it differs; a date that cannot be read stays as
/// written.
pub fn settle(meta: &mut Meta, order: Order) {
    let Some(raw) = meta.date.as_deref() else {
        return;
    };
    let Some(stamp) = parse(raw, order) else {
        return;
    };
    let normal = stamp.to_string();
    if normal != raw {
        meta.extra
            .entry(RAW_KEY.to_owned())
            .or_insert_with(|| raw.to_owned());
        meta.date = Some(normal);
    }
}

/// [`settle`] for the articles of one export: each source's numeric dates
/// in the order that source's dates show (one export often mixes sites
/// that write "10/21/2025" with sites that write "21/10/2025").
pub fn settle_by_source(mut metas: Vec<&mut Meta>) {
    let mut dates: std::collections::HashMap<Option<&str>, Vec<&str>> = Default::default();
    for m in &metas {
        if let Some(d) = m.date.as_deref() {
            dates.entry(m.source.as_deref()).or_default().push(d);
        }
    }
    let orders: std::collections::HashMap<Option<String>, Order> = dates
        .into_iter()
        .map(|(source, ds)| (source.map(str::to_owned), order_of(ds.into_iter())))
        .collect();
    for m in &mut metas {
        let order = orders.get(&m.source).copied().unwrap_or_default();
        settle(m, order);
    }
}

#[derive(Debug)]
enum Tok {
    Num { value: u64, digits: usize },
    Month(u64),
    Other,
}

fn num(toks: &[Tok], i: usize) -> Option<u64> {
    match toks.get(i) {
        Some(Tok::Num { value, .. }) => Some(*value),
        _ => None,
    }
}

const MONTHS: &[(&str, u64)] = &[
    ("januari", 1),
    ("january", 1),
    ("jan", 1),
    ("februari", 2),
    ("pebruari", 2),
    ("february", 2),
    ("feb", 2),
    ("maret", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("agustus", 8),
    ("august", 8),
    ("agu", 8),
    ("agt", 8),
    ("ags", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nopember", 11),
    ("nov", 11),
    ("desember", 12),
    ("december", 12),
    ("des", 12),
    ("dec", 12),
];

fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            let value = s[start..i].parse().unwrap_or(u64::MAX);
            out.push(Tok::Num { value, digits });
        } else if bytes[i].is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word = s[start..i].to_ascii_lowercase();
            out.push(match MONTHS.iter().find(|(n, _)| *n == word) {
                Some(&(_, m)) => Tok::Month(m),
                None => Tok::Other,
            });
        } else {
            i += 1;
        }
    }
    out
}

/// The first `hh:mm` (or `hh:mm:ss`) in `s`, whether it had seconds, and
/// the text after it. A time after an ISO `T` may be written with dashes
/// (`2025-02-15T10-30-00Z`), as some scrapers make file-name-safe stamps.
fn clock(s: &str) -> Option<((u8, u8, u8), bool, &str)> {
    if let Some(found) = dashed_clock(s) {
        return Some(found);
    }
    let b = s.as_bytes();
    let two = |at: usize| -> Option<u8> {
        let d = b.get(at..at + 2)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| (d[0] - b'0') * 10 + (d[1] - b'0'))
    };
    for i in 1..b.len() {
        if b[i] != b':' {
            continue;
        }
        let (h_start, hour) = match i.checked_sub(2).and_then(two) {
            Some(h) => (i - 2, h),
            None if b[i - 1].is_ascii_digit() => (i - 1, b[i - 1] - b'0'),
            None => continue,
        };
        // A digit before the hour makes it part of something else.
        if h_start > 0 && b[h_start - 1].is_ascii_digit() {
            continue;
        }
        let Some(minute) = two(i + 1) else {
            continue;
        };
        if hour > 23 || minute > 59 {
            continue;
        }
        let mut end = i + 3;
        let mut second = None;
        if b.get(end) == Some(&b':') {
            if let Some(sec) = two(end + 1).filter(|&s| s < 60) {
                second = Some(sec);
                end += 3;
                // Fractions of a second are dropped.
                if b.get(end) == Some(&b'.') {
                    end += 1;
                    while b.get(end).is_some_and(u8::is_ascii_digit) {
                        end += 1;
                    }
                }
            }
        }
        return Some((
            (hour, minute, second.unwrap_or(0)),
            second.is_some(),
            &s[end..],
        ));
    }
    None
}

fn dashed_clock(s: &str) -> Option<((u8, u8, u8), bool, &str)> {
    let b = s.as_bytes();
    let t = b.iter().position(|&c| c == b'T')?;
    if t == 0 || !b[t - 1].is_ascii_digit() {
        return None;
    }
    let d = |at: usize| -> Option<u8> {
        let x = b.get(at..at + 2)?;
        x.iter()
            .all(u8::is_ascii_digit)
            .then(|| (x[0] - b'0') * 10 + (x[1] - b'0'))
    };
    let (h, m, sec) = (d(t + 1)?, d(t + 4)?, d(t + 7)?);
    if b.get(t + 3) != Some(&b'-') || b.get(t + 6) != Some(&b'-') || h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some(((h, m, sec), true, &s[t + 9..]))
}

/// The zone written right after a time: `Z`, `+07:00`, `+0700`, or an
/// Indonesian zone name (WIB, WITA, WIT) or UTC/GMT.
fn zone(rest: &str) -> Option<i16> {
    let rest = rest.trim_start();
    let numeric = |s: &str| -> Option<i16> {
        let (sign, digits) = match s.as_bytes().first()? {
            b'+' => (1, &s[1..]),
            b'-' => (-1, &s[1..]),
            _ => return None,
        };
        let d: String = digits
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .filter(char::is_ascii_digit)
            .collect();
        let (h, m) = match d.len() {
            1 | 2 => (d.parse::<i16>().ok()?, 0),
            4 => (d[..2].parse::<i16>().ok()?, d[2..].parse::<i16>().ok()?),
            _ => return None,
        };
        (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
    };
    if let Some(o) = numeric(rest) {
        return Some(o);
    }
    let word: String = rest
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    let base = match word.as_str() {
        "Z" | "UTC" | "GMT" => 0,
        "WIB" => 7 * 60,
        "WITA" => 8 * 60,
        "WIT" => 9 * 60,
        _ => return None,
    };
    // "GMT+7", "UTC +07:00".
    let after = rest[word.len()..].trim_start();
    Some(numeric(after).map_or(base, |o| base + o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_real_sources_write() {
        let day_first: &[(&str, Option<&str>)] = &[
            ("2020-11-16", Some("2020-11-16")),
            (
                "2019-06-05T17:00:01+07:00",
                Some("2019-06-05T17:00:01+07:00"),
            ),
            ("2020-11-16T08:05:00Z", Some("2020-11-16T08:05:00Z")),
            ("2020-11-16T08:05:00.123Z", Some("2020-11-16T08:05:00Z")),
            ("2022-07-24 10:00:00", Some("2022-07-24T10:00:00")),
            ("2022-07-24 10:00", Some("2022-07-24T10:00")),
            ("2022-07-24 10:00:30", Some("2022-07-24T10:00:30")),
            (
                "2021-01-02T03:04:00+0530",
                Some("2021-01-02T03:04:00+05:30"),
            ),
            (
                "Kompas.com - 05/12/2024, 19:34 WIB",
                Some("2024-12-05T19:34+07:00"),
            ),
            (
                "Selasa, 10 November 2020 14:05 WIB",
                Some("2020-11-10T14:05+07:00"),
            ),
            (
                " Selasa, 08 Januari 2019 / 10:30 WIB ",
                Some("2019-01-08T10:30+07:00"),
            ),
            (
                "Senin 11 Mei 2020 23:31 WIB",
                Some("2020-05-11T23:31+07:00"),
            ),
            (
                "Rabu, 3 Juni 2020 08:00 WITA",
                Some("2020-06-03T08:00+08:00"),
            ),
            (
                "Kamis, 4 Juni 2020 - 09:15 WIT",
                Some("2020-06-04T09:15+09:00"),
            ),
            ("Oktober 19, 2019", Some("2019-10-19")),
            ("January 21, 2019", Some("2019-01-21")),
            ("21+January+2019", Some("2019-01-21")),
            ("10/21/2025 20:43", Some("2025-10-21T20:43")),
            ("12-10-2023", Some("2023-10-12")),
            ("05/06/2024", Some("2024-06-05")),
            ("Maret 2021", Some("2021-03")),
            ("1605484800", Some("2020-11-16T00:00Z")),
            ("1591453380000", Some("2020-06-06T14:23Z")),
            (
                "Fri, 05 Jun 2020 12:00:00 GMT",
                Some("2020-06-05T12:00:00Z"),
            ),
            ("10-Sep-19 17:22", Some("2019-09-10T17:22")),
            ("10-Sep-19", Some("2019-09-10")),
            ("2025-02-15T10-30-00Z", Some("2025-02-15T10:30:00Z")),
            ("2025-02-15T10-30", Some("2025-02-15")),
            ("Sep 19", None),
            ("05 Jun 2020 12:00 GMT+7", Some("2020-06-05T12:00+07:00")),
            // Nothing certain: unknown, not wrong.
            ("2 jam yang lalu", None),
            ("kemarin", None),
            ("", None),
            ("31/02/2024", None),
            ("13/13/2024", None),
            ("05/12/24", None),
            ("-", None),
            ("12345", None),
        ];
        for (raw, want) in day_first {
            let got = parse(raw, Order::DayFirst).map(|s| s.to_string());
            assert_eq!(got.as_deref(), *want, "{raw:?}");
        }
        // A source that writes month first, said so.
        let got = parse("05/06/2024 07:00", Order::MonthFirst).map(|s| s.to_string());
        assert_eq!(got.as_deref(), Some("2024-05-06T07:00"));
        // A day over 12 decides whatever the source says.
        let got = parse("25/06/2024", Order::MonthFirst).map(|s| s.to_string());
        assert_eq!(got.as_deref(), Some("2024-06-25"));
    }

    #[test]
    fn the_order_of_a_source() {
        let us = ["10/05/2025 08:00", "10/21/2025 20:43", "-"];
        assert_eq!(order_of(us.into_iter()), Order::MonthFirst);
        let id = ["05/10/2025", "21/10/2025"];
        assert_eq!(order_of(id.into_iter()), Order::DayFirst);
        let mixed = ["13/10/2025", "10/21/2025"];
        assert_eq!(order_of(mixed.into_iter()), Order::DayFirst);
        assert_eq!(order_of(["05/06/2024"].into_iter()), Order::DayFirst);
    }

    #[test]
    fn spreadsheet_serials() {
        let s = |d: f64| Stamp::from_serial(d).map(|s| s.to_string());
        assert_eq!(s(43725.0).as_deref(), Some("2019-09-17"));
        assert_eq!(s(43725.5).as_deref(), Some("2019-09-17T12:00"));
        assert_eq!(s(0.5), None);
        assert_eq!(s(f64::NAN), None);
        assert_eq!(s(1e12), None);
    }

    #[test]
    fn settle_keeps_what_was_written() {
        let mut meta = Meta {
            date: Some("Senin 11 Mei 2020 23:31 WIB".into()),
            ..Meta::default()
        };
        settle(&mut meta, Order::DayFirst);
        assert_eq!(meta.date.as_deref(), Some("2020-05-11T23:31+07:00"));
        assert_eq!(
            meta.extra.get(RAW_KEY).map(String::as_str),
            Some("Senin 11 Mei 2020 23:31 WIB")
        );
        // Settled again (read back from a file baca wrote): unchanged.
        let before = meta.clone();
        settle(&mut meta, Order::DayFirst);
        assert_eq!(meta, before);
        let mut plain = Meta {
            date: Some("2020-05-11".into()),
            ..Meta::default()
        };
        settle(&mut plain, Order::DayFirst);
        assert!(plain.extra.is_empty());
        let mut vague = Meta {
            date: Some("2 jam yang lalu".into()),
            ..Meta::default()
        };
        settle(&mut vague, Order::DayFirst);
        assert_eq!(vague.date.as_deref(), Some("2 jam yang lalu"));
        assert!(vague.extra.is_empty());
    }

    #[test]
    fn each_source_of_an_export_has_its_own_order() {
        let meta = |date: &str, source: &str| Meta {
            date: Some(date.into()),
            source: Some(source.into()),
            ..Meta::default()
        };
        let mut ms = [
            meta("10/05/2025 08:00", "detik"),
            meta("10/21/2025 20:43", "detik"),
            meta("10/05/2025", "kompas"),
            meta("21/10/2025", "kompas"),
        ];
        settle_by_source(ms.iter_mut().collect());
        let got: Vec<&str> = ms.iter().filter_map(|m| m.date.as_deref()).collect();
        assert_eq!(
            got,
            [
                "2025-10-05T08:00",
                "2025-10-21T20:43",
                "2025-05-10",
                "2025-10-21"
            ]
        );
    }

    #[test]
    fn keys_sort_by_time() {
        let k = |s: &str| parse(s, Order::DayFirst).map_or(0, |d| d.key());
        assert!(k("Kompas.com - 05/12/2024, 19:34 WIB") > k("2024-12-05"));
        assert!(k("2024-12-05") > k("21+January+2019"));
        assert!(k("Maret 2021") < k("1 Maret 2021"));
    }
}
