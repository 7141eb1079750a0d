//! Dates as a number that sorts by time, so newer articles can come first
//! on ties; the dates themselves are read by `core::date`.

/// `yyyymmddhhmm` as a number, with the parts that could not be read left
/// at zero; 0 when no date was found. Day-first is assumed for numeric
/// dates ("05/12/2024" is 5 December), as Indonesian sites write them (see
/// [`crate::core::date`]).
pub fn date_key(s: &str) -> u64 {
    date::parse(s, date::Order::DayFirst).map_or(0, |d| d.key())
}

use crate::core::date;

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
