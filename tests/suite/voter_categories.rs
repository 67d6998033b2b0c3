//! Voter categories (党员, 群众代表…) weighed in the ballot score: read from
//! a register column or a sheet's `测评人类别：`, averaged apart, weighed,
//! and withheld together when one category has too few ballots to stay
//! anonymous.

use crate::common::*;
use crate::local_rules::{TIERS, evaluate_text, outputs_of, row_form};
use starsheet::scheme::Scheme;

/// 甲 80 points from the form, 群众评价 20 from one ballot question;
/// 党员 weigh 0.6, 群众代表 (also written 群众) 0.4; three ballots are
/// enough to show a category's figures.
const CATEGORIES: &str = r#"
name = "分类测评"
title = "分类测评方案"
total_cap = 100

[[indicators]]
name = "甲"
max = 80

[[indicators]]
name = "群众评价"
max = 20
source = "ballot"

[ballot]
questions = ["总体评价"]
min_valid = 3
categories = [
  { name = "党员", weight = 0.6 },
  { name = "群众代表", weight = 0.4, aliases = ["群众"] },
]
"#;

fn scheme_text() -> String {
    format!("{CATEGORIES}{TIERS}")
}

fn form(name: &str, score: f64) -> SheetSpec {
    row_form(name, &[("甲", 80.0, V::N(score))])
}

/// A register of (测评人类别, 总体评价, 推荐星级) rows; a `None` category
/// leaves the column out.
fn register(name: &str, rows: &[(Option<&str>, &str)]) -> SheetSpec {
    let mut s = SheetSpec::new("登记表");
    s.set(0, 0, format!("支部名称：{name}").as_str());
    let with_column = rows.iter().any(|(c, _)| c.is_some());
    let first = u16::from(with_column) + 1;
    s.set(2, 0, "序号");
    if with_column {
        s.set(2, 1, "测评人类别");
    }
    s.set(2, first, "总体评价");
    s.set(2, first + 1, "推荐星级");
    for (i, (category, rating)) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        s.set(row, 0, (i + 1) as f64);
        if let Some(c) = category {
            s.set(row, 1, *c);
        }
        s.set(row, first, *rating);
        s.set(row, first + 1, "四星");
    }
    s
}

/// A tally of one category: `测评人类别：{category}` above the counts.
fn tally(name: &str, category: &str, counts: [f64; 4]) -> SheetSpec {
    let mut s = SheetSpec::new("汇总");
    s.set(0, 0, format!("支部名称：{name}").as_str());
    s.set(1, 0, format!("测评人类别：{category}").as_str());
    for (c, title) in ["测评项目", "好", "较好", "一般", "差"].iter().enumerate() {
        s.set(2, c as u16, *title);
    }
    s.set(3, 0, "总体评价");
    for (c, n) in counts.iter().enumerate() {
        s.set(3, c as u16 + 1, V::N(*n));
    }
    s
}

/// 党员: four 好 (mean 1.0, rate 100 %); 群众代表: three 一般 and one 差
/// (mean 0.45, rate 0 %), one of them written 群众.
const MIXED: [(Option<&str>, &str); 8] = [
    (Some("党员"), "好"),
    (Some("群众代表"), "一般"),
    (Some("党员"), "好"),
    (Some("群众"), "一般"),
    (Some("党员"), "好"),
    (Some("群众代表"), "差"),
    (Some("党员"), "好"),
    (Some("群众代表"), "一般"),
];

#[test]
fn categories_are_averaged_apart_and_weighed() {
    let eval = evaluate_text(&scheme_text(), &[form("一支部", 75.0), register("一支部", &MIXED)]);
    assert_eq!(problems(&eval), Vec::<String>::new());
    let one = branch(&eval, "一支部");
    // 0.6 × 1.0 + 0.4 × 0.45 = 0.78 of 20 points: 15.6, total 90.6, 五星.
    // Every ballot alike would give 0.725: 14.5, total 89.5, 四星.
    let ballot = &one.indicators[1];
    assert!((ballot.score - 15.6).abs() < 1e-9, "{}", ballot.score);
    assert!((one.total.unwrap() - 90.6).abs() < 1e-9);
    assert_eq!(tier(&eval, "一支部"), "五星");
    let stats = one.ballots.as_deref().unwrap();
    assert_eq!((stats.counted, stats.valid), (8, 8));
    let detail = stats.detail.as_ref().unwrap();
    assert!(
        (detail.satisfaction.unwrap() - 0.6).abs() < 1e-12,
        "0.6 × 100 % + 0.4 × 0 %"
    );
    assert_eq!(detail.questions[0].counts, vec![4, 0, 3, 1], "the counts stay pooled");
    let by: Vec<String> = stats
        .categories
        .iter()
        .map(|c| {
            format!(
                "{} {} {:.4} {:.4}",
                c.name,
                c.valid,
                c.mean.unwrap(),
                c.satisfaction.unwrap()
            )
        })
        .collect();
    assert_eq!(by, ["党员 4 1.0000 1.0000", "群众代表 4 0.4500 0.0000"]);
}

#[test]
fn one_tally_per_category_is_one_register_in_parts() {
    let eval = evaluate_text(
        &scheme_text(),
        &[
            form("一支部", 75.0),
            tally("一支部", "党员", [4.0, 0.0, 0.0, 0.0]),
            tally("一支部", "群众", [0.0, 0.0, 3.0, 1.0]),
        ],
    );
    assert_eq!(problems(&eval), Vec::<String>::new());
    let one = branch(&eval, "一支部");
    assert!((one.indicators[1].score - 15.6).abs() < 1e-9);
    assert_eq!(tier(&eval, "一支部"), "五星");

    // Two tallies of one category are still two registers of one branch.
    let eval = evaluate_text(
        &scheme_text(),
        &[
            form("二支部", 75.0),
            tally("二支部", "党员", [4.0, 0.0, 0.0, 0.0]),
            tally("二支部", "党员", [0.0, 0.0, 3.0, 1.0]),
        ],
    );
    assert_eq!(tier(&eval, "二支部"), "待核实");
    assert!(
        messages(&eval)
            .iter()
            .any(|m| m.contains("[错误] 02.xlsx › 汇总：") && m.contains("二支部")),
        "{:#?}",
        messages(&eval)
    );
}

#[test]
fn a_category_under_the_minimum_withholds_every_figure_but_still_counts() {
    // 群众代表: two ballots (一般, 差), under the minimum of three.
    let rows = [
        (Some("党员"), "好"),
        (Some("党员"), "好"),
        (Some("党员"), "好"),
        (Some("党员"), "好"),
        (Some("群众代表"), "一般"),
        (Some("群众代表"), "差"),
    ];
    let eval = evaluate_text(&scheme_text(), &[form("一支部", 75.0), register("一支部", &rows)]);
    let one = branch(&eval, "一支部");
    // 0.6 × 1.0 + 0.4 × 0.3 = 0.72 of 20: 14.4, total 89.4, 四星.
    assert!((one.indicators[1].score - 14.4).abs() < 1e-9);
    assert_eq!(tier(&eval, "一支部"), "四星");
    let stats = one.ballots.as_deref().unwrap();
    assert!(
        stats.withheld(),
        "党员 4 and the total 6 alone would tell 群众代表's answers"
    );
    let kept: Vec<(&str, u32, Option<f64>, Option<f64>)> = stats
        .categories
        .iter()
        .map(|c| (c.name.as_str(), c.valid, c.mean, c.satisfaction))
        .collect();
    assert_eq!(kept, vec![("党员", 4, None, None), ("群众代表", 2, None, None)]);
    assert_eq!(
        problems(&eval),
        vec![
            "[警告] 01.xlsx › 登记表：「群众代表」的有效测评票仅 2 张，少于 3 张：为保护测评人匿名，各输出不列该支部的分项统计、满意率和议星结果（各类别只列有效票数）；群众评价仍按全部测评票计分"
        ]
    );
    let json = serde_json::to_string(&one.ballots).unwrap();
    assert!(!json.contains("\"mean\":1") && !json.contains("0.3"), "{json}");
}

#[test]
fn a_missing_category_shares_its_weight_out() {
    let rows = [(Some("党员"), "好"), (Some("党员"), "较好"), (Some("党员"), "好")];
    let eval = evaluate_text(&scheme_text(), &[form("一支部", 70.0), register("一支部", &rows)]);
    let one = branch(&eval, "一支部");
    // 党员 alone: (1 + 0.8 + 1) / 3 of 20 = 18.666…, total 88.67, 四星.
    assert!((one.indicators[1].score - 20.0 * 2.8 / 3.0).abs() < 1e-9);
    assert_eq!(
        problems(&eval),
        vec![
            "[警告] 01.xlsx › 登记表：没有「群众代表」的有效测评票：群众评价只按收到的类别计算，其余类别的权重按比例折算"
        ]
    );
}

#[test]
fn ballots_that_do_not_say_who_voted_hold_the_branch_back() {
    let mut unknown = MIXED;
    unknown[5] = (Some("职工"), "差");
    let mut missing = MIXED;
    missing[2] = (None, "好");
    let no_column: Vec<(Option<&str>, &str)> = MIXED.iter().map(|(_, r)| (None, *r)).collect();
    let eval = evaluate_text(
        &scheme_text(),
        &[
            form("一支部", 75.0),
            register("一支部", &unknown),
            form("二支部", 75.0),
            register("二支部", &missing),
            form("三支部", 75.0),
            register("三支部", &no_column),
        ],
    );
    for name in ["一支部", "二支部", "三支部"] {
        assert_eq!(tier(&eval, name), "待核实", "{name}");
    }
    let all = messages(&eval);
    let expected = [
        "[错误] 01.xlsx › 登记表 › B9：测评人类别「职工」不是评星方案中的类别（党员、群众代表），无法按类别计权，该支部列为待核实；请改写为方案中的类别，或在方案的 [ballot] categories 中为该类别加上 aliases",
        "[错误] 03.xlsx › 登记表 › B6：这张测评票没有填写测评人类别，无法按类别计权，该支部列为待核实",
        "[错误] 05.xlsx › 登记表：评星方案按测评人类别（党员、群众代表）计权，本表既没有「测评人类别」列，也没有注明「测评人类别：…」，测评票无法计权，该支部列为待核实",
    ];
    for e in expected {
        assert!(all.iter().any(|m| m == e), "{e}\n{all:#?}");
    }
    // Outside the terminal a row's problem loses its cell.
    let written: Vec<String> = eval.issues.iter().map(|i| i.for_output().to_string()).collect();
    assert!(written.iter().any(|m| m
        == "[错误] 01.xlsx › 登记表：支部「一支部」有测评票的测评人类别不是评星方案中的类别（党员、群众代表），无法按类别计权，该支部列为待核实（为保护匿名，具体位置只在终端显示）"));
    assert!(!written.iter().any(|m| m.contains("B9") || m.contains("B6")));
}

#[test]
fn outputs_show_each_category_and_the_weighted_rate() {
    let inbox = outputs_of(&scheme_text(), &[form("一支部", 75.0), register("一支部", &MIXED)]);
    let out = inbox.file("结果");
    let stats = read_sheet(&out.join("汇总排名.xlsx"), "测评统计");
    assert_eq!(&stats[0][8..12], ["党员", "", "群众代表", ""]);
    assert_eq!(&stats[1][8..12], ["有效票", "满意率", "有效票", "满意率"]);
    assert_eq!(
        &stats[2][..12],
        ["一支部", "甲党委", "已评定", "", "", "8", "0", "8", "4", "1", "4", "0"]
    );
    assert!(stats[0].iter().any(|h| h == "加权满意率"), "{:?}", stats[0]);
    let feedback = read_sheet(&out.join("反馈/甲党委/一支部.xlsx"), "测评情况");
    let rows: Vec<String> = feedback.iter().map(|r| r.join("|")).collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("测评人类别|权重|登记票数|有效票|满意率")),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| r.starts_with("党员|0.6|4|4|1|")), "{rows:#?}");
    assert!(rows.iter().any(|r| r.starts_with("群众代表|0.4|4|4|0|")), "{rows:#?}");
    let scheme_sheet = read_sheet(&out.join("汇总排名.xlsx"), "评星方案");
    let rows: Vec<String> = scheme_sheet.iter().map(|r| r.join("|")).collect();
    assert!(rows.iter().any(|r| r.starts_with("群众代表|0.4|群众")), "{rows:#?}");
}

#[test]
fn category_rules_are_checked_at_load() {
    let bad = |from: &str, to: &str| {
        let text = scheme_text().replace(from, to);
        Scheme::parse(&text, "分类.toml").unwrap_err().to_string()
    };
    assert_eq!(
        bad("weight = 0.4", "weight = 0"),
        "评星方案 分类.toml 中 ballot.categories[1]（群众代表）.weight 有误：权重必须是大于 0 的数"
    );
    assert_eq!(
        bad("aliases = [\"群众\"]", "aliases = [\"党员\"]"),
        "评星方案 分类.toml 中 ballot.categories[1]（群众代表） 有误：类别名称「党员」重复"
    );
    assert!(bad("weight = 0.4", "weight = 0.4, share = 1").contains("share"));
}

#[test]
fn templates_ask_who_voted_and_read_back() {
    let scheme = Scheme::parse(&scheme_text(), "分类.toml").unwrap();
    let inbox = Inbox::new();
    let sheet = "xl/worksheets/sheet1.xml";
    let fill = |path: &std::path::Path, cells: &[(String, V)]| {
        let refs: Vec<(&str, V)> = cells.iter().map(|(c, v)| (c.as_str(), v.clone())).collect();
        fill_xlsx(path, sheet, &refs);
    };
    write_xlsx(&inbox.file("一支部评分表.xlsx"), &[form("一支部", 75.0)]);
    write_xlsx(&inbox.file("二支部评分表.xlsx"), &[form("二支部", 75.0)]);

    // 一支部: the register, 序号 | 测评人类别 | 总体评价 | 推荐星级 | 备注, ballots from row 6.
    let register = inbox.file("一支部登记表.xlsx");
    starsheet::template::ballot_register(&scheme)
        .unwrap()
        .save(&register)
        .unwrap();
    let header = read_sheet(&register, "测评票登记表");
    assert_eq!(&header[4][..5], ["序号", "测评人类别", "总体评价", "推荐星级", "备注"]);
    let mut cells = vec![("C2".to_string(), V::S("一支部".into()))];
    for (i, (category, rating)) in [("党员", "好"), ("党员", "好"), ("党员", "较好")].iter().enumerate() {
        cells.push((format!("B{}", 6 + i), V::S(category.to_string())));
        cells.push((format!("C{}", 6 + i), V::S(rating.to_string())));
    }
    fill(&register, &cells);

    // 二支部: one-voter ballots, 测评人类别 in G2 beside the name, 一般 ticked in D5.
    let elsewhere = tempfile::tempdir().unwrap();
    let blank = elsewhere.path().join("测评票.xlsx");
    starsheet::template::single_ballot(&scheme)
        .unwrap()
        .save(&blank)
        .unwrap();
    for v in 0..3 {
        let path = inbox.file(&format!("二支部测评票{v}.xlsx"));
        std::fs::copy(&blank, &path).unwrap();
        let cells = [
            ("B2".to_string(), V::S("二支部".into())),
            ("G2".to_string(), V::S("群众代表".into())),
            ("D5".to_string(), V::S("✓".into())),
        ];
        fill(&path, &cells);
    }
    let scheme_file = elsewhere.path().join("分类.toml");
    std::fs::write(&scheme_file, scheme_text()).unwrap();
    let eval = inbox.evaluate_with(scheme_file.to_str().unwrap());
    // 党员 only: (1 + 1 + 0.8) / 3 of 20.
    let one = branch(&eval, "一支部");
    assert!(
        (one.indicators[1].score - 20.0 * 2.8 / 3.0).abs() < 1e-9,
        "{:#?}",
        messages(&eval)
    );
    assert_eq!(one.ballots.as_deref().unwrap().categories[0].valid, 3);
    // 群众代表 only: 一般 is 0.6 of 20.
    let two = branch(&eval, "二支部");
    assert!((two.indicators[1].score - 12.0).abs() < 1e-9, "{:#?}", messages(&eval));
    assert_eq!(two.ballots.as_deref().unwrap().categories[1].valid, 3);
}
