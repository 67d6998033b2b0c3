//! 疑似雷同: copied or made-up forms across the round, flagged for review —
//! copied scoring forms, registers alike across branches or repeating
//! within themselves, copied member rosters — and nothing where honest
//! branches look alike by chance.

use std::path::{Path, PathBuf};

use crate::common::*;
use starsheet::forms::FormKind;
use starsheet::record::Record;
use starsheet::results::{RepeatedBlock, Resemblance, ResemblanceKind, RowSpan};
use starsheet::scheme::Schemes;
use starsheet::{Evaluation, Plan};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox")
}

/// Copies a folder, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Each resemblance as the summary lists it: category, files, what was found.
fn listed(eval: &Evaluation) -> Vec<String> {
    eval.resemblances
        .iter()
        .map(|r| {
            let sheets: Vec<String> = r
                .sheets
                .iter()
                .map(|s| format!("{} › {}", s.source.file, s.source.sheet))
                .collect();
            format!("{}｜{}｜{}", r.label(), sheets.join("、"), r.describe())
        })
        .collect()
}

const TAX: &str = "市税务局机关党委";
const THIRD: &str = "市税务局机关党委/市税务局机关第三党支部评分表.xlsx";
const FOURTH: &str = "市税务局机关党委/市税务局机关第四党支部评分表.xlsx";

/// The sample inbox with 税务局第三党支部's scoring form replaced by
/// 第四党支部's, only the branch name changed.
fn inbox_with_copied_form() -> Inbox {
    let inbox = Inbox::new();
    copy_dir(&samples(), inbox.path());
    std::fs::copy(inbox.file(FOURTH), inbox.file(THIRD)).unwrap();
    fill_xlsx(
        &inbox.file(THIRD),
        "xl/worksheets/sheet1.xml",
        &[(
            "A1",
            format!("支部名称：市税务局机关第三党支部    所属党组织：{TAX}")
                .as_str()
                .into(),
        )],
    );
    inbox
}

#[test]
fn a_copied_scoring_form_is_flagged_with_both_files_and_nothing_else_changes() {
    let inbox = inbox_with_copied_form();
    let eval = inbox.evaluate();
    assert_eq!(
        listed(&eval),
        [format!(
            "评分表雷同｜{THIRD} › 评分表、{FOURTH} › 评分表｜两份评分表 16 项的自评分、考核得分和扣分原因逐项相同（其中 16 项失分或写有扣分原因）"
        )]
    );
    let r = &eval.resemblances[0];
    assert_eq!(
        r.kind,
        ResemblanceKind::ScoringForms {
            form: FormKind::Scoring,
            items: 16,
            marked: 16
        }
    );
    let whose: Vec<(&str, Option<&str>)> = r
        .sheets
        .iter()
        .map(|s| (s.identity.name.as_str(), s.identity.parent.as_deref()))
        .collect();
    assert_eq!(
        whose,
        [
            ("市税务局机关第三党支部", Some(TAX)),
            ("市税务局机关第四党支部", Some(TAX))
        ]
    );
    // A flag for review, not a veto: both are rated on what they sent, with
    // the same points from the same form.
    let (third, fourth) = (
        branch(&eval, "市税务局机关第三党支部"),
        branch(&eval, "市税务局机关第四党支部"),
    );
    assert_eq!(tier(&eval, "市税务局机关第三党支部"), "无星");
    let form_points = |b: &starsheet::results::Assessment| -> f64 {
        b.indicators
            .iter()
            .filter(|i| i.source == starsheet::scheme::Source::Form)
            .map(|i| i.score)
            .sum()
    };
    assert_eq!(form_points(third), 54.5);
    assert_eq!(form_points(fourth), 54.5);
    assert!(!eval.issues.iter().any(|i| i.message.contains("雷同")));
}

#[test]
fn full_marks_one_score_everywhere_and_a_couple_of_deductions_are_no_copy() {
    let inbox = Inbox::new();
    // Full marks, no reasons: what every excellent branch sends.
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    inbox.form_with_ballots(&FormSpec::standard("二支部", "甲党委"));
    // One score on every item: as uninformative as full marks.
    inbox.form_with_ballots(&FormSpec::standard("三支部", "甲党委").scores(&[3.5; 16]));
    inbox.form_with_ballots(&FormSpec::standard("四支部", "甲党委").scores(&[3.5; 16]));
    // Two deductions with the assessors' stock reason: near-perfect
    // branches share that by chance.
    let two_lost = |name: &str| {
        let mut f = FormSpec::standard(name, "乙党委");
        for i in [2, 12] {
            f.assessed[i] = Some(V::N(STANDARD_MAX[i] - 0.5));
            f.reasons[i] = Some("材料不齐全".into());
        }
        f
    };
    inbox.form_with_ballots(&two_lost("五支部"));
    inbox.form_with_ballots(&two_lost("六支部"));
    let eval = inbox.evaluate();
    assert_eq!(listed(&eval), Vec::<String>::new());

    // A third deduction alike makes the two a case.
    let three_lost = |name: &str| {
        let mut f = two_lost(name);
        f.self_scores[7] = Some(V::N(3.0));
        f.assessed[7] = Some(V::N(3.0));
        f
    };
    inbox.form_with_ballots(&three_lost("五支部"));
    inbox.form_with_ballots(&three_lost("六支部"));
    assert_eq!(
        listed(&inbox.evaluate()),
        [
            "评分表雷同｜五支部评分表.xlsx › 评分表、六支部评分表.xlsx › 评分表｜两份评分表 16 项的自评分、考核得分和扣分原因逐项相同（其中 3 项失分或写有扣分原因）"
        ]
    );
}

/// A standard form with three deductions (items 2, 7, 12) and, at `vary`,
/// one more item lowered by half a point.
fn deducted(name: &str, vary: Option<usize>) -> FormSpec {
    let mut f = FormSpec::standard(name, "甲党委");
    for i in [2, 7, 12] {
        f.assessed[i] = Some(V::N(STANDARD_MAX[i] - 1.0));
        f.reasons[i] = Some("材料不齐全".into());
    }
    if let Some(i) = vary {
        f.assessed[i] = Some(V::N(STANDARD_MAX[i] - 0.5));
    }
    f
}

#[test]
fn forms_alike_among_many_nearly_alike_are_chance() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&deducted("一支部", None));
    inbox.form_with_ballots(&deducted("二支部", None));
    // Two more a point away: still a case (a copy touched up in places
    // does not hide the others).
    inbox.form_with_ballots(&deducted("三支部", Some(0)));
    inbox.form_with_ballots(&deducted("四支部", Some(1)));
    assert_eq!(
        listed(&inbox.evaluate()),
        [
            "评分表雷同｜一支部评分表.xlsx › 评分表、二支部评分表.xlsx › 评分表｜两份评分表 16 项的自评分、考核得分和扣分原因逐项相同（其中 3 项失分或写有扣分原因）"
        ]
    );
    // A third within three items: forms like these are common in this
    // round, so two the same are expected.
    inbox.form_with_ballots(&deducted("五支部", Some(3)));
    assert_eq!(listed(&inbox.evaluate()), Vec::<String>::new());
}

#[test]
fn party_group_forms_are_compared_with_party_group_forms() {
    let inbox = Inbox::new();
    let maxima = item_maxima("group");
    let scores: Vec<f64> = maxima
        .iter()
        .enumerate()
        .map(|(i, m)| if i % 3 == 0 { m - 1.0 } else { *m })
        .collect();
    inbox.form(
        "第一党小组.xlsx",
        &FormSpec::group("第一党小组", "一支部").scores(&scores),
    );
    inbox.form(
        "第二党小组.xlsx",
        &FormSpec::group("第二党小组", "二支部").scores(&scores),
    );
    let eval = inbox.evaluate();
    assert_eq!(eval.groups.len(), 2);
    assert_eq!(
        listed(&eval),
        [format!(
            "评分表雷同｜第一党小组.xlsx › 考评表、第二党小组.xlsx › 考评表｜两份党小组考评表 {} 项的自评分、考核得分和扣分原因逐项相同（其中 {} 项失分或写有扣分原因）",
            maxima.len(),
            maxima.len().div_ceil(3)
        )]
    );
}

const RATINGS: [&str; 4] = ["好", "较好", "一般", "差"];
const STARS: [&str; 6] = ["五星", "四星", "三星", "二星", "一星", "无星"];

/// `n` ballots unlike each other in every run of a few (a fixed stream).
fn varied(n: usize, seed: u64) -> Vec<[&'static str; 6]> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            let mut pick = |k: usize| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 33) as usize % k
            };
            let mut row = [""; 6];
            for cell in row.iter_mut().take(5) {
                *cell = RATINGS[pick(4)];
            }
            row[5] = STARS[pick(6)];
            row
        })
        .collect()
}

#[test]
fn registers_of_two_branches_with_the_same_ballots_in_order_are_flagged() {
    let inbox = Inbox::new();
    let ballots = varied(8, 1);
    for name in ["一支部", "二支部", "三支部"] {
        inbox.form(&format!("{name}评分表.xlsx"), &FormSpec::standard(name, "甲党委"));
    }
    inbox.register("一支部登记表.xlsx", &RegisterSpec::rows("一支部", &ballots));
    inbox.register("二支部登记表.xlsx", &RegisterSpec::rows("二支部", &ballots));
    // The same ballots in another order are not a copy of the sequence.
    let mut shuffled = ballots.clone();
    shuffled.reverse();
    inbox.register("三支部登记表.xlsx", &RegisterSpec::rows("三支部", &shuffled));
    let eval = inbox.evaluate();
    assert_eq!(
        listed(&eval),
        [
            "测评票登记表雷同｜一支部登记表.xlsx › 登记表、二支部登记表.xlsx › 登记表｜两份测评票登记表的 8 张票逐张相同，顺序也相同"
        ]
    );
    // Uniform voting in two branches is not: every branch of the other
    // tests sends five 好/五星 ballots.
    assert_eq!(eval.resemblances[0].kind, ResemblanceKind::Registers { ballots: 8 });
}

#[test]
fn a_pasted_block_and_a_register_of_identical_ballots_are_named_by_rows() {
    let inbox = Inbox::new();
    for name in ["一支部", "二支部", "三支部"] {
        inbox.form(&format!("{name}评分表.xlsx"), &FormSpec::standard(name, "甲党委"));
    }
    // Ballots 1–10 (rows 5–14) pasted again as ballots 21–30 (rows 25–34).
    let mut ballots = varied(30, 7);
    let block: Vec<[&str; 6]> = ballots[..10].to_vec();
    ballots[20..30].copy_from_slice(&block);
    inbox.register("一支部登记表.xlsx", &RegisterSpec::rows("一支部", &ballots));
    inbox.register(
        "二支部登记表.xlsx",
        &RegisterSpec::uniform("二支部", 12, "较好", "四星"),
    );
    // Nine alike are under the minimum; so is a short uniform block.
    let mut short = RegisterSpec::uniform("三支部", 9, "好", "五星");
    short
        .rows
        .extend(varied(6, 3).iter().map(|r| r.map(String::from).to_vec()));
    inbox.register("三支部登记表.xlsx", &short);
    let eval = inbox.evaluate();
    assert_eq!(
        listed(&eval),
        [
            "测评票成块重复｜一支部登记表.xlsx › 登记表｜登记表共 30 张票，第5—14行与第25—34行完全相同（各 10 张票）",
            "全部票相同｜二支部登记表.xlsx › 登记表｜登记表全部 12 张票完全相同（第5—16行）",
        ]
    );
    assert_eq!(
        eval.resemblances[0].kind,
        ResemblanceKind::RepeatedBlocks {
            ballots: 30,
            blocks: vec![RepeatedBlock {
                rows: RowSpan { first: 5, last: 14 },
                again: RowSpan { first: 25, last: 34 },
                ballots: 10
            }]
        }
    );
}

#[test]
fn one_voter_ballots_are_never_compared() {
    let inbox = Inbox::new();
    // Two branches whose one-voter ballots are all the same, a dozen each:
    // as registers they would be flagged twice over.
    for name in ["一支部", "二支部"] {
        inbox.form(&format!("{name}评分表.xlsx"), &FormSpec::standard(name, "甲党委"));
        let sheets: Vec<SheetSpec> = (0..12)
            .map(|k| {
                let mut s = SheetSpec::new(&format!("第{}票", k + 1));
                s.set(0, 0, format!("支部名称：{name}").as_str());
                s.set(2, 0, "测评项目");
                for (c, r) in RATINGS.iter().enumerate() {
                    s.set(2, c as u16 + 1, *r);
                }
                for (q, question) in STANDARD_QUESTIONS.iter().enumerate() {
                    s.set(3 + q as u32, 0, *question).set(3 + q as u32, 2, "✓");
                }
                s.set(9, 0, "推荐星级");
                for (c, star) in STARS.iter().enumerate() {
                    s.set(9, c as u16 + 1, *star);
                }
                s.set(10, 2, "√");
                s
            })
            .collect();
        write_xlsx(&inbox.file(&format!("{name}测评票.xlsx")), &sheets);
    }
    let eval = inbox.evaluate();
    assert_eq!(branch(&eval, "一支部").ballots.as_ref().unwrap().counted, 12);
    assert_eq!(listed(&eval), Vec::<String>::new());
}

/// Five members' aspects and bonus, each a little different.
fn members<'a>(names: &[&'a str]) -> Vec<MemberRow<'a>> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (
                *name,
                [18.0, 17.5 - i as f64, 19.0, 16.0 + i as f64 * 0.5, 18.5],
                i as f64,
                false,
            )
        })
        .collect()
}

#[test]
fn copied_rosters_by_their_names_or_their_scores() {
    let inbox = Inbox::new();
    let names = ["张伟", "王芳", "李娜", "刘强", "陈静"];
    // 二支部 copied 一支部's roster whole.
    inbox.roster("一支部党员.xlsx", "一支部", Some("甲党委"), &members(&names));
    inbox.roster("二支部党员.xlsx", "二支部", Some("甲党委"), &members(&names));
    // 三支部: the same scores in the same order under other names.
    inbox.roster(
        "三支部党员.xlsx",
        "三支部",
        Some("甲党委"),
        &members(&["赵磊", "孙敏", "周杰", "吴艳", "郑涛"]),
    );
    // 四支部 and 五支部: the same members (one written with a space),
    // scored apart.
    let mut four = members(&["黄明", "林超", "何霞"]);
    four.truncate(3);
    let mut five = members(&["何霞", "黄 明", "林超"]);
    five.truncate(3);
    five[0].1[0] = 12.0;
    inbox.roster("四支部党员.xlsx", "四支部", Some("乙党委"), &four);
    inbox.roster("五支部党员.xlsx", "五支部", Some("乙党委"), &five);
    let eval = inbox.evaluate();
    // Files in path order (by code point: 一 三 二 五 四), as every list.
    assert_eq!(
        listed(&eval),
        [
            "党员名单雷同｜一支部党员.xlsx › 党员星级评定表、二支部党员.xlsx › 党员星级评定表｜两份党员星级评定表的 5 名党员姓名相同，各人得分也依次相同",
            "党员名单雷同｜五支部党员.xlsx › 党员星级评定表、四支部党员.xlsx › 党员星级评定表｜两份党员星级评定表的 3 名党员姓名相同",
            "党员名单雷同｜一支部党员.xlsx › 党员星级评定表、三支部党员.xlsx › 党员星级评定表、二支部党员.xlsx › 党员星级评定表｜3 份党员星级评定表 5 名党员的各项得分和加分依次相同，姓名不同",
        ]
    );
    // The members are rated all the same.
    assert_eq!(eval.members.len(), 21);
}

#[test]
fn the_sample_inboxes_of_200_and_1000_branches_hold_no_resemblance() {
    let schemes = Schemes::with_branch("standard").unwrap();
    for (branches, seed) in [(200, 7), (1000, 2026)] {
        let dir = tempfile::tempdir().unwrap();
        starsheet::sample::generate(&schemes, branches, seed, dir.path()).unwrap();
        let eval = starsheet::evaluate(&Plan::new(dir.path(), schemes.clone())).unwrap();
        assert_eq!(eval.branches.len(), branches);
        assert_eq!(listed(&eval), Vec::<String>::new(), "{branches} branches");
    }
}

#[test]
fn the_summary_sheet_the_terminal_and_results_json() {
    let inbox = inbox_with_copied_form();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("结果");
    let mut plan = Plan::new(inbox.path(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.clone());
    plan.json = Some(out.join("results.json"));
    let outcome = starsheet::score(&plan).unwrap();
    let summary = out.join("汇总排名.xlsx");
    let wb = calamine::open_workbook_auto(&summary).unwrap();
    use calamine::Reader;
    assert_eq!(
        wb.sheet_names(),
        [
            "总排名",
            "星级分布",
            "党组织统计",
            "党小组排名",
            "测评统计",
            "问题清单",
            "疑似雷同",
            "文件清单",
            "评星方案"
        ]
    );
    let rows: Vec<String> = read_sheet(&summary, "疑似雷同").iter().map(|r| r.join("|")).collect();
    assert_eq!(
        rows,
        [
            "疑似雷同 1 处（评分表雷同 1 处）。以下情况仅供核查，不作为否决依据：请向有关支部核实，确属弄虚作假的再按评星方案处理。||||",
            "序号|类别|支部|文件与工作表|情况",
            &format!(
                "1|评分表雷同|市税务局机关第三党支部（{TAX}）市税务局机关第四党支部（{TAX}）|{THIRD} › 评分表{FOURTH} › 评分表|两份评分表 16 项的自评分、考核得分和扣分原因逐项相同（其中 16 项失分或写有扣分原因）"
            ),
        ]
    );
    let terminal = starsheet::report::terminal::summary(&outcome.evaluation, &outcome.written, &[]);
    assert!(
        terminal.contains("疑似雷同 1 处，见汇总排名.xlsx「疑似雷同」（仅供核查，不作为否决依据）\n"),
        "{terminal}"
    );
    let checked = starsheet::report::terminal::summary(&outcome.evaluation, &[], &[]);
    assert!(
        checked.contains(&format!(
            "疑似雷同 1 处（仅供核查，不作为否决依据）：\n  评分表雷同：两份评分表 16 项的自评分、考核得分和扣分原因逐项相同（其中 16 项失分或写有扣分原因）；{THIRD} › 评分表、{FOURTH} › 评分表\n"
        )),
        "{checked}"
    );

    // results.json: the list with its words and figures, read back as written.
    let json = std::fs::read(out.join("results.json")).unwrap();
    let text = String::from_utf8_lossy(&json);
    assert!(
        text.contains(r#""resemblances":[{"category":"评分表雷同","detail":"两份评分表 16 项的自评分、考核得分和扣分原因逐项相同（其中 16 项失分或写有扣分原因）","kind":"scoring_forms","form":"scoring","items":16,"marked":16,"sheets":[{"name":"市税务局机关第三党支部","parent":"市税务局机关党委","code":null,"file":"市税务局机关党委/市税务局机关第三党支部评分表.xlsx","sheet":"评分表"}"#),
        "{}",
        &text[text.find("resemblances").unwrap_or(0)..][..600.min(text.len())]
    );
    let record = Record::from_json(&json).unwrap();
    let read: Vec<&Resemblance> = record.resemblances.iter().map(|r| &*r.resemblance).collect();
    assert_eq!(read, outcome.evaluation.resemblances.iter().collect::<Vec<_>>());
}

#[test]
fn a_run_without_resemblances_writes_no_sheet_and_no_json_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = Plan::new(samples(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(dir.path().to_path_buf());
    plan.json = Some(dir.path().join("results.json"));
    let outcome = starsheet::score(&plan).unwrap();
    assert!(outcome.evaluation.resemblances.is_empty());
    let wb = calamine::open_workbook_auto(dir.path().join("汇总排名.xlsx")).unwrap();
    use calamine::Reader;
    assert!(!wb.sheet_names().iter().any(|s| s == "疑似雷同"));
    let json = std::fs::read_to_string(dir.path().join("results.json")).unwrap();
    assert!(!json.contains("resemblances"));
    // An older record, without the field, still reads.
    assert!(Record::from_json(json.as_bytes()).unwrap().resemblances.is_empty());
}
