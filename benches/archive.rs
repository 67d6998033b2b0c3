//! What the archive of rounds costs: a full `score` run with and without
//! `--archive` on the same generated inbox (alternating, fastest of three
//! each), then the archive filled to 20 rounds and opened to compare, as a
//! run that compares does.
//!
//! `cargo bench --bench archive` runs 10,000 branches; give a size to run
//! another: `cargo bench --bench archive -- 1000`.

use std::time::{Duration, Instant};

use starsheet::archive::Archive;
use starsheet::round::{Period, Round};
use starsheet::scheme::Schemes;
use starsheet::{Plan, sample};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 3;
const ROUNDS: u16 = 20;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .find_map(|a| a.replace([',', '_'], "").parse().ok())
        .unwrap_or(10_000);
    let schemes = Schemes::with_branch("standard").expect("the standard scheme loads");
    let work = tempfile::tempdir().expect("a temporary folder");
    let inbox = work.path().join("inbox");
    sample::generate(&schemes, n, 2026, &inbox).expect("the sample inbox is written");
    let file = work.path().join("archive.sqlite");
    // Wall time, and the process's CPU time: on a shared machine the
    // second shows the work added even when other jobs slow the first.
    let (mut plain, mut archived) = ((Duration::MAX, Duration::MAX), (Duration::MAX, Duration::MAX));
    for run in 0..RUNS {
        for with_archive in [false, true] {
            let mut plan = Plan::new(&inbox, schemes.clone());
            plan.out_dir = Some(work.path().join("out"));
            plan.round = Some(Round {
                // A new round each time: stored, never found unchanged.
                period: Period::Quarter(2000 + run as u16, 1),
                date: None,
            });
            plan.archive = with_archive.then(|| file.clone());
            let (started, cpu) = (Instant::now(), cpu_time());
            starsheet::score(&plan).expect("the run succeeds");
            let took = (started.elapsed(), cpu_time().saturating_sub(cpu));
            let best = if with_archive { &mut archived } else { &mut plain };
            *best = (best.0.min(took.0), best.1.min(took.1));
        }
    }
    println!(
        "{n} branches: score {:.2} s, score + archive {:.2} s: {:.1} % more (CPU time {:.2} s and {:.2} s: {:.1} % more)",
        secs(plain.0),
        secs(archived.0),
        (secs(archived.0) / secs(plain.0) - 1.0) * 100.0,
        secs(plain.1),
        secs(archived.1),
        (secs(archived.1) / secs(plain.1) - 1.0) * 100.0
    );

    // Fill the archive to ROUNDS yearly rounds, then open it to compare.
    let mut plan = Plan::new(&inbox, schemes);
    plan.round = Some(Round {
        period: Period::Year(2000),
        date: None,
    });
    let eval = starsheet::evaluate(&plan).expect("the inbox is evaluated");
    let mut archive = Archive::open_for_writing(&file).expect("the archive opens");
    for year in 2000..2000 + ROUNDS {
        let round = Round {
            period: Period::Year(year),
            date: None,
        };
        archive
            .store(&eval, round, |out| {
                serde_json::to_writer(&mut *out, &starsheet::record::Record::of(&eval))?;
                // Each year's record differs, so none is found unchanged.
                std::io::Write::write_all(out, year.to_string().as_bytes())
            })
            .expect("the round is stored");
    }
    drop(archive);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    // What a run of the next year reads: the year before, and this year's
    // and last year's rounds with their members.
    let next = Period::Year(2000 + ROUNDS);
    let started = Instant::now();
    let archive = Archive::open(&file).expect("the archive opens");
    let (before, past) = archive
        .previous(next)
        .expect("the archive reads")
        .expect("an earlier round");
    let window = archive.window(next, true).expect("the archive reads");
    let took = started.elapsed();
    println!(
        "archive of {} rounds ({:.0} MB): opened, {} branches of {before} read to compare and {} rounds ({} members) for the rules over rounds, in {:.3} s",
        archive.rounds().map(|r| r.len()).unwrap_or(0),
        size as f64 / 1e6,
        past.len(),
        window.len(),
        window.iter().map(|r| r.members.len()).sum::<usize>(),
        secs(took)
    );
}

/// User and system time of this process so far (Linux; zero elsewhere).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses: utime and
    // stime are the 12th and 13th, in clock ticks of 1/100 s.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
