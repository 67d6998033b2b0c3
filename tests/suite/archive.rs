//! The archive of rounds: stored in one transaction, versions kept, the
//! same results stored once, unusable files refused and left alone.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use starsheet::archive::{Archive, ArchiveError, Stored};
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
    let mut plan = Plan::new(&inbox, Schemes::with_branch("standard").unwrap());
    plan.round = Some(round("2026Q1"));
    let eval = starsheet::evaluate(&plan).unwrap();
    let mut expected = Vec::new();
    starsheet::report::json::write(&eval, &mut expected).unwrap();
    assert_eq!(
        archive.export(Period::parse("2026Q1").unwrap(), Some(1)).unwrap(),
        expected
    );
    assert_ne!(
        archive.export(Period::parse("2026Q1").unwrap(), None).unwrap(),
        expected
    );
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
        err.contains("是更新版本的 starsheet 写出的（档案格式第 99 版，本程序只认到第 1 版）"),
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
