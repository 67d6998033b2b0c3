//! Scheme rules of other localities, on forms of one row per indicator:
//! 减分项, weighted parts, and the edges where they meet the tiers.

use crate::common::*;
use starsheet::Evaluation;

/// Tiers every scheme here shares: 五星 90, 四星 80, 三星 70, 二星 60, 一星.
pub const TIERS: &str = r##"
[[tiers]]
name = "五星"
min = 90
stars = 5
color = "#FFD966"

[[tiers]]
name = "四星"
min = 80
stars = 4
color = "#C6E0B4"

[[tiers]]
name = "三星"
min = 70
stars = 3
color = "#BDD7EE"

[[tiers]]
name = "二星"
min = 60
stars = 2
color = "#F8CBAD"

[[tiers]]
name = "一星"
stars = 1
color = "#E2D0EE"
"##;

/// 基础项 (甲 60, 乙 40, 负面清单 deducting up to 20) weighed 70 %,
/// 评议项 (评议 100) weighed 30 %.
pub const WEIGHTED: &str = r#"
name = "加权"
title = "加权方案"
total_cap = 100

[[indicators]]
name = "甲"
max = 60
part = "基础项"

[[indicators]]
name = "乙"
max = 40
part = "基础项"

[[indicators]]
name = "负面清单"
max = 20
negative = true
part = "基础项"

[[indicators]]
name = "评议"
max = 100
part = "评议项"

[[parts]]
name = "基础项"
weight = 0.7

[[parts]]
name = "评议项"
weight = 0.3
"#;

/// A form of one row per indicator: 考评项目 | 分值 | 自评分 | 考核得分,
/// each row's self score the same as its assessed score.
pub fn row_form(name: &str, rows: &[(&str, f64, V)]) -> SheetSpec {
    let mut s = SheetSpec::new("评分表");
    s.set(0, 0, format!("支部名称：{name}").as_str());
    s.set(1, 0, "所属党组织：甲党委");
    for (c, title) in ["考评项目", "分值", "自评分", "考核得分"].iter().enumerate() {
        s.set(3, c as u16, *title);
    }
    for (r, (indicator, max, score)) in rows.iter().enumerate() {
        let row = 4 + r as u32;
        s.set(row, 0, *indicator);
        s.set(row, 1, V::N(*max));
        s.set(row, 2, score.clone());
        s.set(row, 3, score.clone());
    }
    s
}

/// Scores forms with a scheme given as text.
pub fn evaluate_text(scheme: &str, forms: &[SheetSpec]) -> Evaluation {
    let inbox = Inbox::new();
    let path = inbox.file("方案.toml");
    std::fs::write(&path, scheme).unwrap();
    std::fs::create_dir(inbox.file("收件箱")).unwrap();
    for (i, form) in forms.iter().enumerate() {
        write_xlsx(&inbox.file(&format!("收件箱/{i:02}.xlsx")), std::slice::from_ref(form));
    }
    let schemes = starsheet::scheme::Schemes::with_branch(path.to_str().unwrap()).unwrap();
    starsheet::evaluate(&starsheet::Plan::new(inbox.file("收件箱"), schemes)).unwrap()
}

fn weighted(name: &str, a: f64, b: f64, deducted: V, review: f64) -> SheetSpec {
    row_form(
        name,
        &[
            ("甲", 60.0, V::N(a)),
            ("乙", 40.0, V::N(b)),
            ("负面清单", 20.0, deducted),
            ("评议", 100.0, V::N(review)),
        ],
    )
}

#[test]
fn weighted_parts_with_a_deduction_reach_the_tiers_exactly() {
    let scheme = format!("{WEIGHTED}{TIERS}");
    let eval = evaluate_text(
        &scheme,
        &[
            // (60 + 40 − 0) × 0.7 + 100 × 0.3 = 100
            weighted("满分", 60.0, 40.0, V::N(0.0), 100.0),
            // (60 + 40 − 10) × 0.7 + 90 × 0.3 = 63 + 27 = 90: exactly 五星
            weighted("恰好五星", 60.0, 40.0, V::N(10.0), 90.0),
            // The deduction written as −10 deducts the same.
            weighted("负数写法", 60.0, 40.0, V::N(-10.0), 90.0),
            // (50 + 30 − 20) × 0.7 + 70 × 0.3 = 42 + 21 = 63
            weighted("扣满", 50.0, 30.0, V::N(20.0), 70.0),
            // (5 + 5 − 20) floors at 0: 0 × 0.7 + 50 × 0.3 = 15
            weighted("不低于零", 5.0, 5.0, V::N(20.0), 50.0),
        ],
    );
    assert_eq!(problems(&eval), Vec::<String>::new());
    for (name, total, tier_name, basic) in [
        ("满分", 100.0, "五星", 100.0),
        ("恰好五星", 90.0, "五星", 90.0),
        ("负数写法", 90.0, "五星", 90.0),
        ("扣满", 63.0, "二星", 60.0),
        ("不低于零", 15.0, "一星", 0.0),
    ] {
        let b = branch(&eval, name);
        assert_eq!(b.total, Some(total), "{name}");
        assert_eq!(tier(&eval, name), tier_name, "{name}");
        assert_eq!(b.parts[0].score, basic, "{name}");
        assert!(b.indicators[2].negative && b.indicators[2].medal.is_none());
    }
    assert_eq!(branch(&eval, "负数写法").indicators[2].score, 10.0);
}

#[test]
fn a_deduction_above_its_cap_is_an_error_at_its_cell() {
    let scheme = format!("{WEIGHTED}{TIERS}");
    let eval = evaluate_text(&scheme, &[weighted("一支部", 60.0, 40.0, V::N(25.0), 90.0)]);
    assert_eq!(
        problems(&eval),
        [
            "[警告] 00.xlsx › 评分表 › C7：自评分 25 超过该项满分 20（自评分不影响评定结果）",
            "[错误] 00.xlsx › 评分表 › D7：考核得分 25 超过该项满分 20"
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "待核实");
}

#[test]
fn a_deduction_without_parts_subtracts_from_the_total() {
    let scheme = format!(
        "{}{TIERS}",
        WEIGHTED
            .replace("part = \"基础项\"\n", "")
            .replace("part = \"评议项\"\n", "")
            .split("[[parts]]")
            .next()
            .unwrap()
            .replace("total_cap = 100", "total_cap = 200")
    );
    let eval = evaluate_text(&scheme, &[weighted("一支部", 60.0, 40.0, V::N(5.0), 50.0)]);
    assert_eq!(problems(&eval), Vec::<String>::new());
    // 60 + 40 − 5 + 50
    assert_eq!(branch(&eval, "一支部").total, Some(145.0));
    assert!(branch(&eval, "一支部").parts.is_empty());
}
