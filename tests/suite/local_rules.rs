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

/// An inbox of forms and the plan to score it with a scheme given as text.
fn plan(inbox: &Inbox, scheme: &str, forms: &[SheetSpec]) -> starsheet::Plan {
    let path = inbox.file("方案.toml");
    std::fs::write(&path, scheme).unwrap();
    std::fs::create_dir(inbox.file("收件箱")).unwrap();
    for (i, form) in forms.iter().enumerate() {
        write_xlsx(&inbox.file(&format!("收件箱/{i:02}.xlsx")), std::slice::from_ref(form));
    }
    let schemes = starsheet::scheme::Schemes::with_branch(path.to_str().unwrap()).unwrap();
    starsheet::Plan::new(inbox.file("收件箱"), schemes)
}

/// Scores forms with a scheme given as text.
pub fn evaluate_text(scheme: &str, forms: &[SheetSpec]) -> Evaluation {
    let inbox = Inbox::new();
    starsheet::evaluate(&plan(&inbox, scheme, forms)).unwrap()
}

/// Writes the outputs of forms scored with a scheme given as text; returns
/// the inbox (which holds them under 结果/).
pub fn outputs_of(scheme: &str, forms: &[SheetSpec]) -> Inbox {
    let inbox = Inbox::new();
    let mut plan = plan(&inbox, scheme, forms);
    plan.out_dir = Some(inbox.file("结果"));
    starsheet::score(&plan).unwrap();
    inbox
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

/// 甲 60 and 乙 40 added up; medals 金星 90 %, 银星 80 %, 铜星 70 %.
const MEDALS: &str = r#"
name = "单项星"
title = "单项星条件"
total_cap = 100

[[indicators]]
name = "甲"
max = 60

[[indicators]]
name = "乙"
max = 40

[[medals]]
name = "金星"
share = 0.9

[[medals]]
name = "银星"
share = 0.8

[[medals]]
name = "铜星"
share = 0.7
"#;

#[test]
fn a_tier_that_needs_every_indicator_at_a_medal_names_those_short_of_it() {
    // 五星: 90 points and every indicator at least 银星.
    let tiers = TIERS.replacen("min = 90\n", "min = 90\nevery = \"银星\"\n", 1);
    let scheme = format!("{MEDALS}{tiers}");
    let row = |name: &str, a: f64, b: f64| row_form(name, &[("甲", 60.0, V::N(a)), ("乙", 40.0, V::N(b))]);
    let eval = evaluate_text(
        &scheme,
        &[
            // 乙 32 of 40 is exactly 银星: 五星.
            row("恰好银星", 60.0, 32.0),
            // 乙 31 is 铜星: the 92 points would be 五星, the rule gives 四星.
            row("乙为铜星", 61.0 - 1.0, 31.0),
            // 89 points: 四星 by points alone, no rule to name.
            row("分数不够", 57.0, 32.0),
        ],
    );
    assert_eq!(problems(&eval), Vec::<String>::new());
    assert_eq!(tier(&eval, "恰好银星"), "五星");
    assert_eq!(tier(&eval, "乙为铜星"), "四星");
    assert_eq!(tier(&eval, "分数不够"), "四星");
    assert!(branch(&eval, "分数不够").adjustments.is_empty());
    let b = branch(&eval, "乙为铜星");
    let scheme = &eval.schemes.branch;
    assert_eq!(b.adjustment_texts(scheme), ["总分 91，「乙」未达银星，按方案评为四星"]);
    // Named where the tier is shown: 总排名's 标记 and the feedback.
    let out = outputs_of(&scheme.source, &[row("乙为铜星", 60.0, 31.0)]);
    let ranking = read_sheet(&out.file("结果/汇总排名.xlsx"), "总排名");
    assert_eq!(ranking[1].last().unwrap(), "总分 91，「乙」未达银星，按方案评为四星");
    let feedback = read_sheet(&out.file("结果/反馈/甲党委/乙为铜星.xlsx"), "评定结果");
    assert!(
        feedback
            .iter()
            .any(|r| r[0] == "总分 91，「乙」未达银星，按方案评为四星。"),
        "{feedback:?}"
    );
}

#[test]
fn a_tier_that_needs_a_number_of_medals_counts_better_ones_too() {
    // 五星: 90 points and at least 2 indicators at 金星 (a better medal counts).
    let tiers = TIERS.replacen("min = 90\n", "min = 90\nmedals = { medal = \"银星\", count = 2 }\n", 1);
    let scheme = format!("{MEDALS}{tiers}");
    let row = |name: &str, a: f64, b: f64| row_form(name, &[("甲", 60.0, V::N(a)), ("乙", 40.0, V::N(b))]);
    let eval = evaluate_text(&scheme, &[row("金银", 60.0, 32.0), row("一项", 60.0, 31.0)]);
    assert_eq!(tier(&eval, "金银"), "五星");
    assert_eq!(tier(&eval, "一项"), "四星");
    assert_eq!(
        branch(&eval, "一项").adjustment_texts(&eval.schemes.branch),
        ["总分 91，银星 1 项（需 2 项），按方案评为四星"]
    );
}

/// A form's 一票否决 section under its table, with these answers.
fn with_answers(mut form: SheetSpec, answers: &[(&str, &str)]) -> SheetSpec {
    form.set(10, 0, "一票否决事项");
    form.set(10, 3, "是否");
    for (i, (item, answer)) in answers.iter().enumerate() {
        form.set(11 + i as u32, 0, *item);
        form.set(11 + i as u32, 3, *answer);
    }
    form
}

#[test]
fn a_cap_lowers_a_tier_and_never_raises_one() {
    // 不得评定为三星级及以上: at most 二星; a second cap at most 四星.
    let caps = r#"
[[caps]]
items = ["年度考核不合格"]
at_most = "二星"

[[caps]]
items = ["班子不健全"]
at_most = "四星"
"#;
    let scheme = format!("{MEDALS}{TIERS}{caps}");
    let form = |name: &str, a: f64, b: f64, answers: [&str; 2]| {
        let rows = row_form(name, &[("甲", 60.0, V::N(a)), ("乙", 40.0, V::N(b))]);
        with_answers(rows, &[("年度考核不合格", answers[0]), ("班子不健全", answers[1])])
    };
    let eval = evaluate_text(
        &scheme,
        &[
            form("九十五分", 60.0, 35.0, ["是", "否"]),
            form("七十六分", 46.0, 30.0, ["否", "是"]),
            form("五十五分", 35.0, 20.0, ["是", "否"]),
            form("两项都是", 60.0, 40.0, ["是", "是"]),
        ],
    );
    assert_eq!(problems(&eval), Vec::<String>::new());
    let scheme = &eval.schemes.branch;
    let told = |name: &str| branch(&eval, name).adjustment_texts(scheme);
    assert_eq!(tier(&eval, "九十五分"), "二星");
    assert_eq!(told("九十五分"), ["「年度考核不合格」为“是”，按方案至多二星"]);
    // A cap at 四星 leaves a 76-point 三星 where it is.
    assert_eq!(tier(&eval, "七十六分"), "三星");
    assert!(told("七十六分").is_empty());
    // Below the cap already: nothing moves, nothing to tell.
    assert_eq!(tier(&eval, "五十五分"), "一星");
    assert!(told("五十五分").is_empty());
    // Both hold: the stricter one is the tier; the other never lowered it.
    assert_eq!(tier(&eval, "两项都是"), "二星");
    assert_eq!(told("两项都是"), ["「年度考核不合格」为“是”，按方案至多二星"]);
    assert_eq!(branch(&eval, "两项都是").vetoed, ["年度考核不合格", "班子不健全"]);
}

#[test]
fn a_satisfaction_floor_caps_at_its_share_and_keeps_a_withheld_rate_unsaid() {
    let standard =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/standard.toml"))
            .unwrap();
    let scheme = format!("{standard}\n[[caps]]\nsatisfaction_below = 0.6\nat_most = \"二星\"\n");
    let inbox = Inbox::new();
    let path = inbox.file("方案.toml");
    std::fs::write(&path, &scheme).unwrap();
    let ballots = |good: usize, fair: usize| {
        let mut rows = vec![["好", "好", "好", "好", "好", "五星"]; good];
        rows.extend(vec![["一般", "一般", "一般", "一般", "一般", "四星"]; fair]);
        rows
    };
    for (name, good, fair) in [("五成", 5, 5), ("六成", 6, 4), ("四票", 1, 3)] {
        inbox.form(&format!("{name}评分表.xlsx"), &FormSpec::standard(name, "甲党委"));
        inbox.register(
            &format!("{name}登记表.xlsx"),
            &RegisterSpec::rows(name, &ballots(good, fair)),
        );
    }
    let eval = inbox.evaluate_with(path.to_str().unwrap());
    let scheme = &eval.schemes.branch;
    // 80 + 20 × (5 × 1.0 + 5 × 0.6) ÷ 10 = 96: 五星 by points, 满意率 50 %.
    assert_eq!(branch(&eval, "五成").total, Some(96.0));
    assert_eq!(tier(&eval, "五成"), "二星");
    assert_eq!(
        branch(&eval, "五成").adjustment_texts(scheme),
        ["满意率 50.0%，按方案至多二星"]
    );
    // Exactly 60 %: not below it.
    assert_eq!(tier(&eval, "六成"), "五星");
    // Four ballots: the rate is withheld, the cap still holds, its words
    // give the floor, not the rate.
    assert_eq!(tier(&eval, "四票"), "二星");
    assert_eq!(
        branch(&eval, "四票").adjustment_texts(scheme),
        ["满意率低于 60.0%，按方案至多二星"]
    );
}

#[test]
fn a_condition_a_tier_requires_is_read_from_the_form_and_named_when_unmet() {
    // 五星: 90 points and 有党建创新项目; a cap on the same branch too.
    let tiers = TIERS.replacen("min = 90\n", "min = 90\nrequires = [\"有党建创新项目\"]\n", 1);
    let caps = "\n[[caps]]\nitems = [\"年度考核不合格\"]\nat_most = \"三星\"\n";
    let scheme = format!("{MEDALS}{tiers}{caps}");
    let form = |name: &str, project: &str, failed: &str| {
        let mut rows = row_form(name, &[("甲", 60.0, V::N(60.0)), ("乙", 40.0, V::N(40.0))]);
        rows = with_answers(rows, &[("年度考核不合格", failed)]);
        rows.set(14, 0, "评定条件");
        rows.set(14, 3, "是否");
        rows.set(15, 0, "有党建创新项目（评为五星须为“是”）");
        rows.set(15, 3, project);
        rows
    };
    let mut bare = row_form("没写条件", &[("甲", 60.0, V::N(60.0)), ("乙", 40.0, V::N(40.0))]);
    bare = with_answers(bare, &[("年度考核不合格", "否")]);
    let eval = evaluate_text(
        &scheme,
        &[
            form("有项目", "是", "否"),
            form("没项目", "否", "否"),
            form("两条都有", "否", "是"),
            form("乱填", "待定", "否"),
            bare,
            form("写有", "有", "否"),
        ],
    );
    let scheme = &eval.schemes.branch;
    let told = |name: &str| branch(&eval, name).adjustment_texts(scheme);
    assert_eq!(tier(&eval, "有项目"), "五星");
    assert!(told("有项目").is_empty());
    assert_eq!(tier(&eval, "没项目"), "四星");
    assert_eq!(told("没项目"), ["总分 100，不具备「有党建创新项目」，按方案评为四星"]);
    // A condition unmet and a cap on one branch: both named, the cap the tier.
    assert_eq!(tier(&eval, "两条都有"), "三星");
    assert_eq!(
        told("两条都有"),
        [
            "总分 100，不具备「有党建创新项目」，按方案评为三星",
            "「年度考核不合格」为“是”，按方案至多三星"
        ]
    );
    assert_eq!(
        problems(&eval),
        [
            "[错误] 03.xlsx › 评分表 › D16：评定条件「有党建创新项目」填写为「待定」，无法识别；请填写“是”或“否”",
            "[警告] 04.xlsx › 评分表：评分表中没有“评定条件”，按不具备处理，需要这些条件的档次不能评定",
        ]
    );
    assert_eq!(tier(&eval, "没写条件"), "四星");
    assert_eq!(tier(&eval, "乱填"), "待核实");
    // 有 and 无 answer as 是 and 否 do.
    assert_eq!(tier(&eval, "写有"), "五星");
}

/// Branches of 甲党委 and 乙党委 with these totals (甲 60 + 乙 40).
fn quota_forms(totals: &[(&str, &str, f64)]) -> Vec<SheetSpec> {
    totals
        .iter()
        .map(|(name, parent, total)| {
            let a = total.min(60.0);
            let mut form = row_form(name, &[("甲", 60.0, V::N(a)), ("乙", 40.0, V::N(total - a))]);
            form.set(1, 0, format!("所属党组织：{parent}").as_str());
            form
        })
        .collect()
}

#[test]
fn an_enforced_quota_moves_the_rest_down_and_leaves_a_tie_at_the_cut_to_the_committee() {
    let quota = "\n[[quotas]]\ntier = \"五星\"\nshare = 0.3\nmode = \"enforce\"\n";
    let scheme = format!("{MEDALS}{TIERS}{quota}");
    // Ten rated, 30 % = 3 五星: 98, 96, then 95 and 95 tie at the cut; 92
    // is moved down; 四星 and below are not counted against the quota.
    let mut totals = vec![
        ("甲一", "甲党委", 98.0),
        ("甲二", "甲党委", 96.0),
        ("甲三", "甲党委", 95.0),
    ];
    totals.extend([("乙一", "乙党委", 95.0), ("乙二", "乙党委", 92.0)]);
    totals.extend([
        ("乙三", "乙党委", 85.0),
        ("乙四", "乙党委", 80.0),
        ("乙五", "乙党委", 75.0),
    ]);
    totals.extend([("乙六", "乙党委", 65.0), ("乙七", "乙党委", 50.0)]);
    let eval = evaluate_text(&scheme, &quota_forms(&totals));
    let tiers: Vec<String> = ["甲一", "甲二", "甲三", "乙一", "乙二", "乙三"]
        .iter()
        .map(|n| tier(&eval, n).to_string())
        .collect();
    assert_eq!(tiers, ["五星", "五星", "五星", "五星", "四星", "四星"]);
    let scheme = &eval.schemes.branch;
    let told = |name: &str| branch(&eval, name).adjustment_texts(scheme);
    assert!(told("甲一").is_empty());
    let tie = "与名额内最后一名同分（五星名额为参评数的 30.0%，共 3 个），是否评为五星请评审会议决定";
    assert_eq!(told("甲三"), [tie]);
    assert_eq!(told("乙一"), [tie]);
    assert_eq!(
        told("乙二"),
        ["超出五星名额（五星名额为参评数的 30.0%，共 3 个），按排名调整为四星"]
    );
    // Ranked after the move: 乙二 heads 四星.
    assert_eq!(branch(&eval, "乙二").rank, Some(5));
    let decision = &eval.quotas[0];
    assert_eq!((decision.rated, decision.allowed, decision.entries.len()), (10, 3, 5));
}

#[test]
fn a_quota_that_warns_lists_those_over_it_per_parent_and_moves_none() {
    let quota = "\n[[quotas]]\ntier = \"五星\"\nshare = 0.5\nper = \"parent\"\nmode = \"warn\"\n";
    let scheme = format!("{MEDALS}{TIERS}{quota}");
    // 甲党委: two rated, one 五星 allowed, two reached it. 乙党委: within.
    let totals = [
        ("甲一", "甲党委", 99.0),
        ("甲二", "甲党委", 91.0),
        ("乙一", "乙党委", 93.0),
        ("乙二", "乙党委", 70.0),
    ];
    let out = outputs_of(&scheme, &quota_forms(&totals));
    let eval = evaluate_text(&scheme, &quota_forms(&totals));
    assert_eq!(tier(&eval, "甲二"), "五星");
    assert_eq!(
        branch(&eval, "甲二").adjustment_texts(&eval.schemes.branch),
        ["超出五星名额（五星名额为参评数的 50.0%，共 1 个），按方案只作提示，星级未调整"]
    );
    assert!(branch(&eval, "乙一").adjustments.is_empty());
    // The 名额 sheet lists every decision, within the quota too.
    let sheet = read_sheet(&out.file("结果/汇总排名.xlsx"), "名额");
    let rows: Vec<Vec<&str>> = sheet[1..]
        .iter()
        .map(|r| [0, 1, 2, 4, 5, 6, 9].iter().map(|&c| r[c].as_str()).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["五星", "乙党委", "2", "1", "只作提示", "乙一", "名额内"],
            ["五星", "甲党委", "2", "1", "只作提示", "甲一", "名额内"],
            ["五星", "甲党委", "2", "1", "只作提示", "甲二", "超出名额（只作提示）"],
        ]
    );
}

#[test]
fn kinds_of_bonus_are_capped_each_then_together() {
    // 表彰 up to 5, 创新项目 up to 5, the bonus as a whole up to 8.
    let bonus = "\n[bonus]\nlabel = \"加分\"\nmax = 8\nitems = [\n  { label = \"表彰\", max = 5 },\n  { label = \"创新项目\", max = 5 },\n]\n";
    let scheme = format!("{}{bonus}{TIERS}", MEDALS.replace("total_cap = 100", "total_cap = 108"));
    let form = |name: &str, praise: f64, project: f64| {
        let mut rows = row_form(name, &[("甲", 60.0, V::N(50.0)), ("乙", 40.0, V::N(30.0))]);
        for (r, (kind, v)) in [("表彰：市级文明单位", praise), ("创新项目", project)]
            .iter()
            .enumerate()
        {
            let row = 6 + r as u32;
            rows.set(row, 0, format!("加分（{kind}）").as_str());
            rows.set(row, 1, V::N(5.0));
            rows.set(row, 2, V::N(*v));
            rows.set(row, 3, V::N(*v));
        }
        rows
    };
    let eval = evaluate_text(
        &scheme,
        &[
            form("各在上限内", 3.0, 4.0),
            form("表彰超限", 7.0, 2.0),
            form("合计超限", 5.0, 5.0),
        ],
    );
    assert_eq!(branch(&eval, "各在上限内").bonus, 7.0);
    assert_eq!(branch(&eval, "各在上限内").total, Some(87.0));
    // 表彰 7 counts 5; with 创新项目 2, 7 in all.
    assert_eq!(branch(&eval, "表彰超限").bonus, 7.0);
    // 5 + 5 = 10 counts 8.
    assert_eq!(branch(&eval, "合计超限").bonus, 8.0);
    assert_eq!(
        problems(&eval),
        [
            "[警告] 01.xlsx › 评分表 › D7：加分中「表彰」共 7 分，超过该项上限 5，按 5 分计",
            "[警告] 02.xlsx › 评分表 › D7：加分 10 超过方案上限 8，按 8 分计",
        ]
    );
}

/// A form of 考评项目 | 分值 | then the given score columns, one row per
/// indicator.
fn columns_form(name: &str, titles: &[&str], rows: &[(&str, f64, &[Option<f64>])]) -> SheetSpec {
    let mut s = SheetSpec::new("评分表");
    s.set(0, 0, format!("支部名称：{name}").as_str());
    s.set(1, 0, "所属党组织：甲党委");
    s.set(3, 0, "考评项目");
    s.set(3, 1, "分值");
    for (c, title) in titles.iter().enumerate() {
        s.set(3, 2 + c as u16, *title);
    }
    for (r, (indicator, max, values)) in rows.iter().enumerate() {
        let row = 4 + r as u32;
        s.set(row, 0, *indicator);
        s.set(row, 1, V::N(*max));
        for (c, v) in values.iter().enumerate() {
            if let Some(v) = v {
                s.set(row, 2 + c as u16, V::N(*v));
            }
        }
    }
    s
}

#[test]
fn a_deduction_column_gives_the_score_an_empty_one_deducts_nothing() {
    let scheme = format!("{MEDALS}{TIERS}");
    let eval = evaluate_text(
        &scheme,
        &[
            // Deductions alone: 甲 loses 6, 乙's empty cell loses nothing.
            columns_form(
                "只填扣分",
                &["自评分", "扣分"],
                &[
                    ("甲", 60.0, &[Some(60.0), Some(6.0)]),
                    ("乙", 40.0, &[Some(40.0), None]),
                ],
            ),
            // Both: they agree on 甲, not on 乙 (40 − 5 is 35, not 30).
            columns_form(
                "两栏都填",
                &["自评分", "考核得分", "扣分"],
                &[
                    ("甲", 60.0, &[Some(60.0), Some(54.0), Some(6.0)]),
                    ("乙", 40.0, &[Some(40.0), Some(30.0), Some(5.0)]),
                ],
            ),
        ],
    );
    let b = branch(&eval, "只填扣分");
    assert_eq!(b.total, Some(94.0));
    assert_eq!(tier(&eval, "只填扣分"), "五星");
    assert_eq!(tier(&eval, "两栏都填"), "待核实");
    assert_eq!(
        problems(&eval),
        ["[错误] 01.xlsx › 评分表 › D6：考核得分 30 与扣分 5 不一致（满分 40，扣 5 分应得 35），请核对哪一个是对的"]
    );
}
