//! Rules over rounds, read from the archive: 历次星级, the year's best
//! party groups and those to review, members left at 不予评星 for a year,
//! the members' year round by round, and branches renamed since (曾用名).

use std::path::Path;
use std::process::Command;

use starsheet::Plan;
use starsheet::results::{Evaluation, ListedRule};
use starsheet::round::{Period, Round};
use starsheet::scheme::Schemes;

use crate::common::*;

/// Scores `inbox` as round `r`, storing it in `archive`; the evaluation.
fn run(inbox: &Path, out: &Path, archive: &Path, r: &str) -> Evaluation {
    let mut plan = Plan::new(inbox, Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.to_path_buf());
    plan.round = Some(Round {
        period: Period::parse(r).unwrap(),
        date: None,
    });
    plan.archive = Some(archive.to_path_buf());
    starsheet::score(&plan).unwrap().evaluation
}

/// Group item scores summing to `total` (group scheme, 100 points).
fn group_form(name: &str, branch: &str, total: f64) -> FormSpec {
    FormSpec::group(name, branch).scores(&summing_to(&item_maxima("group"), total))
}

/// A party group in a round: name, branch, total.
type Group<'a> = (&'a str, &'a str, f64);

/// A party-group round.
fn groups_inbox(groups: &[Group]) -> Inbox {
    let inbox = Inbox::new();
    for (name, branch, total) in groups {
        inbox.form(&format!("{branch}{name}.xlsx"), &group_form(name, branch, *total));
    }
    inbox
}

#[test]
fn the_years_best_groups_and_those_rated_low_two_years_running_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("档案.sqlite");
    let out = dir.path().join("结果");
    // 甲支部 第一党小组: 基本合格 or 不合格 every half-year of 2025 and 2026.
    // 乙支部 第一党小组: low too, but 合格 once in 2025: not listed.
    let rounds: [(&str, Vec<Group>); 4] = [
        (
            "2025H1",
            vec![("第一党小组", "甲支部", 70.0), ("第一党小组", "乙支部", 85.0)],
        ),
        (
            "2025H2",
            vec![("第一党小组", "甲支部", 55.0), ("第一党小组", "乙支部", 60.0)],
        ),
        (
            "2026H1",
            vec![
                ("第一党小组", "甲支部", 75.0),
                ("第二党小组", "甲支部", 90.0),
                ("第三党小组", "甲支部", 94.0),
                ("第一党小组", "乙支部", 60.0),
                ("第二党小组", "乙支部", 88.0),
            ],
        ),
        (
            "2026H2",
            vec![
                ("第一党小组", "甲支部", 65.0),
                ("第二党小组", "甲支部", 96.0),
                ("第三党小组", "甲支部", 92.0),
                ("第一党小组", "乙支部", 62.0),
                ("第二党小组", "乙支部", 99.0),
                // Rated in the second half only: no average of the year.
                ("第四党小组", "乙支部", 100.0),
            ],
        ),
    ];
    let mut eval = None;
    for (r, groups) in &rounds {
        let inbox = groups_inbox(groups);
        if *r == "2026H2" {
            // A branch form too, so that 甲支部 gets its feedback.
            inbox.form_with_ballots(&FormSpec::standard("甲支部", "甲党委"));
        }
        eval = Some(run(inbox.path(), &out, &file, r));
    }
    let eval = eval.unwrap();
    let h = eval.history.as_ref().unwrap();
    let listed: Vec<String> = h
        .groups
        .iter()
        .map(|g| {
            let parent = g.identity.parent.as_deref().unwrap();
            match &g.rule {
                ListedRule::Best { label, average, tie } => {
                    format!("{parent} {} {label} {average} {tie}", g.identity.name)
                }
                ListedRule::Review { advice, .. } => format!("{parent} {} {advice}", g.identity.name),
                other => panic!("{other:?}"),
            }
        })
        .collect();
    assert_eq!(
        listed,
        [
            // 乙: 第二 (88 + 99) / 2 = 93.5; 第四 was rated once only.
            "乙支部 第二党小组 年度先进党小组 93.5 false",
            // 甲: 第二 (90 + 96) / 2 = 93 and 第三 (94 + 92) / 2 = 93: a tie, both shown.
            "甲支部 第二党小组 年度先进党小组 93 true",
            "甲支部 第三党小组 年度先进党小组 93 true",
            "甲支部 第一党小组 建议调整党小组长人选",
        ]
    );

    // The sheet beside the groups' ranking, with the facts read.
    let sheet = read_sheet(&out.join("汇总排名.xlsx"), "党小组评议");
    let rows: Vec<String> = sheet.iter().map(|r| r.join("|")).collect();
    assert_eq!(rows[0], "序号|所属党支部|党小组名称|情况|结论");
    assert_eq!(
        rows[2],
        "2|甲支部|第二党小组|2026年上半年 90 分（合格）、2026年下半年 96 分（优秀），平均 93 分|年度先进党小组（并列，由支部确定）"
    );
    assert_eq!(
        rows[4],
        "4|甲支部|第一党小组|2025年上半年 70 分（基本合格）、2025年下半年 55 分（不合格）、2026年上半年 75 分（基本合格）、2026年下半年 65 分（基本合格）：2 个年度内每次考评均为基本合格及以下|建议调整党小组长人选"
    );
    // The branch hears of its own groups in its feedback.
    let feedback = read_sheet(&out.join("反馈/甲党委/甲支部.xlsx"), "评定结果");
    let lines: Vec<&String> = feedback
        .iter()
        .flatten()
        .filter(|c| c.starts_with("党小组「"))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[2].starts_with("党小组「第一党小组」：2025年上半年 70 分（基本合格）"));
    assert!(lines[2].ends_with("：2 个年度内每次考评均为基本合格及以下，建议调整党小组长人选。"));

    // results.json carries the lists.
    let json = serde_json::to_string(&starsheet::record::Record::of(&eval)).unwrap();
    assert!(json.contains(
        r#""listed":[{"name":"第二党小组","parent":"乙支部","code":null,"rule":{"best":{"label":"年度先进党小组","average":93.5,"tie":false}},"rounds":[{"round":"2026年上半年","tier":"合格","total":88.0},{"round":"2026年下半年","tier":"优秀","total":99.0}]}"#
    ), "{}", &json[json.find("\"listed\"").unwrap_or(0)..][..300]);
}

/// A member with the same score in every aspect (total = 5 × `each`).
fn member(name: &str, each: f64, veto: bool) -> MemberRow<'_> {
    (name, [each; 5], 0.0, veto)
}

#[test]
fn members_left_at_no_star_for_a_year_are_listed_and_the_year_is_shown_round_by_round() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("档案.sqlite");
    let out = dir.path().join("结果");
    // 张三: 不予评星 from 2025Q3 to 2026Q3, twelve months: listed.
    // 李四: from 2025Q4 only, nine months: not yet.
    // 王五: 三星 in 2026Q1 in between: the run starts again in 2026Q2.
    // 赵六: missing from the 2025Q4 roster: that round neither breaks nor counts.
    // 钱七: 16, 18, 17 per aspect through 2026: 80, 90, 85.
    let rounds: [(&str, Vec<MemberRow>); 5] = [
        (
            "2025Q3",
            vec![
                member("张三", 10.0, true),
                member("李四", 15.0, false),
                member("王五", 10.0, true),
                member("赵六", 10.0, true),
                member("钱七", 15.0, false),
            ],
        ),
        (
            "2025Q4",
            vec![
                member("张三", 10.0, true),
                member("李四", 10.0, true),
                member("王五", 10.0, true),
                member("钱七", 15.0, false),
            ],
        ),
        (
            "2026Q1",
            vec![
                member("张三", 10.0, true),
                member("李四", 10.0, true),
                member("王五", 13.0, false),
                member("赵六", 10.0, true),
                member("钱七", 16.0, false),
            ],
        ),
        (
            "2026Q2",
            vec![
                member("张三", 10.0, true),
                member("李四", 10.0, true),
                member("王五", 10.0, true),
                member("赵六", 10.0, true),
                member("钱七", 18.0, false),
            ],
        ),
        (
            "2026Q3",
            vec![
                member("张三", 10.0, true),
                member("李四", 10.0, true),
                member("王五", 10.0, true),
                member("赵六", 10.0, true),
                member("钱七", 17.0, false),
            ],
        ),
    ];
    let mut eval = None;
    for (r, members) in &rounds {
        let inbox = Inbox::new();
        inbox.roster("甲支部党员.xlsx", "甲支部", Some("甲党委"), members);
        eval = Some(run(inbox.path(), &out, &file, r));
    }
    let eval = eval.unwrap();
    let h = eval.history.as_ref().unwrap();
    let listed: Vec<String> = h
        .members
        .iter()
        .map(|m| match &m.rule {
            ListedRule::Unimproved { since, months, .. } => {
                format!("{} {since} {months} {}", m.identity.name, m.rounds.len())
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(listed, ["张三 2025年第三季度 12 5", "赵六 2025年第三季度 12 4"]);

    let members = out.join("党员星级汇总.xlsx");
    let sheet = read_sheet(&members, "连续不予评星");
    assert_eq!(
        sheet[1].join("|"),
        "1|甲支部|张三|自2025年第三季度起连续 5 次评定为不予评星，已 12 个月|按规定限期整改；经教育仍无转变的，劝其退党（由支部按程序研究决定）"
    );
    assert_eq!(sheet.len(), 3);

    // The year so far: 2026's quarters side by side, this round last.
    let year = read_sheet(&members, "年度汇总");
    // Hidden right of the table: the tiers as numbers for the sparkline.
    assert_eq!(
        year[0].join("|"),
        "序号|支部名称|姓名|2026年第一季度|2026年第二季度|2026年第三季度|走势|平均分|评定次数|||",
        "headings on two lines, read back without the break"
    );
    let row = |name: &str| year.iter().find(|r| r[2] == name).unwrap().join("|");
    assert_eq!(row("钱七"), "5|甲支部|钱七|四星|五星|四星||85|3|4|5|4");
    assert_eq!(row("王五"), "3|甲支部|王五|三星|不予评星|不予评星||55|3|3|1|1");
    // The trend is a sparkline over hidden numbers: 四星 is 4 of 5 tiers.
    let part = xlsx_part(&members, "xl/worksheets/sheet4.xml");
    assert!(part.contains("<x14:sparklineGroup"), "a sparkline group");
    assert!(part.contains(r#"hidden="1""#));
}

#[test]
fn a_branch_renamed_since_is_followed_through_its_former_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("档案.sqlite");
    let out = dir.path().join("结果");
    let y2025 = Inbox::new();
    y2025.form_with_ballots(&FormSpec::standard("老名支部", "甲党委").scores(&summing_to(&STANDARD_MAX, 91.0 - 20.0)));
    run(y2025.path(), &out, &file, "2025年度");

    // 2026: the branch sends its form under its new name; the register says
    // what it was called before.
    let y2026 = Inbox::new();
    y2026.form_with_ballots(&FormSpec::standard("新名支部", "甲党委").scores(&summing_to(&STANDARD_MAX, 96.0 - 20.0)));
    let register = dir.path().join("名册.xlsx");
    write_xlsx(&register, &[roll_sheet(&[("新名支部", "甲党委", "老名支部", "")])]);
    let mut plan = Plan::new(y2026.path(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.clone());
    plan.round = Some(Round {
        period: Period::Year(2026),
        date: None,
    });
    plan.archive = Some(file.clone());
    plan.register = Some(register);
    let eval = starsheet::score(&plan).unwrap().evaluation;
    let p = branch(&eval, "新名支部").previous.as_ref().unwrap();
    assert_eq!((p.tier.as_deref(), p.change.label()), (Some("四星"), "升星"));
    assert!(
        eval.comparison.as_ref().unwrap().absent.is_empty(),
        "not listed as gone"
    );
    let history = read_sheet(&out.join("汇总排名.xlsx"), "历次星级");
    assert_eq!(history[1][3..], ["2025年度", "2026年度（本轮）", "走势", "", ""]);
    assert_eq!(history[2], ["1", "甲党委", "新名支部", "四星", "五星", "", "5", "6"]);

    // `history` finds both names under either.
    for name in ["新名支部", "老名支部"] {
        let run = Command::new(env!("CARGO_BIN_EXE_starsheet"))
            .args(["history", "--archive", file.to_str().unwrap(), name])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        let lines: Vec<&str> = stdout.lines().skip(1).map(str::trim).collect();
        let (old, new) = if name == "新名支部" {
            ("（时名「老名支部」）", "")
        } else {
            ("", "（时名「新名支部」）")
        };
        assert_eq!(
            lines,
            [
                format!("2025年度　支部{old}　甲党委　四星　91 分　第 1 名"),
                format!("2026年度　支部{new}　甲党委　五星　96 分　第 1 名"),
            ],
            "{name}"
        );
    }
}

#[test]
fn rules_over_rounds_are_scheme_data_checked_at_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let group = std::fs::read_to_string(root.join("templates/group.toml")).unwrap();
    let rounds_at = group.find("[rounds]").unwrap();
    let with = |rounds: &str| {
        starsheet::scheme::Scheme::parse(&format!("{}[rounds]\n{rounds}\n", &group[..rounds_at]), "本地.toml")
    };
    let scheme = with("review = { at_or_below = \"合格\", years = 1, advice = \"约谈党小组长\" }").unwrap();
    let review = scheme.rounds.review.unwrap();
    assert_eq!((review.at_or_below.name.as_str(), review.years), ("合格", 1));
    assert!(scheme.rounds.best_of_year.is_none());
    assert_eq!(
        with("review = { at_or_below = \"较差\", years = 2, advice = \"\" }")
            .unwrap_err()
            .to_string(),
        "评星方案 本地.toml 中 rounds.review.at_or_below 有误：档次「较差」不存在"
    );
    assert_eq!(
        with("review = { at_or_below = \"合格\", years = 3, advice = \"\" }")
            .unwrap_err()
            .to_string(),
        "评星方案 本地.toml 中 rounds.review.years 有误：年数只能是 1 或 2（按本年度和上一年度的各轮判断）"
    );
    let member = std::fs::read_to_string(root.join("templates/member.toml")).unwrap();
    let err = starsheet::scheme::Scheme::parse(&member.replace("months = 12", "months = 24"), "本地.toml")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "评星方案 本地.toml 中 rounds.unimproved.months 有误：月数必须在 1 到 12 之间（按本年度和上一年度的各轮判断）"
    );
}
