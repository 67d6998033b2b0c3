//! A realistic, deterministic sample inbox: forms in the layouts branches
//! really send (merged cells, moved columns, synonyms, text numbers, two-row
//! headers), ballot registers and one-voter ballots, and a few flawed files.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::forms::Identity;
use crate::layout::{
    self, BRANCH_IDENTITY, BRANCH_SCORING, GROUP_SCORING, Label, NOTE, NUMBER, REGISTER, ROSTER, SINGLE_BALLOT,
    printed, scoring_rows,
};
use crate::output::write_new;
use crate::scheme::{Scheme, Schemes, Source, Subject};
use crate::xlsx::new_workbook;

/// SplitMix64: a dozen lines beat a dependency for reproducible samples.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }
}

const UNITS: &[&str] = &[
    "财政局",
    "税务局",
    "教育局",
    "卫生健康委",
    "交通运输局",
    "自然资源局",
    "生态环境局",
    "住房城乡建设局",
    "农业农村局",
    "商务局",
    "文化旅游局",
    "应急管理局",
    "市场监管局",
    "统计局",
    "医疗保障局",
    "司法局",
];
const PLACES: &[&str] = &["市", "东城区", "西城区", "南湖区", "北山区", "高新区"];

fn parent_name(k: usize) -> String {
    let unit = UNITS[k % UNITS.len()];
    let place = PLACES[(k / UNITS.len()) % PLACES.len()];
    let round = k / (UNITS.len() * PLACES.len());
    let suffix = if round == 0 {
        String::new()
    } else {
        format!("第{}", chinese_number(round + 1))
    };
    format!("{place}{unit}{suffix}机关党委")
}

/// Chinese numerals up to 9999 (一, 十二, 一百零五).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 10 {
        return DIGITS[n].to_string();
    }
    if n < 20 {
        return format!("十{}", if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] });
    }
    let mut out = String::new();
    let mut zero = false;
    for (unit, value) in [("千", 1000), ("百", 100), ("十", 10), ("", 1)] {
        let d = (n / value) % 10;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push_str(DIGITS[d]);
        out.push_str(unit);
    }
    out
}

/// One generated branch.
struct Branch {
    name: String,
    parent: String,
    /// Item scores per indicator: (self, assessed).
    items: Vec<Vec<(f64, f64)>>,
    bonus: f64,
    veto: Vec<bool>,
    /// Quality in `0.0..1.0`, drives the ballots.
    quality: f64,
    /// Tiers the voters lean away from the score (需复核 showcase).
    star_shift: usize,
}

fn half_points(x: f64) -> f64 {
    (x * 2.0).round() / 2.0
}

fn make_branch(scheme: &Scheme, (i, shift): (usize, usize), per_parent: usize, rng: &mut Rng) -> Branch {
    const TARGETS: [f64; 12] = [0.97, 0.93, 0.85, 0.96, 0.90, 0.74, 0.91, 0.66, 0.82, 0.55, 0.94, 0.78];
    let quality = (TARGETS[(i + shift) % TARGETS.len()] + (rng.unit() - 0.5) * 0.04).clamp(0.3, 1.0);
    let parent = parent_name(i / per_parent);
    let unit = parent.trim_end_matches("机关党委");
    let name = format!("{unit}机关第{}党支部", chinese_number(i % per_parent + 1));
    let inflate = i % 12 == 3;
    let items = scheme
        .indicators
        .iter()
        .map(|ind| {
            ind.items
                .iter()
                .map(|item| {
                    let u = (quality + (rng.unit() - 0.5) * 0.12).clamp(0.0, 1.0);
                    let assessed = half_points(item.max * u).min(item.max);
                    let lift = if inflate {
                        item.max
                    } else {
                        assessed + half_points(rng.unit() * 0.6)
                    };
                    (lift.min(item.max), assessed)
                })
                .collect()
        })
        .collect();
    let bonus = if rng.unit() < 0.3 {
        (f64::from(rng.range(1, 6)) * 0.5).min(scheme.bonus.max)
    } else {
        0.0
    };
    let veto = scheme
        .yes_no_items()
        .enumerate()
        .map(|(k, _)| i % 24 == 7 && k == 1)
        .collect();
    Branch {
        name,
        parent,
        items,
        bonus,
        veto,
        quality,
        star_shift: if i % 12 == 4 { 3 } else { 0 },
    }
}

fn border() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

fn title_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center)
}

/// Writes text or a number, as the layout wants.
enum Num {
    Number,
    Text,
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: f64, how: &Num, f: &Format) -> Result<(), XlsxError> {
    match how {
        Num::Number => ws.write_number_with_format(r, c, v, f)?,
        Num::Text => ws.write_string_with_format(r, c, text_number(v), f)?,
    };
    Ok(())
}

/// Numbers the way people type them into text cells: `3.5分`, full-width `４`.
fn text_number(v: f64) -> String {
    let plain = crate::points::fmt_points(v);
    if v.fract() == 0.0 {
        plain
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect()
    } else {
        format!("{plain}分")
    }
}

/// The `n`-th accepted title of a label, as another branch would write it.
fn variant(label: Label, n: usize) -> &'static str {
    label.get(n).copied().unwrap_or(printed(label))
}

/// The scoring form in one of four layouts.
fn scoring_form(scheme: &Scheme, b: &Branch, layout: usize, flaw: bool) -> Result<Workbook, XlsxError> {
    let group = scheme.subject == Subject::Group;
    let form = if group { &GROUP_SCORING } else { &BRANCH_SCORING };
    let (name_label, parent_label) = (printed(form.identity.name), printed(form.identity.parent));
    let title = if group { "考评表" } else { "星级评定评分表" };
    let mut wb = new_workbook(&format!("{}{title}", b.name));
    let ws = wb.add_worksheet().set_name(form.sheet)?;
    let f = border();
    let head = border().set_bold().set_align(FormatAlign::Center);
    // Column order per layout: indicator, standard, max, self, assessed,
    // reason; titles are the accepted ones, the n-th of each column's list.
    let titles = |n: [usize; 6]| {
        let mut k = 0;
        form.columns().map(|label| {
            k += 1;
            variant(label, n[k - 1])
        })
    };
    let (cols, mut labels, num): ([u16; 6], [&str; 6], Num) = match layout {
        0 => ([1, 2, 3, 4, 5, 6], titles([0; 6]), Num::Number),
        1 => ([0, 1, 4, 3, 2, 5], titles([1; 6]), Num::Number),
        2 => ([0, 1, 2, 3, 4, 5], titles([0; 6]), Num::Text),
        _ => ([0, 1, 2, 3, 4, 6], titles([0, 0, 2, 0, 1, 1]), Num::Number),
    };
    if layout == 2 {
        // A title broken over two lines, as typed with Alt+Enter.
        labels[4] = "考核\n得分";
    }
    let mut row: u32 = 3;
    match layout {
        0 => {
            ws.merge_range(0, 0, 0, 6, &format!("{}{title}", b.name), &title_format())?;
            ws.merge_range(1, 0, 1, 3, &format!("{name_label}：{}", b.name), &Format::new())?;
            ws.merge_range(1, 4, 1, 6, &format!("{parent_label}：{}", b.parent), &Format::new())?;
        }
        1 => {
            ws.write_string(0, 0, BRANCH_SCORING.title)?;
            ws.write_string(1, 0, variant(BRANCH_IDENTITY.name, 1))?;
            ws.write_string(1, 1, &b.name)?;
            ws.write_string(1, 3, variant(BRANCH_IDENTITY.parent, 1))?;
            ws.write_string(1, 4, &b.parent)?;
        }
        2 => {
            ws.merge_range(
                0,
                0,
                0,
                5,
                &format!("2026年度 {}星级评定评分表", b.name),
                &title_format(),
            )?;
            ws.write_string(1, 0, format!("{}：{}", variant(BRANCH_IDENTITY.parent, 2), b.parent))?;
            ws.write_string(1, 4, format!("{}：2026年11月", scoring_rows::DATE))?;
        }
        _ => {
            ws.write_string(
                0,
                0,
                format!("{name_label}：{}    {parent_label}：{}", b.name, b.parent),
            )?;
            ws.write_string(1, 0, format!("（请在考核组评定后填写{}）", labels[4]))?;
            // Two-row header: 得分 spans 自评分 and 评定得分 below it.
            for (c, label) in [
                (0, labels[0]),
                (1, labels[1]),
                (2, labels[2]),
                (5, "检查方式"),
                (6, labels[5]),
            ] {
                ws.merge_range(row, c, row + 1, c, label, &head)?;
            }
            ws.merge_range(row, 3, row, 4, "得分", &head)?;
            ws.write_string_with_format(row + 1, 3, labels[3], &head)?;
            ws.write_string_with_format(row + 1, 4, labels[4], &head)?;
            row += 1;
        }
    }
    if layout != 3 {
        if layout == 0 {
            ws.write_string_with_format(row, 0, NUMBER, &head)?;
        }
        for (c, label) in cols.iter().zip(labels) {
            ws.write_string_with_format(row, *c, label, &head)?;
        }
    }
    row += 1;
    let mut sums = (0.0, 0.0);
    let mut seq = 0;
    for (k, ind) in scheme.indicators.iter().enumerate() {
        let display = match layout {
            2 => format!("{}、{}", chinese_number(k + 1), ind.name),
            _ => ind.name.to_string(),
        };
        if ind.source == Source::Ballot {
            if layout == 1 {
                ws.write_string_with_format(row, cols[0], &display, &f)?;
                ws.write_string_with_format(row, cols[1], "由无记名测评票计算", &f)?;
                put(ws, row, cols[2], ind.max, &Num::Number, &f)?;
                row += 1;
            }
            continue;
        }
        let first = row;
        for (j, item) in ind.items.iter().enumerate() {
            let (self_score, assessed) = b.items[k][j];
            seq += 1;
            if layout == 0 {
                ws.write_number_with_format(row, 0, f64::from(seq), &f)?;
            }
            if layout == 1 || j == 0 {
                ws.write_string_with_format(row, cols[0], &display, &f)?;
            }
            ws.write_string_with_format(row, cols[1], &*item.name, &f)?;
            put(ws, row, cols[2], item.max, &num, &f)?;
            put(ws, row, cols[3], self_score, &num, &f)?;
            if flaw && k == 0 && j == 1 {
                ws.write_string_with_format(row, cols[4], "良好", &f)?;
            } else {
                put(ws, row, cols[4], assessed, &num, &f)?;
            }
            if assessed < item.max {
                ws.write_string_with_format(row, cols[5], "材料不齐全", &f)?;
            }
            if layout == 3 {
                ws.write_string_with_format(row, 5, "查阅资料", &f)?;
            }
            sums.0 += self_score;
            sums.1 += assessed;
            row += 1;
        }
        if matches!(layout, 0 | 3) && row - first > 1 {
            ws.merge_range(first, cols[0], row - 1, cols[0], &display, &f)?;
        }
        if layout == 3 {
            row += 1; // a blank row between indicators
        }
    }
    ws.write_string_with_format(row, cols[0], &scheme.bonus.label, &f)?;
    ws.write_string_with_format(row, cols[1], "受上级党组织表彰等（最高3分）", &f)?;
    if b.bonus > 0.0 {
        put(ws, row, cols[3], b.bonus, &num, &f)?;
        put(ws, row, cols[4], b.bonus, &num, &f)?;
    }
    row += 1;
    if layout != 1 {
        ws.write_string_with_format(row, cols[0], printed(scoring_rows::TOTAL), &f)?;
        put(ws, row, cols[3], sums.0, &Num::Number, &f)?;
        put(ws, row, cols[4], sums.1, &Num::Number, &f)?;
        row += 1;
    }
    row += 1;
    if scheme.yes_no_items().next().is_some() {
        ws.write_string_with_format(row, 0, format!("{}事项", scoring_rows::VETO_SECTION), &head)?;
        ws.write_string_with_format(row, 3, printed(scoring_rows::VETO_ANSWER), &head)?;
        row += 1;
    }
    for (k, item) in scheme.yes_no_items().enumerate() {
        ws.merge_range(row, 0, row, 2, item, &f)?;
        let answer = if b.veto[k] { layout::YES } else { layout::NO };
        ws.write_string_with_format(row, 3, printed(answer), &f)?;
        row += 1;
    }
    ws.set_column_width(cols[1], 22)?;
    ws.set_column_width(cols[0], 14)?;
    Ok(wb)
}

/// One voter's answers: a rating per question and a recommended star.
struct Vote {
    ratings: Vec<Option<usize>>,
    over_vote: Option<usize>,
    star: Option<usize>,
}

fn votes(scheme: &Scheme, b: &Branch, rng: &mut Rng) -> Vec<Vote> {
    let n = rng.range(20, 40);
    let questions = scheme.ballot.questions.len();
    let ratings = scheme.ballot.ratings.len();
    (0..n)
        .map(|v| {
            if v % 29 == 28 {
                return Vote {
                    ratings: vec![None; questions],
                    over_vote: None,
                    star: None,
                };
            }
            let rate = |rng: &mut Rng| {
                let x = b.quality + (rng.unit() - 0.5) * 0.5;
                let i = if x > 0.88 {
                    0
                } else if x > 0.7 {
                    1
                } else if x > 0.5 {
                    2
                } else {
                    3
                };
                Some(i.min(ratings - 1))
            };
            let ratings: Vec<Option<usize>> = (0..questions).map(|_| rate(rng)).collect();
            let leaning = b.quality * 100.0 + (rng.unit() - 0.5) * 10.0;
            let star = (scheme.tier_for(leaning).0 + b.star_shift).min(scheme.tiers.len() - 1);
            let over_vote = (v % 17 == 16).then_some(v as usize % questions);
            Vote {
                ratings,
                over_vote,
                star: Some(star),
            }
        })
        .collect()
}

fn register(scheme: &Scheme, b: &Branch, votes: &[Vote], layout: usize, rng: &mut Rng) -> Result<Workbook, XlsxError> {
    let mut wb = new_workbook(&format!("{}测评票登记表", b.name));
    let ws = wb.add_worksheet().set_name("登记表")?;
    let f = border();
    let head = border().set_bold().set_align(FormatAlign::Center);
    let counted = votes.len() as f64;
    let issued = counted + f64::from(rng.range(0, 3));
    let q = scheme.ballot.questions.len() as u16;
    let (seq_col, first_q, star_col) = if layout == 0 { (0, 1, q + 1) } else { (0, 2, 1) };
    if layout == 0 {
        ws.merge_range(
            0,
            0,
            0,
            q + 1,
            &format!("{}无记名民主测评票登记表", b.name),
            &title_format(),
        )?;
        ws.write_string(1, 0, format!("{}：{}", printed(BRANCH_IDENTITY.name), b.name))?;
        ws.write_string(1, 3, format!("{}：{}", printed(BRANCH_IDENTITY.parent), b.parent))?;
        ws.write_string(2, 0, format!("{}：", printed(REGISTER.issued)))?;
        ws.write_number(2, 1, issued)?;
        ws.write_string(2, 3, format!("{}：", printed(REGISTER.returned)))?;
        ws.write_number(2, 4, counted)?;
    } else {
        ws.write_string(0, 0, variant(BRANCH_IDENTITY.name, 2))?;
        ws.write_string(0, 1, &b.name)?;
        ws.write_string(0, 3, printed(BRANCH_IDENTITY.parent))?;
        ws.write_string(0, 4, &b.parent)?;
        ws.write_string(1, 0, printed(REGISTER.issued))?;
        ws.write_string(1, 1, format!("{issued}张"))?;
        ws.write_string(1, 3, printed(REGISTER.returned))?;
        ws.write_number(1, 4, counted)?;
    }
    let header_row = 4;
    ws.write_string_with_format(header_row, seq_col, if layout == 0 { NUMBER } else { "票号" }, &head)?;
    for (k, question) in scheme.ballot.questions.iter().enumerate() {
        let label = if layout == 0 {
            question.clone()
        } else {
            format!("对{question}的评价")
        };
        ws.write_string_with_format(header_row, first_q + k as u16, &label, &head)?;
    }
    ws.write_string_with_format(header_row, star_col, printed(REGISTER.recommended), &head)?;
    for (v, vote) in votes.iter().enumerate() {
        let r = header_row + 1 + v as u32;
        ws.write_number_with_format(r, seq_col, v as f64 + 1.0, &f)?;
        if vote.star.is_none() {
            ws.write_string_with_format(r, first_q, printed(REGISTER.blank), &f)?;
            continue;
        }
        for (k, rating) in vote.ratings.iter().enumerate() {
            let mut text = rating
                .map(|i| scheme.ballot.ratings[i].label.clone())
                .unwrap_or_default();
            if vote.over_vote == Some(k) {
                text = format!("{}、{}", scheme.ballot.ratings[0].label, scheme.ballot.ratings[1].label);
            }
            ws.write_string_with_format(r, first_q + k as u16, &text, &f)?;
        }
        if let Some(s) = vote.star {
            ws.write_string_with_format(r, star_col, &scheme.tiers[s].name, &f)?;
        }
    }
    ws.set_column_width(star_col, 10)?;
    Ok(wb)
}

/// Writes one voter's ballot onto a sheet.
fn single_ballot(ws: &mut Worksheet, scheme: &Scheme, b: &Branch, vote: &Vote) -> Result<(), XlsxError> {
    let f = border();
    let head = border().set_bold().set_align(FormatAlign::Center);
    let ratings = &scheme.ballot.ratings;
    ws.merge_range(
        0,
        0,
        0,
        ratings.len() as u16,
        &format!("{}无记名民主测评票", b.name),
        &title_format(),
    )?;
    ws.write_string(1, 0, format!("{}：{}", printed(BRANCH_IDENTITY.name), b.name))?;
    ws.write_string_with_format(3, 0, printed(SINGLE_BALLOT.question), &head)?;
    for (k, r) in ratings.iter().enumerate() {
        ws.write_string_with_format(3, 1 + k as u16, &r.label, &head)?;
    }
    for (q, question) in scheme.ballot.questions.iter().enumerate() {
        let row = 4 + q as u32;
        ws.write_string_with_format(row, 0, question, &f)?;
        for k in 0..ratings.len() {
            let marked = vote.ratings[q] == Some(k) || (vote.over_vote == Some(q) && k == 0);
            ws.write_string_with_format(row, 1 + k as u16, if marked { "✓" } else { "" }, &f)?;
        }
    }
    let star_row = 5 + scheme.ballot.questions.len() as u32;
    ws.write_string_with_format(star_row, 0, printed(SINGLE_BALLOT.recommended), &head)?;
    for (k, tier) in scheme.tiers.iter().enumerate() {
        ws.write_string_with_format(star_row, 1 + k as u16, &tier.name, &head)?;
        let mark = if vote.star == Some(k) { "√" } else { "" };
        ws.write_string_with_format(star_row + 1, 1 + k as u16, mark, &f)?;
    }
    ws.set_column_width(0, 14)?;
    Ok(())
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英",
];

/// A member roster of 5–20 members, in one of two layouts.
fn roster(scheme: &Scheme, b: &Branch, layout: usize, rng: &mut Rng) -> Result<Workbook, XlsxError> {
    let mut wb = new_workbook(&format!("{}党员星级评定表", b.name));
    let ws = wb.add_worksheet().set_name(ROSTER.sheet)?;
    let f = border();
    let head = border().set_bold().set_align(FormatAlign::Center);
    let aspects = &scheme.indicators;
    ws.merge_range(
        0,
        0,
        0,
        aspects.len() as u16 + 6,
        &format!("{}党员星级评定表（2026年第四季度）", b.name),
        &title_format(),
    )?;
    if layout == 0 {
        ws.write_string(1, 0, format!("{}：{}", printed(BRANCH_IDENTITY.name), b.name))?;
        ws.write_string(1, 5, format!("{}：{}", printed(BRANCH_IDENTITY.parent), b.parent))?;
    } else {
        ws.write_string(1, 0, variant(BRANCH_IDENTITY.name, 1))?;
        ws.write_string(1, 1, &b.name)?;
        ws.write_string(1, 5, variant(BRANCH_IDENTITY.parent, 1))?;
        ws.write_string(1, 6, &b.parent)?;
    }
    let mut header: Vec<String> = vec![NUMBER.into(), printed(ROSTER.name).into()];
    header.extend(aspects.iter().map(|a| a.name.to_string()));
    header.push(scheme.bonus.label.clone());
    if layout == 0 {
        header.push(ROSTER.self_total.into());
    }
    header.extend([
        printed(ROSTER.joint_total).into(),
        printed(ROSTER.veto).into(),
        NOTE.into(),
    ]);
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, h, &head)?;
    }
    let count = rng.range(5, 20) as usize;
    let mut names: Vec<String> = Vec::with_capacity(count);
    while names.len() < count {
        let name = format!(
            "{}{}",
            SURNAMES[rng.range(0, SURNAMES.len() as u32 - 1) as usize],
            GIVEN[rng.range(0, GIVEN.len() as u32 - 1) as usize]
        );
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for (k, name) in names.iter().enumerate() {
        let row = 4 + k as u32;
        // Most members close to their branch, a few well below it.
        let base = if rng.unit() < 0.15 { 0.55 } else { b.quality };
        let scores: Vec<f64> = aspects
            .iter()
            .map(|a| half_points(a.max * (base - 0.04 + (rng.unit() - 0.5) * 0.16).clamp(0.3, 1.0)).min(a.max))
            .collect();
        let bonus = if rng.unit() < 0.2 {
            f64::from(rng.range(1, 5))
        } else {
            0.0
        };
        let vetoed = rng.unit() < 0.02 || (b.name.ends_with("第三党支部") && k == 2);
        let total = (scores.iter().sum::<f64>() + bonus).min(scheme.total_cap);
        ws.write_number_with_format(row, 0, k as f64 + 1.0, &f)?;
        ws.write_string_with_format(row, 1, name, &f)?;
        let mut col = 2;
        for v in &scores {
            ws.write_number_with_format(row, col, *v, &f)?;
            col += 1;
        }
        if bonus > 0.0 {
            ws.write_number_with_format(row, col, bonus, &f)?;
        }
        col += 1;
        if layout == 0 {
            ws.write_number_with_format(row, col, (total + f64::from(rng.range(0, 3))).min(scheme.total_cap), &f)?;
            col += 1;
        }
        ws.write_number_with_format(row, col, total, &f)?;
        ws.write_string_with_format(row, col + 1, if vetoed { printed(layout::YES) } else { "" }, &f)?;
        if vetoed {
            ws.write_string_with_format(row, col + 2, "受到党纪处分", &f)?;
        }
    }
    ws.set_column_width(1, 10)?;
    Ok(wb)
}

/// Generates `branches` branches into `out`; returns the number of files written.
/// Workbooks saved together on all cores.
const SAVE_BATCH: usize = 256;

/// Collects workbooks built in order (the random stream decides their
/// content) and saves them in parallel batches, which is where the time goes.
#[derive(Default)]
struct Saver {
    pending: Vec<(PathBuf, Workbook)>,
    saved: usize,
}

impl Saver {
    fn add(&mut self, path: &Path, wb: Workbook) -> io::Result<()> {
        self.pending.push((path.to_path_buf(), wb));
        if self.pending.len() >= SAVE_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        let batch = std::mem::take(&mut self.pending);
        self.saved += batch.len();
        batch.into_par_iter().try_for_each(|(path, mut wb)| {
            let bytes = wb.save_to_buffer().map_err(io::Error::other)?;
            write_new(&path, &bytes)
        })
    }
}

/// Writes an inbox of `branches` branches (forms, ballots, rosters, a few
/// flawed on purpose) into `out`, the same for the same `seed`; returns the
/// number of files written.
pub fn generate(schemes: &Schemes, branches: usize, seed: u64, out: &Path) -> io::Result<usize> {
    write_inbox(schemes, (branches, 0), seed, out).map(|(written, _)| written)
}

/// The inbox of one round of a series: the same branches (the same names,
/// the same register), each doing better or worse from round to round, so
/// that archived rounds show tiers rising and falling.
pub fn generate_round(
    schemes: &Schemes,
    branches: usize,
    seed: u64,
    out: &Path,
    round: crate::round::Period,
) -> io::Result<usize> {
    let (shift, seed) = of_round(Some(round), seed);
    write_inbox(schemes, (branches, shift), seed, out).map(|(written, _)| written)
}

/// How far a round moves each branch along the quality targets, and its seed.
fn of_round(round: Option<crate::round::Period>, seed: u64) -> (usize, u64) {
    match round {
        None => (0, seed),
        Some(round) => {
            let order = round.order();
            ((order / 1000 * 5 + order % 1000 / 10) as usize, seed ^ u64::from(order))
        }
    }
}

/// [`generate`], and the branch register (支部名册) of the same branches
/// written to `roll`, outside the inbox: a round's register lists every
/// branch, whether or not it sends its forms.
pub fn generate_with_roll(
    schemes: &Schemes,
    (branches, round): (usize, Option<crate::round::Period>),
    seed: u64,
    out: &Path,
    roll: &Path,
) -> io::Result<usize> {
    let (shift, seed) = of_round(round, seed);
    let (written, ids) = write_inbox(schemes, (branches, shift), seed, out)?;
    let mut wb = crate::template::branch_roll(&schemes.branch, &ids).map_err(io::Error::other)?;
    let bytes = wb.save_to_buffer().map_err(io::Error::other)?;
    write_new(roll, &bytes)?;
    Ok(written)
}

/// Writes the inbox; returns the files written and who the branches are.
fn write_inbox(
    schemes: &Schemes,
    (branches, shift): (usize, usize),
    seed: u64,
    out: &Path,
) -> io::Result<(usize, Vec<Identity>)> {
    let scheme = &schemes.branch;
    let mut rng = Rng(seed);
    let per_parent = if branches <= 48 { 4 } else { 8 };
    let mut written = 0;
    let mut pending = Saver::default();
    let with_flaws = branches >= 4;
    let mut generated = Vec::with_capacity(branches);
    for i in 0..branches {
        let b = make_branch(scheme, (i, shift), per_parent, &mut rng);
        let dir = out.join(&b.parent);
        let form = scoring_form(scheme, &b, i % 4, with_flaws && i == 2).map_err(io::Error::other)?;
        let form_path = dir.join(format!("{}评分表.xlsx", b.name));
        if with_flaws && i + 1 == branches {
            // A form cut off in transfer: only the first half of its bytes arrived.
            let mut form = form;
            let bytes = form.save_to_buffer().map_err(io::Error::other)?;
            write_new(&form_path, &bytes[..bytes.len() / 2])?;
            written += 1;
        } else {
            pending.add(&form_path, form)?;
        }
        let votes = votes(scheme, &b, &mut rng);
        if i % 6 == 5 {
            if i == 5 {
                for (v, vote) in votes.iter().enumerate() {
                    let mut wb = new_workbook("测评票");
                    let ws = wb.add_worksheet().set_name("测评票").map_err(io::Error::other)?;
                    single_ballot(ws, scheme, &b, vote).map_err(io::Error::other)?;
                    pending.add(
                        &dir.join(format!("{}测评票", b.name))
                            .join(format!("票{:02}.xlsx", v + 1)),
                        wb,
                    )?;
                }
            } else {
                let mut wb = new_workbook("测评票");
                for (v, vote) in votes.iter().enumerate() {
                    let ws = wb
                        .add_worksheet()
                        .set_name(format!("第{}票", v + 1))
                        .map_err(io::Error::other)?;
                    single_ballot(ws, scheme, &b, vote).map_err(io::Error::other)?;
                }
                pending.add(&dir.join(format!("{}测评票（电子版）.xlsx", b.name)), wb)?;
            }
        } else {
            let wb = register(scheme, &b, &votes, i % 2, &mut rng).map_err(io::Error::other)?;
            pending.add(&dir.join(format!("{}测评票登记表.xlsx", b.name)), wb)?;
        }
        if i == 0 {
            write_new(&dir.join(format!("~${}评分表.xlsx", b.name)), b"\x0cstarsheet")?;
            written += 1;
        }
        generated.push(b);
    }
    // Rosters and party groups come from their own stream, so adding them
    // leaves every branch file exactly as before.
    let mut rng = Rng(seed ^ 0x05EE_D0F0_ACE5);
    for (i, b) in generated.iter().enumerate() {
        let dir = out.join(&b.parent);
        let wb = roster(&schemes.member, b, i % 2, &mut rng).map_err(io::Error::other)?;
        pending.add(&dir.join(format!("{}党员星级评定表.xlsx", b.name)), wb)?;
        if i % 3 == 0 {
            for k in 1..=2 {
                let mut group = make_branch(&schemes.group, (i + k, shift), per_parent, &mut rng);
                group.name = format!("第{}党小组", chinese_number(k));
                group.parent = b.name.clone();
                let wb = scoring_form(&schemes.group, &group, 0, false).map_err(io::Error::other)?;
                pending.add(&dir.join(format!("{}{}考评表.xlsx", b.name, group.name)), wb)?;
            }
        }
    }
    pending.flush()?;
    written += pending.saved;
    write_new(
        &out.join("填报说明.txt"),
        "各支部评分表、测评票登记表请按支部名称命名后报送。\n".as_bytes(),
    )?;
    let ids = generated
        .iter()
        .map(|b| Identity {
            name: b.name.clone(),
            parent: Some(b.parent.clone()),
            code: None,
        })
        .collect();
    Ok((written + 1, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 10, 12, 20, 21, 105, 110, 2026]
            .into_iter()
            .map(chinese_number)
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "十",
                "十二",
                "二十",
                "二十一",
                "一百零五",
                "一百一十",
                "二千零二十六"
            ]
        );
    }

    #[test]
    fn text_numbers_look_typed() {
        assert_eq!(text_number(4.0), "４");
        assert_eq!(text_number(3.5), "3.5分");
    }
}
