//! The full `score` run against the floor of the work it cannot avoid, on the
//! same generated inboxes, in one process:
//!
//! - floor: read every cell of every input with calamine on all cores, and
//!   write as many workbooks with as many cells as the run wrote, at the same
//!   paths, with rust_xlsxwriter on all cores;
//! - full: `starsheet::score` with every output, feedback and JSON included.
//!
//! The two alternate three times per size; the fastest of each are compared.
//! Peak memory is the highest of the full runs.
//!
//! `cargo bench --bench scale` runs 100, 1,000 and 10,000 branches; give sizes
//! to run others: `cargo bench --bench scale -- 100 1000`. Linux only (peak
//! memory and CPU time come from /proc).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use calamine::{Data, Reader};
use rayon::prelude::*;
use starsheet::scheme::Schemes;
use starsheet::{Plan, sample};

// The allocator of the starsheet binary, so both measure the same program.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .filter_map(|a| a.replace([',', '_'], "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1_000, 10_000]
    } else {
        sizes
    };
    let schemes = Schemes::with_branch("standard").expect("the standard scheme loads");
    println!(
        "starsheet scale benchmark: {} cores, sizes {:?}\n",
        rayon::current_num_threads(),
        sizes
    );
    println!(
        "| branches | files | generate | floor (read + write) | full score | full / floor | CPU busy | peak RSS (full) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut previous: Option<(usize, Duration)> = None;
    // Every size's files are deleted together at the end (see below).
    let mut kept = Vec::new();
    for n in sizes {
        let work = tempfile::tempdir().expect("a temporary folder");
        let inbox = work.path().join("inbox");
        let started = Instant::now();
        let files = sample::generate(&schemes, n, 2026, &inbox).expect("the sample inbox is written");
        let generate = started.elapsed();

        // Full run and floor alternate, RUNS times each, and the fastest of
        // each is compared: a busy moment of the machine only ever slows a
        // run down, and alternating keeps it from landing on one side only. Each writes into a new folder, and nothing is deleted
        // until the end: ext4 creates files markedly slower right after many
        // were deleted, which would charge one side for the other's cleanup.
        // Peak memory is reset before every full run.
        let (mut fulls, mut floors, mut cpu, mut peak) = (Vec::new(), Vec::new(), Duration::ZERO, 0);
        let mut floor_cpu = Duration::ZERO;
        let mut shapes = Vec::new();
        let mut cells_read = 0;
        for round in 0..RUNS {
            let out = work.path().join(format!("out-{round}"));
            let floor_out = work.path().join(format!("floor-{round}"));
            let mut plan = Plan::new(&inbox, schemes.clone());
            plan.out_dir = Some(out.clone());
            plan.json = Some(out.join("results.json"));
            reset_peak_rss();
            let cpu_before = cpu_time();
            let started = Instant::now();
            starsheet::score(&plan).expect("the full run succeeds");
            fulls.push(started.elapsed());
            cpu += cpu_time().saturating_sub(cpu_before);
            peak = peak.max(peak_rss_mb());

            // Floor: the same inputs read, the same amount of output written.
            if shapes.is_empty() {
                shapes = output_shapes(&out);
            }
            let cpu_before = cpu_time();
            let started = Instant::now();
            cells_read = read_every_cell(&inbox);
            write_like(&shapes, &floor_out);
            floors.push(started.elapsed());
            floor_cpu += cpu_time().saturating_sub(cpu_before);
        }
        let busy = cpu.as_secs_f64() / fulls.iter().sum::<Duration>().as_secs_f64();
        let floor_busy = floor_cpu.as_secs_f64() / floors.iter().sum::<Duration>().as_secs_f64();
        let secs = |times: &[Duration]| {
            let shown: Vec<String> = times.iter().map(|t| format!("{:.2}", t.as_secs_f64())).collect();
            shown.join(" / ")
        };
        let rounds = format!(
            "full {} s, floor {} s; CPU seconds full {:.1}, floor {:.1} (floor busy {floor_busy:.2} cores)",
            secs(&fulls),
            secs(&floors),
            cpu.as_secs_f64() / RUNS as f64,
            floor_cpu.as_secs_f64() / RUNS as f64,
        );
        let fastest = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
        let (full, floor) = (fastest(&fulls), fastest(&floors));
        let ratio = full.as_secs_f64() / floor.as_secs_f64();
        println!(
            "| {n} | {files} | {:.2} s | {:.2} s | {:.2} s | {ratio:.2}× | {busy:.2} cores | {peak} MB |",
            generate.as_secs_f64(),
            floor.as_secs_f64(),
            full.as_secs_f64(),
        );
        eprintln!(
            "  ({n} branches: {rounds}; {cells_read} input cells read; {} output workbooks, {} cells written)",
            shapes.len(),
            shapes.iter().map(|s| s.sheets.iter().sum::<usize>()).sum::<usize>()
        );
        if let Some((m, t)) = previous {
            eprintln!(
                "  growth {m} → {n} branches: {:.1}× time for {:.0}× branches",
                full.as_secs_f64() / t.as_secs_f64(),
                n as f64 / m as f64
            );
        }
        previous = Some((n, full));
        kept.push(work);
    }
    drop(kept);
}

/// Measurements of each kind per size; the fastest is reported.
const RUNS: usize = 3;

/// A workbook the full run wrote: where, and how many cells on each sheet.
struct Shape {
    /// Path relative to the output folder.
    rel: PathBuf,
    /// Non-empty cells per sheet.
    sheets: Vec<usize>,
}

/// The shape of every workbook under a folder.
fn output_shapes(dir: &Path) -> Vec<Shape> {
    workbooks(dir)
        .par_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .map(|p| {
            let mut wb = calamine::open_workbook_auto(p).expect("an output opens");
            let names = wb.sheet_names();
            Shape {
                rel: p.strip_prefix(dir).unwrap_or(p).to_path_buf(),
                sheets: names
                    .iter()
                    .map(|name| wb.worksheet_range(name).map_or(0, |r| r.used_cells().count()))
                    .collect(),
            }
        })
        .collect()
}

/// Opens every input with calamine and visits every cell; returns the count.
fn read_every_cell(inbox: &Path) -> usize {
    workbooks(inbox)
        .par_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx") && !p.to_string_lossy().contains("~$"))
        .map(|p| {
            let bytes = std::fs::read(p).expect("an input reads");
            let Ok(mut wb) = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) else {
                return 0; // the deliberately truncated sample
            };
            let names = wb.sheet_names();
            names
                .iter()
                .filter_map(|name| wb.worksheet_range(name).ok())
                .map(|range| range.used_cells().filter(|(_, _, d)| **d != Data::Empty).count())
                .sum::<usize>()
        })
        .sum()
}

/// Writes one workbook per shape, with that many cells per sheet, at the same
/// relative path: the folders the contract prescribes (反馈/<所属党组织>/) are
/// part of the unavoidable work.
fn write_like(shapes: &[Shape], dir: &Path) {
    std::fs::create_dir_all(dir).expect("a floor folder");
    shapes.par_iter().for_each(|shape| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        // The compression level starsheet writes its outputs with.
        wb.set_zip_compression_level(1);
        for &cells in &shape.sheets {
            let ws = wb.add_worksheet();
            for k in 0..cells {
                let (row, col) = ((k / 10) as u32, (k % 10) as u16);
                if k % 2 == 0 {
                    ws.write_string(row, col, "市直机关第一党支部").expect("a cell");
                } else {
                    ws.write_number(row, col, k as f64 / 4.0).expect("a cell");
                }
            }
        }
        let path = dir.join(&shape.rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a floor folder");
        }
        wb.save(path).expect("a floor workbook");
    });
}

fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Resets the kernel's peak resident set size of this process.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// User plus system CPU time of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, r)| r)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime: fields 14 and 15 of the line, indices 11 and 12 after the name; 100 ticks a second.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}
