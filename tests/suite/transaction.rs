//! A run is one transaction over its output folder: whatever happens to a
//! run — a second run into the same folder, SIGKILL, SIGTERM, a write that
//! fails — the folder afterwards holds exactly one complete run, byte for
//! byte, and nothing is left beside it once a run has ended normally.
//!
//! The loop counts below were measured against the code before the
//! transaction (debug build, 60-branch inboxes, 2 cores): two near-
//! simultaneous runs left a mixed or incomplete folder in 2, 3 and 7 of 30
//! trials (first at trial 2–6); random SIGKILLs left one in 16 and 19 of 30
//! kills (first at kill 5 and 11); SIGTERM left a mixed folder or temporary
//! entries in 11 and 12 of 15 (first at 2 and 5).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use crate::common::*;
use starsheet::Plan;
use starsheet::scheme::Schemes;

const BIN: &str = env!("CARGO_BIN_EXE_starsheet");

/// Two inboxes of one size, the outputs each gives on its own, and an output
/// folder (inside a folder of its own, so that nothing beside it escapes).
struct Rounds {
    inboxes: [tempfile::TempDir; 2],
    trees: [BTreeMap<String, String>; 2],
    parent: tempfile::TempDir,
}

impl Rounds {
    fn new(branches: usize) -> Rounds {
        let schemes = Schemes::with_branch("standard").unwrap();
        let inboxes = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        for (seed, inbox) in inboxes.iter().enumerate() {
            starsheet::sample::generate(&schemes, branches, seed as u64 + 1, inbox.path()).unwrap();
        }
        let parent = tempfile::tempdir().unwrap();
        let trees = [0, 1].map(|k| {
            let out = parent.path().join(format!("参照{k}"));
            let done = score(&inboxes[k], &out).wait_with_output().unwrap();
            assert_eq!(done.status.code(), Some(2), "{}", text(&done));
            let tree = hash_tree(&out);
            std::fs::remove_dir_all(&out).unwrap();
            tree
        });
        assert_ne!(trees[0], trees[1]);
        Rounds { inboxes, trees, parent }
    }

    fn out(&self) -> PathBuf {
        self.parent.path().join("评定结果")
    }

    fn start(&self, k: usize) -> Child {
        score(&self.inboxes[k % 2], &self.out())
    }

    /// The output folder holds exactly one of the two complete runs.
    fn assert_one_complete_run(&self, when: &str) {
        let tree = hash_tree(&self.out());
        assert!(
            tree == self.trees[0] || tree == self.trees[1],
            "{when}: the folder holds no complete run ({} files)",
            tree.len()
        );
    }

    /// Entries beside the output folder.
    fn beside(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "评定结果")
            .collect();
        names.sort();
        names
    }
}

fn score(inbox: &tempfile::TempDir, out: &Path) -> Child {
    Command::new(BIN)
        .arg("score")
        .arg(inbox.path())
        .arg("-o")
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Pseudo-random delays, the same on every run of the test.
struct Delays(u64);

impl Delays {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn a_second_run_into_the_same_folder_is_refused_at_once() {
    let rounds = Rounds::new(60);
    let mut delays = Delays(12);
    let mut refused = 0;
    for trial in 0..40 {
        let first = rounds.start(trial);
        std::thread::sleep(Duration::from_millis(delays.next_ms(50)));
        let second = rounds.start(trial + 1).wait_with_output().unwrap();
        let first = first.wait_with_output().unwrap();
        // Whichever took the folder first runs; the other stops at once.
        let (late, ran) = match (first.status.code(), second.status.code()) {
            (Some(2), Some(1)) => (Some(&second), Some(&first)),
            (Some(1), Some(2)) => (Some(&first), Some(&second)),
            // The second started only once the first had finished.
            (Some(2), Some(2)) => (None, None),
            other => panic!(
                "trial {trial}: exit statuses {other:?}: {}{}",
                text(&first),
                text(&second)
            ),
        };
        if let (Some(late), Some(ran)) = (late, ran) {
            {
                let stderr = text(late);
                assert!(
                    stderr.contains(&format!(
                        "错误：输出目录 {} 正在被另一次评定使用（",
                        rounds.out().display()
                    )) && stderr.contains("开始，进程号 ")
                        && stderr.contains("请等它结束后再运行，或用 -o 另选一个输出目录"),
                    "{stderr}"
                );
                assert!(!text(ran).contains("正在被另一次评定使用"));
                refused += 1;
            }
        }
        rounds.assert_one_complete_run(&format!("trial {trial}"));
        assert_eq!(rounds.beside(), Vec::<String>::new(), "trial {trial}");
    }
    assert!(refused >= 30, "the runs overlapped in {refused} of 40 trials");
}

#[test]
fn killed_runs_leave_exactly_one_complete_run_and_the_next_run_tidies_up() {
    let rounds = Rounds::new(60);
    let before: Vec<_> = rounds.inboxes.iter().map(|i| hash_tree(i.path())).collect();
    assert_eq!(rounds.start(0).wait().unwrap().code(), Some(2));
    let mut delays = Delays(7);
    let mut killed = 0;
    for trial in 0..30 {
        let mut run = rounds.start(trial + 1);
        std::thread::sleep(Duration::from_millis(delays.next_ms(600)));
        if run.try_wait().unwrap().is_none() {
            killed += 1;
        }
        run.kill().unwrap();
        run.wait().unwrap();
        rounds.assert_one_complete_run(&format!("kill {trial}"));
    }
    assert!(killed >= 20, "only {killed} of 30 runs were killed midway");
    // A full run tidies whatever the killed ones left beside the folder.
    assert_eq!(rounds.start(1).wait().unwrap().code(), Some(2));
    assert_eq!(hash_tree(&rounds.out()), rounds.trees[1]);
    assert_eq!(rounds.beside(), Vec::<String>::new());
    let after: Vec<_> = rounds.inboxes.iter().map(|i| hash_tree(i.path())).collect();
    assert_eq!(after, before, "inputs are never modified");
}

#[test]
fn a_terminated_or_interrupted_run_cleans_up_before_it_exits() {
    let rounds = Rounds::new(60);
    assert_eq!(rounds.start(0).wait().unwrap().code(), Some(2));
    let mut delays = Delays(3);
    let mut stopped = 0;
    for trial in 0..16 {
        let run = rounds.start(trial + 1);
        std::thread::sleep(Duration::from_millis(delays.next_ms(600)));
        let signal = if trial % 2 == 0 { "-TERM" } else { "-INT" };
        let sent = Command::new("kill")
            .arg(signal)
            .arg(run.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let done = run.wait_with_output().unwrap();
        match done.status.code() {
            Some(1) => {
                stopped += 1;
                assert!(text(&done).contains("已中断"), "{}", text(&done));
            }
            // Finished before the signal, or stopped by it before the
            // process could set up its handler (nothing written yet).
            Some(2) | None => {}
            other => panic!("trial {trial}: exit status {other:?}: {}", text(&done)),
        }
        rounds.assert_one_complete_run(&format!("{signal} {trial}"));
        assert_eq!(rounds.beside(), Vec::<String>::new(), "{signal} {trial}");
    }
    assert!(stopped >= 10, "only {stopped} of 16 runs were stopped midway");
}

/// A plan scoring `inbox` into `out`, with the JSON.
fn plan(inbox: &Path, out: &Path) -> Plan {
    let mut plan = Plan::new(inbox, Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.to_path_buf());
    plan.json = Some(out.join("results.json"));
    plan
}

#[test]
fn a_write_failing_anywhere_leaves_the_previous_run_byte_for_byte() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("结果");
    let earlier = tempfile::tempdir().unwrap();
    let schemes = Schemes::with_branch("standard").unwrap();
    starsheet::sample::generate(&schemes, 6, 77, earlier.path()).unwrap();
    starsheet::score(&plan(earlier.path(), &out)).unwrap();
    let previous = hash_tree(&out);
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox");
    let mut n = 0;
    let outcome = loop {
        let mut failing = plan(&samples, &out);
        failing.fail_write_at = Some(n);
        match starsheet::score(&failing) {
            Ok(outcome) => break outcome,
            Err(e) => {
                let message = e.to_string();
                assert!(
                    message.starts_with(&format!("无法写入 {}", parent.path().display()))
                        && message.contains("：磁盘空间不足（")
                        && message.ends_with("；上一次评定的结果保持不变"),
                    "write {n}: {message}"
                );
                assert_eq!(hash_tree(&out), previous, "write {n} failed");
                let beside: Vec<_> = std::fs::read_dir(parent.path()).unwrap().collect();
                assert_eq!(beside.len(), 1, "write {n} failed: nothing is left beside the folder");
            }
        }
        n += 1;
    };
    let files = hash_tree(&out);
    assert_ne!(files, previous);
    // The staging folder, the feedback folder and the swap, besides every file.
    assert_eq!(n as usize, files.len() + 3, "every write of the run failed in turn");
    assert_eq!(outcome.feedback.len(), 10);
}

#[test]
fn no_output_of_an_earlier_run_survives() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("结果");
    let full = Inbox::new();
    full.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    full.roster(
        "一支部党员.xlsx",
        "一支部",
        Some("甲党委"),
        &[("张三", [20.0; 5], 0.0, false)],
    );
    starsheet::score(&plan(full.path(), &out)).unwrap();
    assert!(out.join("党员星级汇总.xlsx").is_file());
    assert!(out.join("results.json").is_file());
    // The next round has no member rosters and asks for no JSON.
    let lean = Inbox::new();
    lean.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    let mut plan = plan(lean.path(), &out);
    plan.json = None;
    starsheet::score(&plan).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".starsheet", "亮星公示.xlsx", "反馈", "汇总排名.xlsx"]);
}

#[test]
fn a_folder_holding_other_files_is_never_cleared() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("我的文件");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("工作总结.docx"), b"keep me").unwrap();
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    let e = starsheet::score(&plan(inbox.path(), &out)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "输出目录 {} 中有不是 starsheet 写出的文件（如「工作总结.docx」）；每次评定会整体替换输出目录，\
             为免误删，请先把这些文件移走，或用 -o 指定一个新的或空的目录",
            out.display()
        )
    );
    assert_eq!(std::fs::read(out.join("工作总结.docx")).unwrap(), b"keep me");
    // A folder holding the inbox would be replaced with it: refused too.
    let e = starsheet::score(&plan(inbox.path(), parent.path().parent().unwrap())).unwrap_err();
    assert!(e.to_string().contains("就是收件箱或包含收件箱"), "{e}");
}
