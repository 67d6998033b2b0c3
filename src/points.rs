//! Point arithmetic: exact threshold comparison and display formatting.
//!
//! Scores are plain `f64`. Sums of decimal scores drift in binary floating
//! point (`0.1 + 0.2 != 0.3`), which could put a branch whose items add up to
//! exactly 95 just below the 五星 threshold. Values are therefore snapped to
//! 1e-9 before comparison: this removes binary noise but keeps every
//! difference a form or a ballot mean can express, so 94.99 stays below 95.

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

/// Removes binary floating-point noise from a sum of decimal scores.
pub fn snap(x: f64) -> f64 {
    // Past 1e15 there is no fraction left to snap, and scaling would overflow.
    if !x.is_finite() || x.abs() >= 1e15 {
        return x;
    }
    let snapped = (x * 1e9).round() / 1e9;
    if snapped == 0.0 { 0.0 } else { snapped }
}

/// Whether `value` reaches `threshold` (inclusive), compared unrounded.
pub fn reaches(value: f64, threshold: f64) -> bool {
    snap(value) >= snap(threshold)
}

/// Whether two point values are equal once floating-point noise is removed.
pub fn same(a: f64, b: f64) -> bool {
    snap(a) == snap(b)
}

/// Formats points for messages: at most two decimals, no trailing zeros;
/// a number far beyond any score in powers of ten (`1e308`).
pub fn fmt_points(x: f64) -> String {
    if !x.is_finite() {
        return "（无效数值）".to_string();
    }
    if x.abs() >= 1e12 {
        return format!("{x:e}");
    }
    let s = format!("{:.2}", snap(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// The decimals [`fmt_points`] shows for `x`, to print it as a number alike.
pub fn shown_decimals(x: f64) -> usize {
    fmt_points(x).split_once('.').map_or(0, |(_, d)| d.len())
}

/// Formats a share in `0.0..=1.0` as a percentage with one decimal.
pub fn fmt_percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_sums_reach_their_exact_threshold() {
        let sum: f64 = [19.1, 19.3, 18.7, 18.9, 19.0].iter().sum();
        assert!(reaches(sum, 95.0), "{sum} should count as 95");
        assert!(!reaches(94.99, 95.0));
        assert!(reaches(95.0, 95.0));
    }

    #[test]
    fn points_are_formatted_without_noise() {
        assert_eq!(fmt_points(18.0), "18");
        assert_eq!(fmt_points(17.5), "17.5");
        assert_eq!(fmt_points(17.333_333), "17.33");
        assert_eq!(fmt_points(0.1 + 0.2), "0.3");
        assert_eq!(fmt_points(-0.0), "0");
        assert_eq!(fmt_percent(0.8126), "81.3%");
        assert_eq!(fmt_points(1e308), "1e308");
        assert_eq!(fmt_points(-2.5e15), "-2.5e15");
        assert_eq!(fmt_points(f64::INFINITY), "（无效数值）");
        assert_eq!(snap(1e308), 1e308);
    }
}
