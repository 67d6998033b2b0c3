//! Other localities' published schemes, their forms rebuilt as branches fill
//! them (tests/fixtures/localities, written with openpyxl): read as they
//! are, with only a scheme file, and scored to the results computed by hand.

use std::path::{Path, PathBuf};

use crate::common::*;
use starsheet::scheme::Schemes;
use starsheet::{Evaluation, Plan};

fn locality(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/localities")
        .join(name)
}

fn evaluate(name: &str) -> Evaluation {
    let dir = locality(name);
    let scheme = dir.join("方案.toml");
    let schemes = Schemes::with_branch(scheme.to_str().unwrap()).unwrap();
    starsheet::evaluate(&Plan::new(dir.join("收件箱"), schemes)).unwrap()
}

#[test]
fn wuxing_forms_score_to_the_hand_results() {
    let eval = evaluate("wuxing");
    // Points in the labels, one row per indicator, the locality's column
    // titles and identity label, the office's tally with 不了解 left out.
    let expected = [
        ("市直机关工委第一党支部", 101.275, "五星", 9.275, 5.0),
        ("市直机关工委第二党支部", 84.5, "四星", 8.5, 0.0),
        (
            "市直机关工委第三党支部",
            61.0 + 26.7 / 36.0 * 10.0,
            "二星",
            26.7 / 36.0 * 10.0,
            0.0,
        ),
    ];
    for (name, total, tier_name, masses, bonus) in expected {
        let b = branch(&eval, name);
        assert!((b.total.unwrap() - total).abs() < 1e-9, "{name}: {:?}", b.total);
        assert_eq!(tier(&eval, name), tier_name);
        assert!((b.indicators[6].score - masses).abs() < 1e-9, "{name}");
        assert_eq!(b.bonus, bonus);
        assert_eq!(b.identity.parent.as_deref(), Some("市直机关工委"));
    }
    let first = branch(&eval, "市直机关工委第一党支部");
    let scores: Vec<f64> = first.indicators[..6].iter().map(|i| i.score).collect();
    assert_eq!(scores, [15.0, 10.0, 10.0, 9.0, 10.0, 33.0]);
    let stats = first.ballots.as_ref().unwrap();
    let detail = stats.detail.as_ref().unwrap();
    assert_eq!(detail.questions[0].counts, [30, 8, 2, 3]);
    assert_eq!((stats.issued, stats.returned, stats.valid), (Some(43), Some(43), 43));
    assert_eq!(detail.satisfaction, Some(38.0 / 40.0));
    // The office typed 群众评价 on the form too; it is noted, not counted,
    // and the 合计 that includes it agrees. Nothing else is reported.
    assert_eq!(problems(&eval), Vec::<String>::new());
    assert_eq!(
        messages(&eval),
        [
            "[提示] 市直机关工委第一党支部申报表.xlsx › 申报表 › A10：「群众评价」由测评票计算，评分表中填写的分数不计入",
            "[提示] 市直机关工委第三党支部申报表.xlsx › 申报表 › A10：「群众评价」由测评票计算，评分表中填写的分数不计入",
            "[提示] 市直机关工委第二党支部申报表.xlsx › 申报表 › A10：「群众评价」由测评票计算，评分表中填写的分数不计入",
        ]
    );
}

/// A tally sheet of the wuxing scheme's one question, rows as given.
fn tally_sheet(branch: &str, rows: &[(&str, [V; 4])]) -> SheetSpec {
    let mut s = SheetSpec::new("汇总");
    s.set(0, 0, format!("党组织名称：{branch}").as_str());
    for (c, title) in ["测评项目", "满意", "基本满意", "不满意", "不了解"].iter().enumerate() {
        s.set(2, c as u16, *title);
    }
    for (r, (question, counts)) in rows.iter().enumerate() {
        s.set(3 + r as u32, 0, *question);
        for (c, n) in counts.iter().enumerate() {
            s.set(3 + r as u32, c as u16 + 1, n.clone());
        }
    }
    s
}

#[test]
fn tallies_name_their_bad_counts_and_rows_by_cell() {
    let inbox = Inbox::new();
    std::fs::copy(
        locality("wuxing").join("收件箱/市直机关工委第二党支部申报表.xlsx"),
        inbox.file("二支部申报表.xlsx"),
    )
    .unwrap();
    let rows = [
        (
            "群众满意度",
            [V::N(20.0), V::S("十五".into()), V::S("5票".into()), V::N(6.0)],
        ),
        ("其他意见", [V::N(1.0), V::N(2.0), V::N(0.0), V::N(0.0)]),
    ];
    write_xlsx(
        &inbox.file("测评汇总.xlsx"),
        &[tally_sheet("市直机关工委第二党支部", &rows)],
    );
    let scheme = locality("wuxing").join("方案.toml");
    let eval = inbox.evaluate_with(scheme.to_str().unwrap());
    assert_eq!(
        problems(&eval),
        [
            "[错误] 测评汇总.xlsx › 汇总 › C4：「基本满意」的票数「十五」不是整数",
            "[警告] 测评汇总.xlsx › 汇总 › A5：汇总表中的「其他意见」不是评星方案的测评题目，该行未计入",
        ]
    );
    // The tally had an error: its branch is held back, not scored from half a count.
    assert_eq!(tier(&eval, "市直机关工委第二党支部"), "待核实");
}

#[test]
fn a_register_without_recommended_stars_scores_without_a_yixing_result() {
    let inbox = Inbox::new();
    inbox.form("一支部评分表.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let mut register = RegisterSpec::uniform("一支部", 6, "好", "");
    register.questions = STANDARD_QUESTIONS.map(String::from).to_vec();
    let mut sheet = register.sheet_spec();
    sheet.clear(3, 6);
    write_xlsx(&inbox.file("一支部登记表.xlsx"), &[sheet]);
    let eval = inbox.evaluate();
    let b = branch(&eval, "一支部");
    assert_eq!(b.total, Some(100.0), "{:?}", messages(&eval));
    let detail = b.ballots.as_ref().unwrap().detail.as_ref().unwrap();
    assert_eq!((detail.yixing, detail.stars.iter().sum::<u32>()), (None, 0));
    assert!(
        messages(&eval)
            .contains(&"[提示] 一支部登记表.xlsx › 登记表：登记表没有“推荐星级”栏，该支部没有议星结果".to_string()),
        "{:?}",
        messages(&eval)
    );
}

#[test]
fn without_the_scheme_each_sheet_says_what_it_resembles_and_what_to_add() {
    let dir = locality("wuxing");
    let plan = Plan::new(dir.join("收件箱"), Schemes::with_branch("standard").unwrap());
    let eval = starsheet::evaluate(&plan).unwrap();
    let about = |file: &str, sheet: &str| -> Vec<String> {
        eval.issues
            .iter()
            .filter(|i| i.file == file && i.sheet.as_deref() == Some(sheet))
            .map(|i| i.to_string())
            .collect()
    };
    assert_eq!(
        about("市直机关工委第一党支部申报表.xlsx", "申报表"),
        [
            "[警告] 市直机关工委第一党支部申报表.xlsx › 申报表：这张表像评分表（表头在第 3 行），\
          但缺少指标栏（可写作：考评项目、指标、项目）、考核得分栏（可写作：考核得分、评定得分、考核评分）、\
          分值栏（可写作：分值、标准分、满分；或在项目名称中写明分值，如“领导班子（15分）”），本表未读取。\
          若本地表格用的就是这些栏目名称，在评星方案的 [labels] 中写：indicator = [\"项目及分值\"]，\
          standard = [\"评分要点\"]，self_score = [\"党支部自评\"]，assessed = [\"党委考评\"]，reason = [\"考评记载\"]"
        ]
    );
    assert_eq!(
        about("群众满意度测评汇总.xlsx", "第二党支部"),
        [
            "[警告] 群众满意度测评汇总.xlsx › 第二党支部：这张表像测评票或测评汇总表（第 5 行），\
          但其中的评价等次「满意」「基本满意」「不满意」「不了解」与评星方案的「好」「较好」「一般」「差」不同，本表未读取；\
          若本地用这些等次，在评星方案的 [ballot] ratings 中写明每个等次及其分值"
        ]
    );
}

/// `starsheet scheme draft` on a locality's blank form, checked against the
/// committed scheme: the same above the marker, where only tiers and ballot
/// settings are edited, once the locality's rules (`rules`: each a text of
/// the draft and what the scheme says instead) are written in.
fn drafted_with_rules(name: &str, blank: &str, rules: &[(&str, &str)]) -> String {
    let dir = locality(name);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_starsheet"))
        .args(["scheme", "draft"])
        .arg(dir.join(blank))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let drafted = String::from_utf8(run.stdout).unwrap();
    let adopted = std::fs::read_to_string(dir.join("方案.toml")).unwrap();
    let marker = starsheet::draft::EDIT_BELOW;
    let above = |text: &str| text[..text.find(marker).unwrap()].to_string();
    let mut expected = above(&drafted);
    for (from, to) in rules {
        assert_eq!(expected.matches(from).count(), 1, "{name}: {from}");
        expected = expected.replacen(from, to, 1);
    }
    assert_eq!(expected, above(&adopted), "{name}");
    drafted
}

/// A draft whose adopted scheme edits only tiers and ballot settings.
fn drafted(name: &str, blank: &str) -> String {
    drafted_with_rules(name, blank, &[])
}

#[test]
fn a_drafted_scheme_reads_the_forms_after_only_tiers_and_ballots_are_edited() {
    // The form says the committee writes 群众评价 on it (由市直工委填写):
    // drafted as scored on the form; the locality scores it from its tally.
    let form_scored = "name = \"群众评价\"\nmax = 10\n";
    let from_tally = "name = \"群众评价\"\nmax = 10\n# 由测评票或测评汇总表计分；若在评分表上打分，删去下一行\nsource = \"ballot\"\n";
    let drafted = drafted_with_rules("wuxing", "申报表（空白）.xlsx", &[(form_scored, from_tally)]);
    for line in [
        "total_cap = 110",
        "label = \"加分项目\"\nmax = 10",
        "name = \"领导班子\"\nmax = 15",
        "name = \"工作业绩\"\nmax = 35",
        "name = \"群众评价\"\nmax = 10\n",
        "indicator = [\"项目及分值\"]",
        "assessed = [\"党委考评\"]",
        "name = [\"党组织名称\"]",
    ] {
        assert!(drafted.contains(line), "{line} not in\n{drafted}");
    }
    // The draft as written loads: its defaults are a valid scheme.
    let path = std::env::temp_dir().join(format!("starsheet-draft-{}.toml", std::process::id()));
    std::fs::write(&path, &drafted).unwrap();
    let loaded = Schemes::with_branch(path.to_str().unwrap());
    std::fs::remove_file(&path).unwrap();
    assert_eq!(loaded.unwrap().branch.indicators.len(), 7);
}

#[test]
fn our_own_template_drafts_back_into_the_standard_indicators() {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/standard/评分表.xlsx");
    let schemes = Schemes::with_branch("standard").unwrap();
    let drafted = starsheet::draft::draft(&template, &schemes).unwrap();
    let standard = &schemes.branch;
    for ind in &standard.indicators {
        assert!(drafted.contains(&format!("name = \"{}\"", ind.name)), "{}", ind.name);
        for item in &ind.items {
            assert!(drafted.contains(&format!("{{ name = \"{}\", max = {} }}", item.name, item.max)));
        }
    }
    assert!(drafted.contains("\"评星定级中弄虚作假\",\n]"), "{drafted}");
    assert!(!drafted.contains("[labels]"), "our titles need no labels:\n{drafted}");
}

#[test]
fn village_forms_read_by_their_place_line_with_the_points_of_the_note() {
    // No points on the form (the note under it says 每颗星基准分100分), one
    // row per star, one 得分 column, the place line instead of a name label.
    let drafted = drafted("cunji", "考评细则（空白）.xlsx");
    assert!(drafted.contains(
        "name = \"班子坚强星\"\nmax = 100  # 取自表下说明「说明：每颗星基准分100分，得分在80分以上获得该星。」"
    ));
    assert!(drafted.contains("total_cap = 500"));
    assert!(drafted.contains("reason = [\"考评记载\"]\nassessed = [\"得分\"]"));
    assert!(
        !drafted.contains("考评组成员"),
        "the signature line is no indicator:\n{drafted}"
    );

    let eval = evaluate("cunji");
    let expected = [
        ("东关村", "城关镇", [92.0, 85.0, 78.0, 88.0, 81.0]),
        ("西街村", "城关镇", [100.0, 95.0, 90.0, 86.0, 80.0]),
        ("李家村", "河口乡", [75.0, 82.0, 60.0, 79.0, 90.0]),
    ];
    for (name, town, stars) in expected {
        let b = branch(&eval, name);
        assert_eq!(b.identity.parent.as_deref(), Some(town));
        let scores: Vec<f64> = b.indicators.iter().map(|i| i.score).collect();
        assert_eq!(scores, stars, "{name}");
        assert_eq!(b.total, Some(stars.iter().sum()), "{name}");
    }
    // Its own rule: a star earned at 80 % (80 itself earns it), the level
    // the number of stars earned.
    for (name, earned, level) in [("东关村", 4, "四星"), ("西街村", 5, "五星"), ("李家村", 2, "二星")] {
        let b = branch(&eval, name);
        let held = b
            .indicators
            .iter()
            .filter(|i| i.medal.as_deref() == Some("得星"))
            .count();
        assert_eq!(
            (held, tier(&eval, name).to_string()),
            (earned, level.to_string()),
            "{name}"
        );
        // The count is the rule itself: nothing moved the tier.
        assert!(b.adjustments.is_empty(), "{name}");
    }
    // No form of the round has a self-score column: said once, for the round.
    let mut expected_messages = vec![
        "[提示] （收件箱）：本轮 3 份评分表都没有“自评分”列（可用的列名：自评分、自评得分），不检查自评偏高"
            .to_string(),
    ];
    for file in ["城关镇东关村", "城关镇西街村", "河口乡李家村"] {
        expected_messages.push(format!(
            "[提示] {file}.xlsx › 考评细则：表中没有写明分值（没有“分值”列，项目中也没有“（N分）”），\
             得分按评星方案「考评细则（空白）」的分值核对"
        ));
    }
    assert_eq!(messages(&eval), expected_messages);
}

#[test]
fn a_grouping_column_merged_over_its_rows_is_read_past() {
    // 类别 merged over 基础项 / 减分项 / 评议项; titles 考核项目, 考核内容,
    // 党支部自评, 党委考评; identity as 党组织名称：… 上级党组织：….
    // The locality's rules, written in by hand: parts weighed 70 % and
    // 30 %, the 减分项 deducted from 基础项, a total out of 100.
    let basic = |name: &str| {
        (
            format!("name = \"{name}\"\nmax = 20\n"),
            format!("name = \"{name}\"\nmax = 20\npart = \"基础项\"\n"),
        )
    };
    let review = |name: &str| {
        (
            format!("name = \"{name}\"\nmax = 50\n"),
            format!("name = \"{name}\"\nmax = 50\npart = \"评议项\"\n"),
        )
    };
    let mut rules: Vec<(String, String)> = ["组织建设", "党员队伍", "组织生活", "制度落实", "作用发挥"]
        .map(basic)
        .into_iter()
        .chain(["党员评议", "群众评议"].map(review))
        .collect();
    // The draft sums what can be earned (the 减分项 is no part of it) and
    // reads 负面清单 under 类别 减分项 as deductions.
    rules.push((
        "total_cap = 200".into(),
        "total_cap = 100  # 本地方案：百分制（加权后）".into(),
    ));
    rules.push((
        "name = \"负面清单\"\nmax = 20\nnegative = true  # 减分项：表上填扣掉的分数\n".into(),
        "name = \"负面清单\"\nmax = 20\nnegative = true  # 本地方案：减分项，从基础项中扣除\npart = \"基础项\"\n"
            .into(),
    ));
    rules.push((
        "# 本地表格的栏目名称".into(),
        "# 本地方案：基础项扣除减分项得分，按 70% 计入总分；评议项得分按 30% 计入总分\n\
         [[parts]]\nname = \"基础项\"\nweight = 0.7\n\n[[parts]]\nname = \"评议项\"\nweight = 0.3\n\n\
         # 本地表格的栏目名称"
            .into(),
    ));
    let rules: Vec<(&str, &str)> = rules.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let drafted = drafted_with_rules("pingxing", "评分表（空白）.xlsx", &rules);
    for line in [
        "# 类别：基础项\n\n[[indicators]]\nname = \"组织建设\"\nmax = 20",
        "# 类别：减分项\n\n[[indicators]]\nname = \"负面清单\"\nmax = 20",
        "# 类别：评议项\n\n[[indicators]]\nname = \"党员评议\"\nmax = 50",
        "indicator = [\"考核项目\"]\nstandard = [\"考核内容\"]\nself_score = [\"党支部自评\"]\nassessed = [\"党委考评\"]\nname = [\"党组织名称\"]",
    ] {
        assert!(drafted.contains(line), "{line} not in\n{drafted}");
    }
    assert!(!drafted.contains("name = \"基础项\""), "{drafted}");

    let eval = evaluate("pingxing");
    // Per row as the 党委 scored it: five 基础项, the 减分项 deduction, two 评议项.
    let expected = [
        (
            "县税务局第一党支部",
            "县直机关工委",
            [19.0, 18.0, 19.0, 18.0, 20.0, 0.0, 46.0, 44.0],
        ),
        (
            "县税务局第二党支部",
            "县直机关工委",
            [17.0, 16.0, 16.0, 15.0, 17.0, 5.0, 40.0, 39.0],
        ),
        (
            "县医院党支部",
            "县卫健委党委",
            [15.0, 14.0, 14.0, 13.0, 14.0, 10.0, 35.0, 33.0],
        ),
    ];
    for (name, parent, rows) in expected {
        let b = branch(&eval, name);
        assert_eq!(b.identity.parent.as_deref(), Some(parent));
        let scores: Vec<f64> = b.indicators.iter().map(|i| i.score).collect();
        assert_eq!(scores, rows, "{name}");
    }
    // Its own rules: (基础项 − 减分项) × 70 % + 评议项 × 30 %.
    // 五星 by points, but 五星 may be at most 30 % of the three branches,
    // ⌊0.9⌋ = 0: moved down, and said so.
    for (name, basic, review, total, tier_name) in [
        ("县税务局第一党支部", 94.0, 90.0, 92.8, "四星"),
        ("县税务局第二党支部", 76.0, 79.0, 76.9, "三星"),
        ("县医院党支部", 60.0, 68.0, 62.4, "二星"),
    ] {
        let b = branch(&eval, name);
        let parts: Vec<(&str, f64)> = b.parts.iter().map(|p| (&*p.name, p.score)).collect();
        assert_eq!(parts, [("基础项", basic), ("评议项", review)], "{name}");
        assert!((b.total.unwrap() - total).abs() < 1e-9, "{name}: {:?}", b.total);
        assert_eq!(tier(&eval, name), tier_name);
    }
    assert_eq!(
        branch(&eval, "县税务局第一党支部").adjustment_texts(&eval.schemes.branch),
        ["超出五星名额（五星名额为参评数的 30.0%，共 0 个），按排名调整为四星"]
    );
    let mut expected_messages = Vec::new();
    for file in ["县医院党支部", "县税务局第一党支部", "县税务局第二党支部"] {
        for cell in ["E10", "E11"] {
            expected_messages.push(format!(
                "[警告] {file}评分表.xlsx › 评分表 › {cell}：自评分未填写，该指标不检查自评偏高"
            ));
        }
    }
    assert_eq!(messages(&eval), expected_messages);
}

#[test]
fn a_tally_without_recommended_stars_shows_no_table_of_zeros() {
    let dir = locality("wuxing");
    let scheme = dir.join("方案.toml");
    let mut plan = Plan::new(
        dir.join("收件箱"),
        Schemes::with_branch(scheme.to_str().unwrap()).unwrap(),
    );
    let out = tempfile::tempdir().unwrap();
    plan.out_dir = Some(out.path().to_path_buf());
    starsheet::score(&plan).unwrap();
    let rows = read_sheet(
        &out.path().join("反馈/市直机关工委/市直机关工委第三党支部.xlsx"),
        "测评情况",
    );
    // 不了解 shown, left out of the rate: 22 satisfied of 36 counted.
    assert_eq!(
        rows[5],
        [
            "测评题目",
            "满意",
            "基本满意",
            "不满意",
            "不了解",
            "多选",
            "未评",
            "满意率"
        ]
    );
    assert_eq!(
        rows[6],
        [
            "群众满意度",
            "10",
            "12",
            "14",
            "9",
            "0",
            "0",
            &*(22.0 / 36.0).to_string()
        ]
    );
    assert_eq!(
        rows[8..].iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        [
            "本次测评没有推荐星级，无议星结果。",
            "",
            "本表只含汇总数，不含任何一张测评票的内容。"
        ]
    );
    let stats = read_sheet(&out.path().join("汇总排名.xlsx"), "测评统计");
    let third = stats.iter().find(|r| r[0] == "市直机关工委第三党支部").unwrap();
    // 推荐星级 (five tiers and 多选) and 议星结果 left empty, not zeros.
    let star_cols = third.len() - 9..third.len() - 2;
    assert!(third[star_cols].iter().all(String::is_empty), "{third:?}");
}

#[test]
fn a_scheme_without_bonus_prints_no_bonus_row() {
    // The village scheme has no [bonus]: it loads, and no output offers a
    // 加分 of “最高 0 分”.
    let dir = locality("cunji");
    let adopted = std::fs::read_to_string(dir.join("方案.toml")).unwrap();
    assert!(!adopted.contains("\n[bonus]"));
    let scheme = dir.join("方案.toml");
    let mut plan = Plan::new(
        dir.join("收件箱"),
        Schemes::with_branch(scheme.to_str().unwrap()).unwrap(),
    );
    assert_eq!(plan.schemes.branch.bonus.max, 0.0);
    let out = tempfile::tempdir().unwrap();
    plan.out_dir = Some(out.path().to_path_buf());
    starsheet::score(&plan).unwrap();
    let result = read_sheet(&out.path().join("反馈/城关镇/东关村.xlsx"), "评定结果");
    assert!(result.iter().all(|r| r[0] != "加分"), "{result:?}");
    assert!(result.iter().any(|r| r[0] == "班子坚强星"), "{result:?}");
    let scheme_sheet = read_sheet(&out.path().join("汇总排名.xlsx"), "评星方案");
    assert!(
        scheme_sheet.iter().any(|r| r.contains(&"不设加分".to_string())),
        "{scheme_sheet:?}"
    );
}
