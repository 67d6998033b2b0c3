//! The archive of rounds: stored in one transaction, versions kept, the
//! same results stored once, unusable files refused and left alone.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use starsheet::archive::{Archive, ArchiveError};
use starsheet::results::Stored;
use starsheet::round::{Period, Round};
use starsheet::scheme::Schemes;
use starsheet::{Error, Plan};

fn round(text: &str) -> Round {
    Round {
        period: Period::parse(text).unwrap(),
        date: None,
    }
}

/// Scores `inbox` as `round` into `out`, storing it in `archive`.
fn score(inbox: &Path, out: &Path, archive: &Path, r: &str, scheme: &str) -> Result<Option<Stored>, Error> {
    let mut plan = Plan::new(inbox, Schemes::with_branch(scheme).unwrap());
    plan.out_dir = Some(out.to_path_buf());
    plan.round = Some(round(r));
    plan.archive = Some(archive.to_path_buf());
    plan.json = Some(out.join("results.json"));
    starsheet::score(&plan).map(|o| o.archived)
}

fn sample(dir: &Path, branches: usize) -> std::path::PathBuf {
    let inbox = dir.join("收件箱");
    starsheet::sample::generate(&Schemes::with_branch("standard").unwrap(), branches, 2026, &inbox).unwrap();
    inbox
}

#[test]
fn rounds_are_stored_versioned_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = sample(dir.path(), 12);
    let (out, file) = (dir.path().join("结果"), dir.path().join("档案.sqlite"));
    assert_eq!(
        score(&inbox, &out, &file, "2025年度", "standard").unwrap(),
        Some(Stored::New)
    );
    assert_eq!(
        score(&inbox, &out, &file, "2026Q1", "standard").unwrap(),
        Some(Stored::New)
    );
    let first = std::fs::read(out.join("results.json")).unwrap();
    // The same round again: nothing added.
    assert_eq!(
        score(&inbox, &out, &file, "2026Q1", "standard").unwrap(),
        Some(Stored::Unchanged)
    );
    // Other results for it: a new version, the first kept.
    assert_eq!(
        score(&inbox, &out, &file, "2026Q1", "jiguan").unwrap(),
        Some(Stored::Replaced { version: 2 })
    );

    let archive = Archive::open(&file).unwrap();
    let rounds = archive.rounds().unwrap();
    let listed: Vec<(String, u32, u32, u32, u32)> = rounds
        .iter()
        .map(|r| (r.period.to_string(), r.version, r.versions, r.branches, r.pending))
        .collect();
    assert_eq!(
        listed,
        [
            ("2025年度".into(), 1, 1, 12, 2),
            ("2026年第一季度".into(), 2, 2, 12, 12)
        ]
    );
    let tiers: Vec<String> = rounds[0].tiers.iter().map(|(t, n)| format!("{t} {n}")).collect();
    assert_eq!(tiers, ["五星 2", "四星 3", "三星 2", "二星 1", "无星 2"]);

    // A branch and a member, round by round.
    let history = archive.history("市财政局机关第一党支部").unwrap();
    let lines: Vec<String> = history
        .iter()
        .map(|l| format!("{} {} {:?} {:?}", l.period, l.who, l.tier, l.rank))
        .collect();
    assert_eq!(
        lines,
        ["2025年度 支部 Some(\"五星\") Some(2)", "2026年第一季度 支部 None None"]
    );

    // Each version exports the results.json its run wrote.
    assert_eq!(
        archive.export(Period::parse("2026Q1").unwrap(), Some(1)).unwrap(),
        first
    );
    assert_eq!(
        archive.export(Period::parse("2026Q1").unwrap(), None).unwrap(),
        std::fs::read(out.join("results.json")).unwrap()
    );
    assert_ne!(archive.export(Period::parse("2026Q1").unwrap(), None).unwrap(), first);
    assert!(matches!(
        archive.export(Period::parse("2024年度").unwrap(), None),
        Err(ArchiveError::NoRound(_))
    ));
}

#[test]
fn files_that_are_no_archive_or_newer_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = sample(dir.path(), 4);
    let out = dir.path().join("结果");

    let text = dir.path().join("笔记.sqlite");
    std::fs::write(&text, "这不是数据库".repeat(200)).unwrap();
    let err = score(&inbox, &out, &text, "2026年度", "standard")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("无法使用：这不是 starsheet 的评定档案（不是 SQLite 数据库）；档案未作任何改动"),
        "{err}"
    );
    assert_eq!(std::fs::read(&text).unwrap(), "这不是数据库".repeat(200).into_bytes());
    assert!(!out.exists(), "nothing written when the round cannot be stored");

    // Damaged: a real archive with its middle overwritten.
    let good = dir.path().join("档案.sqlite");
    score(&inbox, &out, &good, "2025年度", "standard").unwrap();
    let mut bytes = std::fs::read(&good).unwrap();
    let damaged = dir.path().join("损坏.sqlite");
    for b in bytes.iter_mut().skip(4096).take(8192) {
        *b = 0x5A;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let err = score(&inbox, &out, &damaged, "2026年度", "standard")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("评定档案") && err.contains("无法使用") && err.contains("档案未作任何改动"),
        "{err}"
    );
    assert_eq!(std::fs::read(&damaged).unwrap(), bytes);

    // Written by a newer starsheet.
    let newer = dir.path().join("新版.sqlite");
    std::fs::copy(&good, &newer).unwrap();
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    let before = std::fs::read(&newer).unwrap();
    let err = score(&inbox, &out, &newer, "2026年度", "standard")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("是更新版本的 starsheet 写出的（档案格式第 99 版，本程序只认到第 2 版）"),
        "{err}"
    );
    assert_eq!(std::fs::read(&newer).unwrap(), before);
}

#[test]
fn a_run_killed_while_storing_leaves_every_earlier_round_intact() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = sample(dir.path(), 300);
    let (out, file) = (dir.path().join("结果"), dir.path().join("档案.sqlite"));
    score(&inbox, &out, &file, "2025年度", "standard").unwrap();
    let first = Archive::open(&file).unwrap().export(Period::Year(2025), None).unwrap();
    let journal = dir.path().join("档案.sqlite-journal");
    let mut hit = 0;
    for trial in 0..12 {
        let mut run = Command::new(env!("CARGO_BIN_EXE_starsheet"))
            .args(["score", inbox.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"])
            .args([
                "--round",
                &format!("2026Q{}", trial % 4 + 1),
                "--archive",
                file.to_str().unwrap(),
            ])
            .spawn()
            .unwrap();
        // Killed the moment the round is being written: its journal exists.
        let start = Instant::now();
        while !journal.exists() && start.elapsed() < Duration::from_secs(60) {
            if run.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        if journal.exists() {
            hit += 1;
        }
        let _ = run.kill();
        run.wait().unwrap();
        let archive = Archive::open(&file).unwrap();
        assert_eq!(
            archive.export(Period::Year(2025), None).unwrap(),
            first,
            "trial {trial}"
        );
        let rounds = archive.rounds().unwrap();
        assert_eq!(rounds[0].period, Period::Year(2025));
        assert!(
            rounds.iter().all(|r| r.branches == 300),
            "trial {trial}: a round is whole or absent"
        );
    }
    assert!(hit >= 6, "only {hit} of 12 runs were killed while storing");
}

/// An inbox of standard forms rated by their totals (群众评价 20 from five 好 ballots).
fn inbox_of(totals: &[(&str, f64)]) -> crate::common::Inbox {
    use crate::common::*;
    let inbox = Inbox::new();
    for (name, total) in totals {
        inbox.form_with_ballots(&FormSpec::standard(name, "甲党委").scores(&summing_to(&STANDARD_MAX, total - 20.0)));
    }
    inbox
}

#[test]
fn a_round_is_compared_with_the_archived_one_before_it() {
    use crate::common::*;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("档案.sqlite");
    let out = dir.path().join("结果");
    // 2025: 一 五星 96, 二 三星 85, 三 四星 91, 四 四星 92.
    let y2025 = inbox_of(&[("一支部", 96.0), ("二支部", 85.0), ("三支部", 91.0), ("四支部", 92.0)]);
    score(y2025.path(), &out, &file, "2025年度", "standard").unwrap();
    // A quarter in between is not the round a year is compared with.
    let q = inbox_of(&[("一支部", 50.0)]);
    score(q.path(), &out, &file, "2026Q1", "standard").unwrap();
    // 2026: 一 down to 四星, 二 up to 四星, 三 stays, 五 is new, 四 is gone.
    let y2026 = inbox_of(&[("一支部", 90.0), ("二支部", 90.0), ("三支部", 93.0), ("五支部", 80.0)]);
    let mut plan = Plan::new(y2026.path(), Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.clone());
    plan.json = Some(out.join("results.json"));
    plan.round = Some(round("2026年度"));
    plan.archive = Some(file.clone());
    let outcome = starsheet::score(&plan).unwrap();
    let eval = &outcome.evaluation;
    let changes: Vec<String> = ["一支部", "二支部", "三支部", "五支部"]
        .iter()
        .map(|n| {
            let p = branch(eval, n).previous.as_ref().unwrap();
            format!("{n} {} {:?} {}", p.round, p.tier, p.change.label())
        })
        .collect();
    assert_eq!(
        changes,
        [
            "一支部 2025年度 Some(\"五星\") 降星",
            "二支部 2025年度 Some(\"三星\") 升星",
            "三支部 2025年度 Some(\"四星\") 保持",
            "五支部 2025年度 None 新参评"
        ]
    );
    let c = eval.comparison.as_ref().unwrap();
    assert_eq!(c.absent.len(), 1);
    assert_eq!(
        (c.absent[0].0.name.as_str(), c.absent[0].1.as_deref()),
        ("四支部", Some("四星"))
    );

    // 增星摘星: up, down, new, then gone.
    let sheet = read_sheet(&out.join("汇总排名.xlsx"), "增星摘星");
    let rows: Vec<String> = sheet.iter().map(|r| r.join("|")).collect();
    assert_eq!(
        rows[0],
        "与2025年度相比：升星 1 个，降星 1 个，新参评 1 个，本轮未参评 1 个。|||||"
    );
    assert_eq!(
        rows[2..],
        [
            "1|甲党委|二支部|三星|四星|升星",
            "2|甲党委|一支部|五星|四星|降星",
            "3|甲党委|五支部||三星|新参评",
            "4|甲党委|四支部|四星||本轮未参评"
        ]
    );
    // 总排名's column, the feedback's line, results.json.
    let ranking = read_sheet(&out.join("汇总排名.xlsx"), "总排名");
    let col = ranking[0].iter().position(|h| h == "较上轮").unwrap();
    let by_name = |n: &str| ranking.iter().find(|r| r.iter().any(|c| c == n)).unwrap()[col].clone();
    assert_eq!(by_name("二支部"), "升星原三星", "two lines in the cell");
    assert_eq!(by_name("三支部"), "保持");
    assert_eq!(by_name("五支部"), "新参评");
    let feedback = read_sheet(&out.join("反馈/甲党委/一支部.xlsx"), "评定结果");
    assert!(
        feedback
            .iter()
            .flatten()
            .any(|c| c == "与上轮（2025年度）相比：由五星降为四星。")
    );
    let json = std::fs::read_to_string(out.join("results.json")).unwrap();
    assert!(json.contains(r#""previous":{"round":"2025年度","tier":"三星","change":"up"}"#));
}

#[test]
fn two_years_and_four_quarters_of_sample_rounds_compare_like_with_like() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("档案.sqlite");
    let schemes = Schemes::with_branch("standard").unwrap();
    let labels = ["2025年度", "2026Q1", "2026Q2", "2026Q3", "2026Q4", "2026年度"];
    let mut tiers: Vec<std::collections::BTreeMap<String, Option<usize>>> = Vec::new();
    let mut outcomes = Vec::new();
    for label in labels {
        let inbox = dir.path().join(label);
        starsheet::sample::generate_round(&schemes, 12, 2026, &inbox, Period::parse(label).unwrap()).unwrap();
        let mut plan = Plan::new(&inbox, schemes.clone());
        plan.out_dir = Some(dir.path().join(format!("结果{label}")));
        plan.round = Some(round(label));
        plan.archive = Some(file.clone());
        let eval = starsheet::score(&plan).unwrap().evaluation;
        tiers.push(
            eval.branches
                .iter()
                .map(|b| {
                    (
                        b.identity.name.clone(),
                        b.tier
                            .filter(|_| b.status == starsheet::results::Status::Rated)
                            .map(|t| t.0),
                    )
                })
                .collect(),
        );
        outcomes.push(eval);
    }
    let archive = Archive::open(&file).unwrap();
    let listed: Vec<String> = archive.rounds().unwrap().iter().map(|r| r.period.to_string()).collect();
    assert_eq!(
        listed,
        [
            "2025年度",
            "2026年第一季度",
            "2026年第二季度",
            "2026年第三季度",
            "2026年第四季度",
            "2026年度"
        ]
    );
    // Each round against the one before it of the same length: Q2 with Q1,
    // the year with the year before, never with a quarter.
    for (now, then) in [(2, 1), (3, 2), (4, 3), (5, 0)] {
        let eval = &outcomes[now];
        assert_eq!(
            eval.comparison.as_ref().unwrap().round,
            Period::parse(labels[then]).unwrap().to_string()
        );
        for b in &eval.branches {
            let p = b.previous.as_ref().unwrap();
            let before = tiers[then].get(&b.identity.name).copied().flatten();
            let after = tiers[now].get(&b.identity.name).copied().flatten();
            let expected = match (before, after) {
                (Some(x), Some(y)) if y < x => "升星",
                (Some(x), Some(y)) if y > x => "降星",
                (Some(_), Some(_)) => "保持",
                _ => "",
            };
            assert_eq!(p.change.label(), expected, "{} in {}", b.identity.name, labels[now]);
        }
    }
    assert!(
        outcomes[1].comparison.is_none(),
        "the first quarter has no quarter before it"
    );
    // The samples move: some rose and some fell between the years.
    let changes: Vec<&str> = outcomes[5]
        .branches
        .iter()
        .filter_map(|b| b.previous.as_ref())
        .map(|p| p.change.label())
        .collect();
    assert!(changes.contains(&"升星") && changes.contains(&"降星"), "{changes:?}");
    // A branch's history: one line per round, in order.
    let history = archive.history("市财政局机关第一党支部").unwrap();
    assert_eq!(history.len(), 6);
}

#[test]
fn an_archive_of_the_first_layout_is_brought_up_to_date_and_keeps_its_rounds() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = sample(dir.path(), 4);
    let (out, file) = (dir.path().join("结果"), dir.path().join("档案.sqlite"));
    score(&inbox, &out, &file, "2025年度", "standard").unwrap();
    // The first layout had no former names (曾用名).
    let conn = rusqlite::Connection::open(&file).unwrap();
    conn.execute_batch("ALTER TABLE branches DROP COLUMN former; PRAGMA user_version = 1")
        .unwrap();
    drop(conn);
    let archive = Archive::open(&file).unwrap();
    assert_eq!(archive.rounds().unwrap().len(), 1);
    assert_eq!(archive.history("市财政局机关第一党支部").unwrap().len(), 1);
    drop(archive);
    let conn = rusqlite::Connection::open(&file).unwrap();
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, starsheet::archive::ARCHIVE_VERSION);
    drop(conn);
    assert_eq!(
        score(&inbox, &out, &file, "2026年度", "standard").unwrap(),
        Some(Stored::New)
    );
}
