//! starsheet: party-branch star ratings (党支部星级评定) from a folder of forms.
//!
//! The pipeline, top-down: [`discover`] the inbox → [`read`] every workbook in
//! parallel ([`workbook`] → [`grid`] → [`forms`]) → [`assemble`] branches
//! across files → [`score`] and rank → [`report`] the outputs.

pub mod assemble;
pub mod cli;
pub mod discover;
pub mod forms;
pub mod grid;
pub mod issue;
pub mod points;
pub mod read;
pub mod report;
pub mod sample;
pub mod scheme;
pub mod score;
pub mod template;
pub mod workbook;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::discover::Skipped;
use crate::forms::Identity;
use crate::issue::{Issue, Severity};
use crate::read::FileEntry;
use crate::scheme::{SchemeError, Schemes};
use crate::score::{Assessment, BallotStats, MemberResult};
use crate::workbook::Limits;

/// Name of the consolidated ranking workbook.
pub const SUMMARY_FILE: &str = "汇总排名.xlsx";
/// Name of the public star list.
pub const PUBLIC_FILE: &str = "亮星公示.xlsx";
/// Default name of the JSON results.
pub const JSON_FILE: &str = "results.json";

/// Why the tool itself could not proceed (as opposed to problems in the data).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scheme is unusable.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The inbox cannot be read.
    #[error("无法读取收件箱 {path}：{message}")]
    Inbox { path: String, message: String },
    /// The output folder is the inbox itself.
    #[error("输出目录不能就是收件箱本身（{0}），请另选一个目录")]
    OutputIsInbox(String),
    /// An output cannot be written.
    #[error("无法写入 {path}：{message}")]
    Output { path: String, message: String },
    /// The worker threads cannot be started.
    #[error("无法启动 {jobs} 个工作线程：{message}")]
    Threads { jobs: usize, message: String },
}

/// Everything a run needs, decided once from the arguments.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Folder of collected forms.
    pub inbox: PathBuf,
    /// Folder for outputs; never read as input.
    pub out_dir: Option<PathBuf>,
    /// Where to write results.json, if wanted.
    pub json: Option<PathBuf>,
    /// The schemes in force.
    pub schemes: Schemes,
    /// Worker threads; all cores when absent.
    pub jobs: Option<usize>,
    /// Limits on hostile input.
    pub limits: Limits,
}

impl Plan {
    /// A plan reading `inbox` with `schemes`, writing nothing.
    pub fn new(inbox: impl Into<PathBuf>, schemes: Schemes) -> Plan {
        Plan {
            inbox: inbox.into(),
            out_dir: None,
            json: None,
            limits: schemes.branch.limits.apply(Limits::default()),
            schemes,
            jobs: None,
        }
    }
}

/// Receives the progress of a run, from worker threads.
pub trait Progress: Sync {
    /// A phase of `total` steps begins; `name` is shown to the user.
    fn phase(&self, _name: &str, _total: usize) {}
    /// One step of the current phase is done.
    fn step(&self) {}
}

/// Reports nothing.
impl Progress for () {}

/// Statistics of ballots sent for a branch without a scoring form.
#[derive(Debug, Clone)]
pub struct OrphanResult {
    /// The branch as the ballots name it.
    pub identity: Identity,
    /// Their statistics.
    pub stats: BallotStats,
}

/// The complete result of reading, checking and scoring an inbox.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The schemes used.
    pub schemes: Schemes,
    /// Every input file read, in path order.
    pub files: Vec<FileEntry>,
    /// Files and folders skipped.
    pub skipped: Vec<Skipped>,
    /// Branch results, ranked; pending branches last.
    pub branches: Vec<Assessment>,
    /// Party-group results, ranked; pending groups last.
    pub groups: Vec<Assessment>,
    /// Member results by branch, in roster order.
    pub members: Vec<MemberResult>,
    /// Ballots without a scoring form.
    pub orphans: Vec<OrphanResult>,
    /// Every problem, sorted by file, sheet and cell.
    pub issues: Vec<Issue>,
}

impl Evaluation {
    /// Whether any input had an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// Exit status per the contract: 0 clean, 2 results but input errors.
    pub fn exit_status(&self) -> u8 {
        if self.has_errors() { 2 } else { 0 }
    }
}

/// Reads, checks and scores the inbox; writes nothing.
pub fn evaluate(plan: &Plan) -> Result<Evaluation, Error> {
    evaluate_reporting(plan, &())
}

/// [`evaluate`], reporting progress.
pub fn evaluate_reporting(plan: &Plan, progress: &dyn Progress) -> Result<Evaluation, Error> {
    let scheme = &plan.schemes.branch;
    let schemes = &plan.schemes;
    let found = discover::discover(&plan.inbox, plan.out_dir.as_deref()).map_err(|e| Error::Inbox {
        path: plan.inbox.display().to_string(),
        message: e.to_string(),
    })?;
    let files = in_pool(plan.jobs, || {
        read::read_all(&found.inputs, schemes, &plan.limits, progress)
    })?;

    let mut issues: Vec<Issue> = found
        .skipped
        .iter()
        .map(|s| Issue::file(&s.rel, s.problem.clone()))
        .collect();
    let mut entries = Vec::with_capacity(files.len());
    let mut forms = Vec::new();
    for file in files {
        entries.push(file.entry);
        forms.extend(file.forms);
        issues.extend(file.issues);
    }
    let assemble::Assembly {
        cases,
        groups,
        orphans,
        members,
        issues: assembly_issues,
    } = assemble::assemble(forms);
    issues.extend(assembly_issues);
    // Cases are consumed: each form is freed once scored, so forms and
    // results of a large round are not all held at once.
    let score_all = |scheme, cases: Vec<assemble::Case>, issues: &mut Vec<Issue>| -> Result<Vec<Assessment>, Error> {
        let scored: Vec<(Assessment, Vec<Issue>)> = in_pool(plan.jobs, || {
            cases
                .into_par_iter()
                .map(|case| score::score_case(scheme, &case))
                .collect()
        })?;
        let mut results = Vec::with_capacity(scored.len());
        for (result, found) in scored {
            results.push(result);
            issues.extend(found);
        }
        score::rank(&mut results);
        Ok(results)
    };
    let branches = score_all(scheme, cases, &mut issues)?;
    let groups = score_all(&schemes.group, groups, &mut issues)?;
    // Members were scored as their rosters were read; what remains is per branch.
    let mut member_results = Vec::with_capacity(members.iter().map(|g| g.members.len()).sum());
    for group in members {
        member_results.extend(score::member_results(&schemes.member, group));
    }
    let orphans = orphans
        .iter()
        .map(|o| OrphanResult {
            identity: o.identity.clone(),
            stats: score::tally(scheme, &o.ballots),
        })
        .collect();
    issues.sort_by(|a, b| a.report_order(b));
    Ok(Evaluation {
        schemes: schemes.clone(),
        files: entries,
        skipped: found.skipped,
        branches,
        groups,
        members: member_results,
        orphans,
        issues,
    })
}

/// What a scoring run wrote.
#[derive(Debug)]
pub struct Outcome {
    /// The evaluation behind the outputs.
    pub evaluation: Evaluation,
    /// Files written, in order (feedback workbooks apart).
    pub written: Vec<PathBuf>,
    /// Feedback workbooks written, one per branch.
    pub feedback: Vec<(Identity, PathBuf)>,
}

/// Evaluates the inbox and writes every output into the plan's folder.
pub fn score(plan: &Plan) -> Result<Outcome, Error> {
    score_reporting(plan, &())
}

/// [`score`], reporting progress.
pub fn score_reporting(plan: &Plan, progress: &dyn Progress) -> Result<Outcome, Error> {
    let out_dir = plan.out_dir.clone().unwrap_or_else(|| PathBuf::from("评定结果"));
    if same_dir(&out_dir, &plan.inbox) {
        return Err(Error::OutputIsInbox(out_dir.display().to_string()));
    }
    let plan = Plan {
        out_dir: Some(out_dir.clone()),
        ..plan.clone()
    };
    report::recover(&out_dir).map_err(|e| Error::Output {
        path: out_dir.display().to_string(),
        message: e.to_string(),
    })?;
    let evaluation = evaluate_reporting(&plan, progress)?;
    let mut outputs = vec![
        (out_dir.join(SUMMARY_FILE), Output::Summary),
        (out_dir.join(PUBLIC_FILE), Output::Public),
    ];
    if !evaluation.members.is_empty() {
        outputs.push((out_dir.join(report::members::FILE), Output::Members));
    }
    if let Some(json) = &plan.json {
        outputs.push((json.clone(), Output::Json));
    }
    // Each consolidated output is one long serial job: they are written while
    // the feedback workbooks are, so that every core stays busy.
    let (written, feedback) = in_pool(plan.jobs, || {
        rayon::join(
            || {
                outputs
                    .par_iter()
                    .map(|(path, output)| output.write(&evaluation, path).map(|()| path.clone()))
                    .collect::<Result<Vec<_>, Error>>()
            },
            || write_feedback(&out_dir, &evaluation, progress),
        )
    })?;
    let (written, feedback) = (written?, feedback?);
    Ok(Outcome {
        evaluation,
        written,
        feedback,
    })
}

/// The consolidated outputs beside the feedback folder, and the JSON.
enum Output {
    Summary,
    Public,
    Members,
    Json,
}

impl Output {
    /// Builds the output and puts it at `path` atomically.
    fn write(&self, eval: &Evaluation, path: &Path) -> Result<(), Error> {
        let failed = |message: String| Error::Output {
            path: path.display().to_string(),
            message,
        };
        let built = match self {
            Output::Summary => report::summary::build(eval),
            Output::Public => report::public::build(eval),
            Output::Members => report::members::build(eval),
            // Streamed to its file: it runs to hundreds of megabytes.
            Output::Json => {
                return report::write_atomic_with(path, |out| report::json::write(eval, out))
                    .map_err(|e| failed(e.to_string()));
            }
        };
        let bytes = built.map_err(|e| failed(e.to_string()))?;
        report::write_atomic(path, &bytes).map_err(|e| failed(e.to_string()))
    }
}

/// Writes every feedback workbook on the current pool, replacing the whole folder.
fn write_feedback(
    out_dir: &Path,
    eval: &Evaluation,
    progress: &dyn Progress,
) -> Result<Vec<(Identity, PathBuf)>, Error> {
    let planned = report::feedback::plan(eval);
    progress.phase("写出反馈", planned.len());
    let folder = out_dir.join(report::feedback::FOLDER);
    let failed = |path: &Path, message: String| Error::Output {
        path: path.display().to_string(),
        message,
    };
    report::replace_folder(&folder, |staging| {
        planned.par_iter().try_for_each(|p| {
            let bytes = report::feedback::build(eval, p).map_err(|e| failed(&p.path, e.to_string()))?;
            let inside = p.path.strip_prefix(report::feedback::FOLDER).unwrap_or(&p.path);
            let written = report::write_staged(&staging.join(inside), &bytes);
            progress.step();
            written.map_err(|e| failed(&p.path, e.to_string()))
        })
    })?;
    Ok(planned
        .into_iter()
        .map(|p| (p.identity, out_dir.join(p.path)))
        .collect())
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Output {
            path: "输出目录".to_string(),
            message: e.to_string(),
        }
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn in_pool<T: Send>(jobs: Option<usize>, work: impl FnOnce() -> T + Send) -> Result<T, Error> {
    match jobs {
        None => Ok(work()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Threads {
                    jobs: n,
                    message: e.to_string(),
                })?;
            Ok(pool.install(work))
        }
    }
}

/// Runs a parsed command line; returns the process exit status.
pub fn run(cli: cli::Cli) -> u8 {
    match cli::execute(cli) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("错误：{e}");
            1
        }
    }
}
