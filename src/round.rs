//! Which rating round a run is: the period it rates (a year, a half-year, a
//! quarter) and, when given, the date it was decided.
//!
//! Rounds are compared across runs, so a label is parsed into a [`Period`]
//! rather than kept as free text: `2026Q3` and `2026年第三季度` are one round.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::grid::half_width;

/// The period a round rates; ordered by when it ends, the shorter first
/// (the fourth quarter, the second half, then the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A year (年度).
    Year(u16),
    /// A half-year: 1 or 2 (上半年, 下半年).
    Half(u16, u8),
    /// A quarter: 1 to 4.
    Quarter(u16, u8),
}

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

impl Period {
    /// Reads `2026年度`, `2026`, `2026H1`, `2026年上半年`, `2026Q3`,
    /// `2026年第三季度`, `2026年3季度`; the error says what to write instead.
    pub fn parse(text: &str) -> Result<Period, String> {
        let t: String = half_width(text).chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.to_uppercase();
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let year = t
            .get(..digits)
            .filter(|_| digits == 4)
            .and_then(|y| y.parse::<u16>().ok())
            .filter(|y| (1949..=2199).contains(y));
        let rest = t.get(digits..).unwrap_or_default();
        let rest = rest.strip_prefix('年').unwrap_or(rest);
        let period = year.and_then(|y| match rest {
            "" | "度" | "年度" | "全年" => Some(Period::Year(y)),
            "H1" | "上半年" => Some(Period::Half(y, 1)),
            "H2" | "下半年" => Some(Period::Half(y, 2)),
            _ => {
                let q = rest.strip_prefix('Q').or_else(|| {
                    let r = rest.strip_prefix('第').unwrap_or(rest);
                    r.strip_suffix("季度")
                })?;
                let n = QUARTERS
                    .iter()
                    .position(|c| *c == q)
                    .map(|i| i + 1)
                    .or_else(|| q.parse::<usize>().ok())
                    .filter(|n| (1..=4).contains(n))?;
                u8::try_from(n).ok().map(|n| Period::Quarter(y, n))
            }
        });
        period.ok_or_else(|| "请写成 2026年度、2026年上半年（2026H1）或 2026年第三季度（2026Q3）".to_string())
    }

    /// Year, last month and length rank: the order of periods.
    fn key(self) -> (u16, u8, u8) {
        match self {
            Period::Quarter(y, q) => (y, q * 3, 0),
            Period::Half(y, h) => (y, h * 6, 1),
            Period::Year(y) => (y, 12, 2),
        }
    }

    /// The month the period ends, counted from year 0: months between
    /// two rounds are the difference.
    pub fn end_month(self) -> u32 {
        let (year, month, _) = self.key();
        u32::from(year) * 12 + u32::from(month)
    }

    /// The label on two lines, the year first, for a narrow column's
    /// heading: `2026年` / `第三季度`, `2026` / `年度`.
    pub fn heading(self) -> String {
        match self {
            Period::Year(y) => format!("{y}\n年度"),
            _ => self.to_string().replacen('年', "年\n", 1),
        }
    }

    /// A number ordered as the periods are, for storing.
    pub fn order(self) -> u32 {
        let (year, month, rank) = self.key();
        u32::from(year) * 1000 + u32::from(month) * 10 + u32::from(rank)
    }

    /// Whether both rate a period of the same length (two years, two quarters).
    pub fn same_length(self, other: Period) -> bool {
        self.key().2 == other.key().2
    }

    /// The year rated.
    pub fn year(self) -> u16 {
        match self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) => y,
        }
    }

    /// A short code for files and records: `2026`, `2026H1`, `2026Q3`.
    pub fn code(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Half(y, h) => format!("{y}H{h}"),
            Period::Quarter(y, q) => format!("{y}Q{q}"),
        }
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Period) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Period) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// The period as printed: `2026年度`, `2026年上半年`, `2026年第三季度`.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}年度"),
            Period::Half(y, 1) => write!(f, "{y}年上半年"),
            Period::Half(y, _) => write!(f, "{y}年下半年"),
            Period::Quarter(y, q) => {
                let name = QUARTERS.get(usize::from(q).saturating_sub(1)).unwrap_or(&"");
                write!(f, "{y}年第{name}季度")
            }
        }
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// Reads `2026-12-01`, `2026/12/1`, `2026.12.1`, `2026年12月1日` or `20261201`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let t: String = half_width(text).chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.strip_suffix('日').unwrap_or(&t);
        let parts: Vec<&str> = match t.split(['-', '/', '.', '年', '月']).collect::<Vec<_>>() {
            one if one.len() == 1 && t.len() == 8 => vec![
                t.get(..4).unwrap_or(""),
                t.get(4..6).unwrap_or(""),
                t.get(6..).unwrap_or(""),
            ],
            parts => parts,
        };
        let date = match parts.as_slice() {
            [y, m, d] => y.parse().ok().zip(m.parse().ok()).zip(d.parse().ok()),
            _ => None,
        }
        .and_then(|((year, month), day): ((i16, i8), i8)| jiff::civil::Date::new(year, month, day).ok())
        .filter(|d| (1949..=2199).contains(&d.year()));
        date.map(Date)
            .ok_or_else(|| "请写成 2026-12-01 或 2026年12月1日这样的日期".to_string())
    }

    /// The date `days` later.
    pub fn plus_days(self, days: u32) -> Date {
        let span = jiff::Span::new().days(i64::from(days));
        Date(self.0.checked_add(span).unwrap_or(self.0))
    }

    /// `2026-12-01`, for records.
    pub fn iso(self) -> String {
        self.0.to_string()
    }
}

/// The date as printed: `2026年12月1日`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }
}

/// A rating round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// The period rated.
    pub period: Period,
    /// The date the round was decided, when given.
    pub date: Option<Date>,
}

/// A round as results.json records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRecord {
    /// `2026`, `2026H1` or `2026Q3`.
    pub period: String,
    /// As printed: `2026年度`.
    pub label: String,
    /// `2026-12-01`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Round {
    /// The round as results.json records it.
    pub fn record(&self) -> RoundRecord {
        RoundRecord {
            period: self.period.code(),
            label: self.period.to_string(),
            date: self.date.map(Date::iso),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_staff_write_them() {
        for (text, period) in [
            ("2026年度", Period::Year(2026)),
            ("2026", Period::Year(2026)),
            ("２０２６年", Period::Year(2026)),
            ("2026H1", Period::Half(2026, 1)),
            ("2026年下半年", Period::Half(2026, 2)),
            ("2026Q3", Period::Quarter(2026, 3)),
            ("2026q4", Period::Quarter(2026, 4)),
            ("2026年第三季度", Period::Quarter(2026, 3)),
            ("2026年一季度", Period::Quarter(2026, 1)),
            ("2026年第2季度", Period::Quarter(2026, 2)),
        ] {
            assert_eq!(Period::parse(text), Ok(period), "{text}");
        }
        for bad in ["2026Q5", "26年度", "2026年第五季度", "去年", "2026H3"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Period::Quarter(2026, 3).to_string(), "2026年第三季度");
        assert_eq!(Period::Half(2026, 1).to_string(), "2026年上半年");
        assert_eq!(Period::Year(2026).code(), "2026");
        assert!(Period::Year(2025) < Period::Quarter(2026, 1));
        assert!(Period::Quarter(2026, 2) < Period::Half(2026, 1));
        assert!(Period::Half(2026, 2) < Period::Year(2026));
        assert!(Period::Year(2026) < Period::Quarter(2027, 1));
    }

    #[test]
    fn dates_read_and_count_days() {
        let d = Date::parse("2026-12-01").unwrap();
        assert_eq!(Date::parse("2026年12月1日"), Ok(d));
        assert_eq!(Date::parse("2026/12/1"), Ok(d));
        assert_eq!(Date::parse("20261201"), Ok(d));
        assert_eq!(d.to_string(), "2026年12月1日");
        assert_eq!(d.plus_days(30).to_string(), "2026年12月31日");
        assert_eq!(d.plus_days(31).iso(), "2027-01-01");
        assert_eq!(Date::parse("2028-02-28").unwrap().plus_days(1).iso(), "2028-02-29");
        assert_eq!(Date::parse("2026-02-28").unwrap().plus_days(1).iso(), "2026-03-01");
        for bad in ["2026-02-29", "2026-13-01", "2026-12", "明天"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }
}
