//! Scoring rules of SPEC §4 on real workbooks: thresholds, veto, bonus,
//! stages, flags, ballots, ranking.

use crate::common::*;
use starsheet::results::{MissingForm, Status};

#[test]
fn every_tier_threshold_is_inclusive_and_exact() {
    // All-好 ballots give 群众评价 its full 20, so total = form sum + 20.
    let cases = [
        (100.0, "五星"),
        (95.0, "五星"),
        (94.99, "四星"),
        (90.0, "四星"),
        (89.99, "三星"),
        (80.0, "三星"),
        (79.99, "二星"),
        (70.0, "二星"),
        (69.99, "一星"),
        (60.0, "一星"),
        (59.99, "无星"),
        (20.0, "无星"),
    ];
    let inbox = Inbox::new();
    for (i, (total, _)) in cases.iter().enumerate() {
        let form =
            FormSpec::standard(&format!("支部{i:02}"), "甲党委").scores(&summing_to(&STANDARD_MAX, total - 20.0));
        inbox.form_with_ballots(&form);
    }
    let eval = inbox.evaluate();
    assert_eq!(problems(&eval), Vec::<String>::new());
    for (i, (total, expected)) in cases.iter().enumerate() {
        let name = format!("支部{i:02}");
        assert_eq!(branch(&eval, &name).total, Some(*total), "{name}");
        assert_eq!(tier(&eval, &name), *expected, "total {total}");
    }
}

#[test]
fn medals_by_share_of_indicator_max() {
    let inbox = Inbox::new();
    // 班子建设 18 (90 %), 党员队伍建设 17.5 (87.5 %), 工作机制建设 14 (70 %), 工作业绩 13.5 (67.5 %).
    let scores = [4., 4., 4., 4., 2., 4., 4., 4., 4., 1.5, 7., 7., 0., 7., 6.5, 0.];
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委").scores(&scores));
    let eval = inbox.evaluate();
    let medals: Vec<Option<&str>> = branch(&eval, "一支部")
        .indicators
        .iter()
        .map(|i| i.medal.as_deref())
        .collect();
    assert_eq!(medals, [Some("金星"), Some("银星"), Some("铜星"), None, Some("金星")]);
}

#[test]
fn veto_forces_the_veto_tier_whatever_the_points() {
    let inbox = Inbox::new();
    let mut vetoed = FormSpec::standard("一支部", "甲党委");
    vetoed.veto[1] = Some("是".into());
    let mut ticked = FormSpec::standard("二支部", "甲党委");
    ticked.veto[2] = Some("√".into());
    inbox
        .form_with_ballots(&vetoed)
        .form_with_ballots(&ticked)
        .form_with_ballots(&FormSpec::standard("三支部", "甲党委").scores(&summing_to(&STANDARD_MAX, 50.0)));
    let eval = inbox.evaluate();
    let one = branch(&eval, "一支部");
    assert_eq!((one.total, tier(&eval, "一支部").as_str()), (Some(100.0), "无星"));
    assert_eq!(one.vetoed, ["发生重大责任事故或群体性事件"]);
    assert_eq!(tier(&eval, "二支部"), "无星");
    // Within 无星, the higher total ranks first; 三支部 (70) is 二星 and ranks first.
    let order: Vec<(&str, Option<u32>)> = eval
        .branches
        .iter()
        .map(|b| (b.identity.name.as_str(), b.rank))
        .collect();
    assert_eq!(order, [("三支部", Some(1)), ("一支部", Some(2)), ("二支部", Some(2))]);
}

#[test]
fn unrecognised_veto_answer_is_an_error_at_its_cell() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.veto[0] = Some("待定".into());
    inbox
        .form("a.xlsx", &form)
        .register("b.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] a.xlsx › 评分表 › D25：一票否决事项「班子成员发生严重违纪违法问题」填写为「待定」，无法识别；请填写“是”或“否”"
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "待核实");
}

#[test]
fn bonus_is_capped_and_total_is_capped() {
    let inbox = Inbox::new();
    let mut full = FormSpec::standard("满分支部", "甲党委");
    full.bonus = Some(V::N(2.0));
    let mut over = FormSpec::standard("超额支部", "甲党委").scores(&summing_to(&STANDARD_MAX, 70.0));
    over.bonus = Some(V::N(5.0));
    inbox.form("满分.xlsx", &full).form("超额.xlsx", &over);
    inbox.register("r1.xlsx", &RegisterSpec::uniform("满分支部", 5, "好", "五星"));
    inbox.register("r2.xlsx", &RegisterSpec::uniform("超额支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(
        branch(&eval, "满分支部").total,
        Some(100.0),
        "80 + 20 + 2 capped at 100"
    );
    assert_eq!(branch(&eval, "超额支部").bonus, 3.0);
    assert_eq!(branch(&eval, "超额支部").total, Some(93.0), "70 + 20 + 3, not + 5");
    assert_eq!(
        problems(&eval),
        ["[警告] 超额.xlsx › 评分表 › E21：加分 5 超过方案上限 3，按 3 分计"]
    );
}

#[test]
fn form_without_assessed_scores_is_a_preliminary_self_assessment() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.assessed = vec![None; 16];
    form.self_scores[0] = Some(V::N(2.0));
    inbox
        .form("a.xlsx", &form)
        .register("b.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    assert_eq!(b.total, Some(98.0), "self scores: 78 + 20");
    assert!(b.flags.preliminary);
    assert_eq!(b.status, Status::Rated);
    assert_eq!(
        messages(&eval),
        ["[提示] a.xlsx › 评分表：考核得分均未填写，按荐星自评阶段计算，结果为预评"]
    );
}

#[test]
fn partly_filled_assessed_scores_name_each_empty_cell() {
    let inbox = Inbox::new();
    let mut form = FormSpec::standard("一支部", "甲党委");
    form.assessed[3] = None;
    form.assessed[12] = None;
    inbox
        .form("a.xlsx", &form)
        .register("b.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] a.xlsx › 评分表 › E8：考核得分未填写（本表其他项目已填写考核得分）",
            "[错误] a.xlsx › 评分表 › E17：考核得分未填写（本表其他项目已填写考核得分）",
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "待核实");
}

#[test]
fn self_inflation_is_flagged_above_a_fifth_of_the_indicator_max() {
    let inbox = Inbox::new();
    // 班子建设: assessed 16 vs self 20 → 4 points over = exactly 20 % → not flagged.
    // 工作业绩: assessed 15.5 vs self 20 → 4.5 over → flagged.
    let assessed = [4., 4., 4., 2., 2., 4., 4., 4., 4., 4., 7., 7., 6., 7., 5., 3.5];
    let mut form = FormSpec::standard("一支部", "甲党委").scores(&assessed);
    form.self_scores = STANDARD_MAX.iter().map(|m| Some(V::N(*m))).collect();
    inbox.form_with_ballots(&form);
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    let flags: Vec<bool> = b.indicators.iter().map(|i| i.self_inflated).collect();
    assert_eq!(flags, [false, false, false, true, false]);
    assert!(b.flags.self_inflated);
}

#[test]
fn duplicate_submissions_name_both_files_and_hold_the_branch() {
    let inbox = Inbox::new();
    let form = FormSpec::standard("一支部", "甲党委");
    inbox.form_with_ballots(&form).form("一支部（修改版）.xlsx", &form);
    let mut second_sheet = form.sheet_spec();
    second_sheet.name = "评分表(2)".into();
    let other = FormSpec::standard("二支部", "甲党委");
    write_xlsx(
        &inbox.file("二支部.xlsx"),
        &[other.sheet_spec(), {
            let mut s = other.sheet_spec();
            s.name = "副本".into();
            s
        }],
    );
    inbox.register("二支部票.xlsx", &RegisterSpec::uniform("二支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] 一支部评分表.xlsx › 评分表：支部「一支部」的评分表重复提交（另见 一支部（修改版）.xlsx），该支部列为待核实",
            "[错误] 一支部（修改版）.xlsx › 评分表：支部「一支部」的评分表重复提交（另见 一支部评分表.xlsx），该支部列为待核实",
            "[错误] 二支部.xlsx › 副本：支部「二支部」的评分表重复提交（另见 同一文件的工作表「评分表」），该支部列为待核实",
            "[错误] 二支部.xlsx › 评分表：支部「二支部」的评分表重复提交（另见 同一文件的工作表「副本」），该支部列为待核实",
        ]
    );
    for name in ["一支部", "二支部"] {
        let b = branch(&eval, name);
        assert_eq!((b.status, b.rank, b.total), (Status::Pending, None, None));
    }
}

#[test]
fn same_name_under_different_parents_are_different_branches() {
    let inbox = Inbox::new();
    inbox.form("甲/一支部.xlsx", &FormSpec::standard("第一党支部", "甲党委"));
    inbox.form(
        "乙/一支部.xlsx",
        &FormSpec::standard("第一党支部", "乙党委").scores(&summing_to(&STANDARD_MAX, 60.0)),
    );
    let mut reg = RegisterSpec::uniform("第一党支部", 5, "好", "五星");
    inbox.register("票.xlsx", &reg);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] 乙/一支部.xlsx › 评分表：支部「第一党支部」没有有效的测评票，无法计算「群众评价」，该支部列为待核实",
            "[错误] 甲/一支部.xlsx › 评分表：支部「第一党支部」没有有效的测评票，无法计算「群众评价」，该支部列为待核实",
            "[错误] 票.xlsx › 登记表：测评票上的支部「第一党支部」对应多个党组织的同名支部（乙党委、甲党委），请在测评票上填写所属党组织",
        ]
    );
    // With the parent on the register, the ballots find their branch.
    reg.name = "第一党支部".into();
    let mut sheet = reg.sheet_spec();
    sheet.set(0, 3, "所属党组织：乙党委");
    write_xlsx(&inbox.file("票.xlsx"), &[sheet]);
    let eval = inbox.evaluate();
    let rated: Vec<(Option<&str>, Option<f64>)> = eval
        .branches
        .iter()
        .map(|b| (b.identity.parent.as_deref(), b.total))
        .collect();
    assert_eq!(rated, [(Some("乙党委"), Some(80.0)), (Some("甲党委"), None)]);
}

#[test]
fn over_votes_blank_ballots_and_abstentions_are_counted_apart() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let rows = [
        ["好", "好", "好", "好", "好", "五星"],
        ["好、较好", "较好", "", "一般", "差", "四星"],
        ["较好", "较好", "较好", "较好", "较好", "四星、五星"],
        ["空白票", "", "", "", "", ""],
        ["好", "好", "好", "好", "好", "五星"],
        ["一般", "一般", "一般", "一般", "一般", "三星"],
    ];
    inbox.register("b.xlsx", &RegisterSpec::rows("一支部", &rows));
    let eval = inbox.evaluate();
    let stats = branch(&eval, "一支部").ballots.clone().unwrap();
    assert_eq!((stats.counted, stats.blank, stats.valid), (6, 1, 5));
    let s = stats.detail.unwrap();
    assert_eq!(s.questions[0].counts, [2, 1, 1, 0]);
    assert_eq!(s.questions[0].over_votes, 1);
    assert_eq!(s.questions[2].abstentions, 1);
    assert_eq!(s.stars, [2, 1, 1, 0, 0, 0]);
    assert_eq!(s.star_over_votes, 1);
    // Valid ratings: 23 — 好×10, 较好×6, 一般×6, 差×1; values 10 + 4.8 + 3.6 + 0 = 18.4.
    let mean = s.mean.unwrap();
    assert!((mean - 18.4 / 23.0).abs() < 1e-12, "{mean}");
    assert!((branch(&eval, "一支部").indicators[4].score - 16.0).abs() < 1e-12);
    assert_eq!(s.satisfaction, Some(16.0 / 23.0));
    assert_eq!(problems(&eval), Vec::<String>::new());
}

#[test]
fn yixing_is_the_median_star_on_odd_and_even_counts() {
    for (stars, expected) in [
        (vec!["五星", "五星", "四星", "四星", "三星"], "四星"),
        (vec!["五星", "五星", "五星", "四星", "四星"], "五星"),
        (vec!["五星", "五星", "五星", "四星", "四星", "四星"], "四星"),
        (vec!["五星", "五星", "五星", "五星", "二星", "无星"], "五星"),
        (vec!["一星", "无星", "无星", "五星", "五星", "无星"], "无星"),
    ] {
        let inbox = Inbox::new();
        inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
        let rows: Vec<[&str; 6]> = stars.iter().map(|s| ["好", "好", "好", "好", "好", s]).collect();
        inbox.register("b.xlsx", &RegisterSpec::rows("一支部", &rows));
        let eval = inbox.evaluate();
        let yixing = branch(&eval, "一支部")
            .ballots
            .as_ref()
            .and_then(|b| b.detail.as_ref())
            .unwrap()
            .yixing
            .map(|t| eval.schemes.branch.tier(t).name.clone());
        assert_eq!(yixing.as_deref(), Some(expected), "{stars:?}");
    }
}

#[test]
fn yixing_two_tiers_below_needs_review() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    inbox.register("b.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "四星"));
    inbox.form("c.xlsx", &FormSpec::standard("二支部", "甲党委"));
    inbox.register("d.xlsx", &RegisterSpec::uniform("二支部", 5, "好", "三星"));
    let eval = inbox.evaluate();
    assert!(!branch(&eval, "一支部").flags.needs_review, "one tier below");
    assert!(branch(&eval, "二支部").flags.needs_review, "two tiers below");
}

#[test]
fn ties_share_a_rank_overall_and_within_parent() {
    let inbox = Inbox::new();
    for (name, parent, sum) in [
        ("甲一", "甲党委", 75.0),
        ("甲二", "甲党委", 72.5),
        ("乙一", "乙党委", 72.5),
        ("乙二", "乙党委", 70.0),
        ("甲三", "甲党委", 70.0),
    ] {
        inbox.form_with_ballots(&FormSpec::standard(name, parent).scores(&summing_to(&STANDARD_MAX, sum)));
    }
    let eval = inbox.evaluate();
    let ranks: Vec<(&str, Option<u32>, Option<u32>)> = eval
        .branches
        .iter()
        .map(|b| (b.identity.name.as_str(), b.rank, b.parent_rank))
        .collect();
    assert_eq!(
        ranks,
        [
            ("甲一", Some(1), Some(1)),
            ("乙一", Some(2), Some(1)),
            ("甲二", Some(2), Some(2)),
            ("乙二", Some(4), Some(2)),
            ("甲三", Some(4), Some(3)),
        ]
    );
}

#[test]
fn jiguan_scores_every_indicator_on_the_form() {
    let inbox = Inbox::new();
    let scheme = starsheet::scheme::Scheme::load("jiguan").unwrap();
    let maxima = item_maxima("jiguan");
    inbox.form(
        "一.xlsx",
        &FormSpec::jiguan("一支部", "甲党委").scores(&summing_to(&maxima, 95.0)),
    );
    inbox.form(
        "二.xlsx",
        &FormSpec::jiguan("二支部", "甲党委").scores(&summing_to(&maxima, 94.5)),
    );
    inbox.form(
        "三.xlsx",
        &FormSpec::jiguan("三支部", "甲党委").scores(&summing_to(&maxima, 30.0)),
    );
    let mut vetoed = FormSpec::jiguan("四支部", "甲党委");
    vetoed.veto[0] = Some("是".into());
    inbox.form("四.xlsx", &vetoed);
    let mut ballots = RegisterSpec::uniform("一支部", 5, "好", "三星");
    ballots.questions = scheme.ballot.questions.clone();
    inbox.register("一票.xlsx", &ballots);
    let eval = inbox.evaluate_with("jiguan");
    assert_eq!(problems(&eval), Vec::<String>::new(), "no ballots needed");
    assert_eq!(tier(&eval, "一支部"), "五星");
    assert_eq!(tier(&eval, "二支部"), "四星");
    assert_eq!(
        tier(&eval, "三支部"),
        "一星",
        "jiguan has no 无星: 69 and below is 一星"
    );
    assert_eq!(tier(&eval, "四支部"), "一星", "veto forces the lowest tier");
    let one = branch(&eval, "一支部");
    assert_eq!(
        one.indicators.iter().map(|i| &*i.name).collect::<Vec<_>>(),
        ["班子建设", "党员队伍建设", "制度建设", "工作业绩", "群众满意"]
    );
    assert!(
        one.flags.needs_review,
        "ballots give the 议星 cross-check: 三星 is two below 五星"
    );
}

#[test]
fn standard_scheme_without_ballots_holds_the_branch() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        ["[错误] a.xlsx › 评分表：支部「一支部」没有有效的测评票，无法计算「群众评价」，该支部列为待核实"]
    );
    assert_eq!(tier(&eval, "一支部"), "待核实");
}

#[test]
fn too_few_ballots_is_a_warning() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    inbox.register("b.xlsx", &RegisterSpec::uniform("一支部", 4, "好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[警告] b.xlsx › 登记表：有效测评票仅 4 张，少于 5 张（测评人数不足）：为保护测评人匿名，各输出只列发出、收回、登记和有效票数，不列分项统计、满意率和议星结果；群众评价仍按这些票计分"
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "五星");
    assert!(branch(&eval, "一支部").flags.few_ballots);
}

#[test]
fn ballot_counts_above_returned_above_issued_are_errors() {
    let inbox = Inbox::new();
    inbox.form("a.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let mut reg = RegisterSpec::uniform("一支部", 8, "好", "五星");
    reg.returned = Some(V::N(7.0));
    reg.issued = Some(V::N(6.0));
    inbox.register("b.xlsx", &reg);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[错误] b.xlsx › 登记表 › E2：收回票数 7 多于发出票数 6",
            "[错误] b.xlsx › 登记表 › E2：登记的测评票 8 张，多于收回票数 7 张",
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "待核实");
}

#[test]
fn a_branch_known_only_from_its_ballots_is_held_back() {
    let inbox = Inbox::new();
    inbox.register("b.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        ["[错误] b.xlsx › 登记表：支部「一支部」有测评票，但没有收到评分表，该支部列为待核实"]
    );
    let b = branch(&eval, "一支部");
    assert_eq!(tier(&eval, "一支部"), "待核实");
    assert_eq!(b.missing_form, Some(MissingForm::NotReceived));
    assert_eq!(b.ballots.as_ref().unwrap().counted, 5);
}

#[test]
fn a_branch_whose_form_file_is_damaged_is_held_back_and_counted() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    // 二支部's form arrived cut off; its ballots and roster arrived whole.
    inbox.form("二支部评分表.xlsx", &FormSpec::standard("二支部", "甲党委"));
    let bytes = std::fs::read(inbox.file("二支部评分表.xlsx")).unwrap();
    std::fs::write(inbox.file("二支部评分表.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    inbox.register("二支部登记表.xlsx", &RegisterSpec::uniform("二支部", 5, "好", "五星"));
    inbox.roster(
        "二支部党员.xlsx",
        "二支部",
        Some("甲党委"),
        &[("张三", [20.0; 5], 0.0, false)],
    );
    let eval = inbox.evaluate();
    let damaged = "二支部评分表.xlsx";
    assert_eq!(
        problems(&eval),
        [
            format!(
                "[错误] 二支部党员.xlsx › 党员星级评定表：党员星级评定表所属支部「二支部」的评分表（{damaged}）无法读取，该支部列为待核实，党员照常评定"
            ),
            format!(
                "[错误] 二支部登记表.xlsx › 登记表：支部「二支部」有测评票，但其评分表（{damaged}）无法读取，该支部列为待核实"
            ),
            format!("[错误] {damaged}：文件已损坏，无法打开（压缩包不完整，文件可能在下载或复制时被截断）"),
        ]
    );
    let two = branch(&eval, "二支部");
    assert_eq!(tier(&eval, "二支部"), "待核实");
    assert_eq!(two.identity.parent.as_deref(), Some("甲党委"));
    assert_eq!(two.missing_form, Some(MissingForm::Unreadable { file: damaged.into() }));
    // It counts: 甲党委 has two branches, one 五星 and one pending — the
    // excellence rule cannot be decided until 二支部 is.
    let stats = &eval.organisations;
    let jia = stats.iter().find(|s| s.parent.as_deref() == Some("甲党委")).unwrap();
    assert_eq!((jia.branches(), jia.pending), (2, 1));
    assert_eq!(jia.eligibility, Some(starsheet::results::Eligibility::Undecided));
    // Its members are still rated.
    assert_eq!(eval.members.len(), 1);
    assert_eq!(eval.members[0].assessment.status, Status::Rated);
}

#[test]
fn ballots_whose_parent_differs_from_the_forms_still_find_the_branch() {
    let inbox = Inbox::new();
    inbox.form("一支部评分表.xlsx", &FormSpec::standard("一支部", "市审计局机关党委"));
    let mut register = RegisterSpec::uniform("一支部", 5, "好", "五星").sheet_spec();
    register.set(0, 4, "所属党组织：审计局机关党委");
    write_xlsx(&inbox.file("一支部登记表.xlsx"), &[register]);
    // A form that leaves its parent blank, with ballots that give one.
    let mut blank = FormSpec::standard("二支部", "");
    blank.parent = Some(String::new());
    inbox.form("二支部评分表.xlsx", &blank);
    let mut register = RegisterSpec::uniform("二支部", 5, "好", "五星").sheet_spec();
    register.set(0, 4, "所属党组织：审计局机关党委");
    write_xlsx(&inbox.file("二支部登记表.xlsx"), &[register]);
    let eval = inbox.evaluate();
    assert_eq!(
        problems(&eval),
        [
            "[警告] 一支部登记表.xlsx › 登记表：支部「一支部」的所属党组织，评分表 一支部评分表.xlsx 写作「市审计局机关党委」，本表写作「审计局机关党委」；已按支部名称对应（一支部登记表.xlsx），请核对后统一",
            "[警告] 二支部登记表.xlsx › 登记表：支部「二支部」的所属党组织，评分表 二支部评分表.xlsx 写作「（未填写）」，本表写作「审计局机关党委」；已按支部名称对应（二支部登记表.xlsx），请核对后统一",
            // At the empty label (E2), where the value belongs.
            "[警告] 二支部评分表.xlsx › 评分表 › E2：未填写所属党组织（所属党组织/上级党组织/所属党委），归入“未填写”",
        ]
    );
    assert_eq!(tier(&eval, "一支部"), "五星");
    assert_eq!(tier(&eval, "二支部"), "五星");
}
