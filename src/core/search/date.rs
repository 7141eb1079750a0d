//! Reads the free-form dates articles carry ("2020-11-16", "Kompas.com -
//! 05/12/2024, 19:34 WIB", "Selasa, 08 Januari 2019 / 10:30 WIB",
//! "21+January+2019", a Unix time) into a number that sorts by time, so
//! newer articles can come first on ties.

/// `yyyymmddhhmm` as a number, with the parts that could not be read left
/// at zero; 0 when no year was found. Day-first is assumed for numeric
/// dates ("05/12/2024" is 5 December), as Indonesian sites write them.
pub fn date_key(s: &str) -> u64 {
    let toks = tokens(s);
    if let [Tok::Num { value, digits }] = toks.as_slice() {
        match digits {
            10 => return from_unix(*value as i64),
            13 => return from_unix(*value as i64 / 1000),
            _ => {}
        }
    }
    let Some(y) = toks.iter().position(|t| {
        matches!(
            t,
            Tok::Num {
                value: 1900..=2100,
                digits: 4
            }
        )
    }) else {
        return 0;
    };
    let year = num(&toks, y).unwrap_or(0);
    let small = |i: usize| -> Option<u64> {
        match toks.get(i) {
            Some(Tok::Num {
                value,
                digits: 1 | 2,
            }) => Some(*value),
            _ => None,
        }
    };
    let (mut month, mut day) = (0, 0);
    if let Some(m) = toks.iter().position(|t| matches!(t, Tok::Month(_))) {
        if let Some(Tok::Month(n)) = toks.get(m) {
            month = *n;
        }
        day = m
            .checked_sub(1)
            .and_then(small)
            .or_else(|| small(m + 1))
            .unwrap_or(0);
    } else if let (Some(a), Some(b)) = (
        y.checked_sub(2).and_then(small),
        y.checked_sub(1).and_then(small),
    ) {
        (day, month) = (a, b);
        if month > 12 && day <= 12 {
            (day, month) = (month, day);
        }
    } else if let (Some(a), Some(b)) = (small(y + 1), small(y + 2)) {
        (month, day) = (a, b);
    }
    if !(1..=12).contains(&month) {
        month = 0;
    }
    if !(1..=31).contains(&day) {
        day = 0;
    }
    let (hour, minute) = time(s);
    (((year * 100 + month) * 100 + day) * 100 + hour) * 100 + minute
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

/// The first "hh:mm" in `s`, or (0, 0).
fn time(s: &str) -> (u64, u64) {
    let b = s.as_bytes();
    let value = |d: &[u8]| d.iter().fold(0u64, |v, c| v * 10 + u64::from(c - b'0'));
    for i in 1..b.len() {
        if b[i] != b':' {
            continue;
        }
        let h_start = if i >= 2 && b[i - 2].is_ascii_digit() {
            i - 2
        } else {
            i - 1
        };
        let hour = &b[h_start..i];
        let Some(minute) = b.get(i + 1..i + 3) else {
            continue;
        };
        if hour.iter().chain(minute).all(u8::is_ascii_digit) {
            let (h, m) = (value(hour), value(minute));
            if h < 24 && m < 60 {
                return (h, m);
            }
        }
    }
    (0, 0)
}

/// A Unix time in seconds as a key (UTC).
fn from_unix(secs: i64) -> u64 {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u64;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u64;
    (((y * 100 + m) * 100 + d) * 100 + rem / 3600) * 100 + rem % 3600 / 60
}

#[cfg(test)]
// Keys are written yyyy_mm_dd_hhmm, as they read.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::date_key;

    #[test]
    fn reads_the_forms_met_in_the_wild() {
        assert_eq!(date_key("2020-11-16"), 2020_11_16_0000);
        assert_eq!(date_key("2020-11-16T08:05:00Z"), 2020_11_16_0805);
        assert_eq!(
            date_key("Kompas.com - 05/12/2024, 19:34 WIB"),
            2024_12_05_1934
        );
        assert_eq!(
            date_key(" Selasa, 08 Januari 2019 / 10:30 WIB "),
            2019_01_08_1030
        );
        assert_eq!(date_key("21+January+2019"), 2019_01_21_0000);
        assert_eq!(date_key("January 21, 2019"), 2019_01_21_0000);
        assert_eq!(date_key("12-10-2023"), 2023_10_12_0000);
        assert_eq!(date_key("12/31/2023"), 2023_12_31_0000);
        assert_eq!(date_key("1605484800"), 2020_11_16_0000);
        assert_eq!(date_key("Maret 2021"), 2021_03_00_0000);
        assert_eq!(date_key("kemarin"), 0);
        assert_eq!(date_key(""), 0);
    }

    #[test]
    fn sorts_by_time() {
        assert!(date_key("Kompas.com - 05/12/2024, 19:34 WIB") > date_key("2024-12-05"));
        assert!(date_key("2024-12-05") > date_key("21+January+2019"));
    }
}
