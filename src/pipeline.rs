//! The stages of a run, in order: discover → read → assemble (then the
//! register, and forms that look copied) → score → report, the last as one
//! transaction over the output folder.
//!
//! Each stage is a module of its own; this is the one place that calls them.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::archive::{Archive, Prepared};
use crate::error::Error;
use crate::issue::{self, Issue, Problem};
use crate::output::{self, Faults, Transaction};
use crate::plan::{DEFAULT_OUT_DIR, Plan, Progress};
use crate::report::{self, JSON_FILE, PUBLIC_FILE, SUMMARY_FILE};
use crate::results::{Assessment, Evaluation, FileEntry, FileStatus, Outcome, Skipped};
use crate::score as scoring;
use crate::{assemble, collection, discover, forms, read, scheme, similar};

/// What every form of a kind in the round would each be told — none has a
/// self-score column, no register a 推荐星级 column: a locality whose forms
/// are made so — is said once, for the round.
fn said_once(issues: &mut Vec<Issue>, forms: &[forms::Form<Assessment>], scheme: &scheme::Scheme) {
    let scoring = forms
        .iter()
        .filter(|f| matches!(f, forms::Form::Scoring(s) if s.subject == scheme::Subject::Branch))
        .count();
    let registers = forms
        .iter()
        .filter(|f| matches!(f, forms::Form::Ballots(b) if matches!(b.layout, forms::BallotLayout::Register { .. })))
        .count();
    let count = |issues: &[Issue], code: &str| issues.iter().filter(|i| i.code == code).count();
    if scoring >= 2 && count(issues, "missing_self_column") == scoring {
        issues.retain(|i| i.code != "missing_self_column");
        let synonyms = crate::layout::titles(
            crate::layout::Role::SelfScore.builtin(),
            crate::layout::Role::SelfScore,
            &scheme.labels,
        )
        .join("、");
        let problem = Problem::NoSelfColumnInRound {
            forms: scoring,
            synonyms,
        };
        issues.push(Issue::file(issue::INBOX, problem));
    }
    if registers >= 2 && count(issues, "no_recommended_column") == registers {
        issues.retain(|i| i.code != "no_recommended_column");
        issues.push(Issue::file(issue::INBOX, Problem::NoRecommendedInRound { registers }));
    }
}

/// The inputs no form was read from, each with the problem that says why:
/// what kept a sheet that looks like a form from being read, else the
/// file's first error.
fn unread_files(entries: &[FileEntry], issues: &[Issue]) -> Vec<assemble::Unread> {
    entries
        .iter()
        .filter(|e| e.forms.is_empty() && !e.private)
        .filter_map(|e| {
            let own = issues.iter().filter(|i| i.file == e.path);
            let diagnosis = own
                .clone()
                .find(|i| ["nearly_form", "unknown_ratings"].contains(&i.code))
                .or_else(|| own.clone().find(|i| i.severity == issue::Severity::Error))?;
            let why = match &diagnosis.sheet {
                Some(sheet) => format!("工作表「{sheet}」{}", diagnosis.message),
                None => diagnosis.message.clone(),
            };
            Some(assemble::Unread {
                path: e.path.clone(),
                why,
            })
        })
        .collect()
}

/// Reads, checks and scores the inbox; writes nothing.
pub fn evaluate(plan: &Plan) -> Result<Evaluation, Error> {
    evaluate_reporting(plan, &())
}

/// [`evaluate`], reporting progress.
pub fn evaluate_reporting(plan: &Plan, progress: &dyn Progress) -> Result<Evaluation, Error> {
    let scheme = &plan.schemes.branch;
    let schemes = &plan.schemes;
    let mut found = discover::discover(&plan.inbox, plan.out_dir.as_deref()).map_err(|e| Error::Inbox {
        path: plan.inbox.display().to_string(),
        source: e,
    })?;
    // The register, when given apart, is read with the inbox and listed in
    // the manifest under the path as given.
    let register = plan.register.as_ref().map(|path| discover::Candidate {
        path: path.clone(),
        rel: path.display().to_string(),
        ext: path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default(),
    });
    found.inputs.extend(register.clone());
    // Members are scored as soon as their roster is read, so a large round
    // never holds every member's form at once.
    let files = in_pool(plan.jobs, || {
        read::read_all(&found.inputs, schemes, &plan.limits, progress, |file| {
            file.score_members(|roster| scoring::score_roster(&schemes.member, roster))
        })
    })?;

    let mut issues: Vec<Issue> = found
        .skipped
        .iter()
        .map(|s| Issue::file(&s.rel, s.problem.clone()))
        .collect();
    let mut entries = Vec::with_capacity(files.len());
    let mut forms = Vec::new();
    let mut rolls = Vec::new();
    let mut fits_other: Vec<String> = Vec::new();
    for file in files {
        if let Some(r) = register.as_ref().filter(|r| r.rel == file.entry.path) {
            check_register(r, &file)?;
        }
        entries.push(file.entry);
        // The register is about the round, not a branch: kept apart from the forms.
        for form in file.forms {
            match form {
                forms::Form::Roll(roll) => rolls.push(roll),
                form => forms.push(form),
            }
        }
        issues.extend(file.issues);
        fits_other.extend(file.fits_other);
    }
    issues.extend(other_scheme_hint(scheme, &entries, &fits_other));
    said_once(&mut issues, &forms, scheme);
    let unreadable: Vec<String> = entries
        .iter()
        .filter(|e| e.status == FileStatus::Failed)
        .map(|e| e.path.clone())
        .collect();
    let mut assembly = assemble::assemble(forms, &unreadable);
    assemble::note_unread(&mut assembly, &unread_files(&entries, &issues));
    let (collection, roll_issues) = collection::check(rolls, &mut assembly, scheme);
    // Before the cases are consumed by scoring; flags only, no score changes.
    let resemblances = in_pool(plan.jobs, || similar::check(&assembly, schemes))?;
    let assemble::Assembly {
        cases,
        groups,
        members,
        issues: assembly_issues,
    } = assembly;
    issues.extend(assembly_issues);
    issues.extend(roll_issues);
    // Cases are consumed: each form is freed once scored, so forms and
    // results of a large round are not all held at once.
    let score_all = |scheme, cases: Vec<assemble::Case>, issues: &mut Vec<Issue>| -> Result<Scored, Error> {
        let scored: Vec<(Assessment, Vec<Issue>)> = in_pool(plan.jobs, || {
            cases
                .into_par_iter()
                .map(|case| scoring::score_case(scheme, &case))
                .collect()
        })?;
        let mut results = Vec::with_capacity(scored.len());
        for (result, found) in scored {
            results.push(result);
            issues.extend(found);
        }
        // Quotas compare branches, so they come before the ranking.
        let quotas = scoring::apply_quotas(scheme, &mut results);
        scoring::rank(&mut results);
        Ok((results, quotas))
    };
    let (branches, mut quotas) = score_all(scheme, cases, &mut issues)?;
    let (groups, group_quotas) = score_all(&schemes.group, groups, &mut issues)?;
    quotas.extend(group_quotas);
    // Members were scored as their rosters were read; what remains is per branch.
    let mut member_results = Vec::with_capacity(members.iter().map(|g| g.members.len()).sum());
    for group in members {
        member_results.extend(scoring::member_results(&schemes.member, group));
    }
    if !entries.iter().any(|e| !e.forms.is_empty()) {
        let found = inbox_contents(&entries, &found.skipped);
        issues.push(Issue::file(issue::INBOX, Problem::NothingToRate { found }));
    }
    issues.sort_by(|a, b| a.report_order(b));
    let organisations = scoring::org_stats(scheme, &branches);
    Ok(Evaluation {
        schemes: schemes.clone(),
        round: plan.round,
        collection,
        comparison: None,
        history: None,
        files: entries,
        skipped: found.skipped,
        branches,
        groups,
        members: member_results,
        organisations,
        quotas,
        issues,
        resemblances,
    })
}

/// A register given with `--register` must be read and hold one: the
/// officer asked for the check, so a run without it would mislead.
fn check_register(candidate: &discover::Candidate, file: &read::FileRead<Assessment>) -> Result<(), Error> {
    if file.forms.iter().any(|f| matches!(f, forms::Form::Roll(_))) {
        return Ok(());
    }
    let why = match file.issues.iter().find(|i| i.severity == issue::Severity::Error) {
        Some(problem) => problem.message.clone(),
        None => "文件中没有这样的表".to_string(),
    };
    Err(Error::NoRoll {
        path: candidate.rel.clone(),
        why,
    })
}

/// Results with their quota decisions.
type Scored = (Vec<Assessment>, Vec<crate::results::QuotaDecision>);

/// One hint, before the many problems it explains, when most scoring forms
/// fit another built-in scheme better than the one chosen.
fn other_scheme_hint(scheme: &scheme::Scheme, files: &[FileEntry], fits_other: &[String]) -> Option<Issue> {
    let forms = files
        .iter()
        .flat_map(|f| &f.forms)
        .filter(|k| **k == forms::FormKind::Scoring)
        .count();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for name in fits_other {
        *counts.entry(name).or_default() += 1;
    }
    let (preset, fitting) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    if fitting * 2 <= forms {
        return None;
    }
    let title = scheme::Scheme::load(preset).map(|s| s.title).unwrap_or_default();
    Some(Issue::file(
        issue::INBOX,
        Problem::OtherSchemeFits {
            scheme: scheme.name.clone(),
            fitting,
            forms,
            preset: preset.to_string(),
            title,
        },
    ))
}

/// What an inbox without a single form holds, in a sentence.
fn inbox_contents(files: &[FileEntry], skipped: &[Skipped]) -> String {
    if files.is_empty() && skipped.is_empty() {
        return "收件箱是空的".to_string();
    }
    let mut parts = Vec::new();
    if !files.is_empty() {
        let failed = files.iter().filter(|f| f.status == FileStatus::Failed).count();
        let mut text = format!("读取表格文件 {} 个", files.len());
        if failed > 0 {
            text.push_str(&format!("（其中 {failed} 个无法读取）"));
        }
        text.push_str("，都没有可识别的表格");
        parts.push(text);
    }
    if !skipped.is_empty() {
        // Counted by why they were skipped, in a fixed order.
        let mut why: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for s in skipped {
            *why.entry(s.problem.skip_kind()).or_default() += 1;
        }
        let counts: Vec<String> = why.iter().map(|(kind, n)| format!("{kind} {n} 个")).collect();
        parts.push(format!("跳过 {} 个（{}）", skipped.len(), counts.join("、")));
    }
    parts.join("；")
}

/// Evaluates the inbox and writes every output into the plan's folder.
pub fn score(plan: &Plan) -> Result<Outcome, Error> {
    score_reporting(plan, &())
}

/// [`score`], reporting progress.
///
/// The run is one transaction over the output folder (see [`output`]): it
/// takes the folder's lock before reading, and the folder shows either the
/// previous run's outputs or all of this run's, never a mixture.
pub fn score_reporting(plan: &Plan, progress: &dyn Progress) -> Result<Outcome, Error> {
    let out_dir = plan.out_dir.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_OUT_DIR));
    if holds(&out_dir, &plan.inbox) {
        return Err(Error::OutputHoldsInbox(out_dir.display().to_string()));
    }
    // The JSON goes inside the transaction when it is inside the folder.
    let json = plan.json.as_ref().map(|path| match inside(path, &out_dir) {
        Some(rel) => Json::Staged(rel),
        None => Json::Beside(path.clone()),
    });
    let mut names = vec![
        SUMMARY_FILE,
        PUBLIC_FILE,
        report::members::FILE,
        report::feedback::FOLDER,
        JSON_FILE,
    ];
    if let Some(Json::Staged(rel)) = &json {
        names.extend(rel.iter().next().and_then(|c| c.to_str()));
    }
    // The archive is checked before anything is read: a run that cannot
    // store its round stops before it writes.
    let mut archive = match (&plan.archive, plan.round) {
        (None, _) => None,
        (Some(_), None) => return Err(Error::ArchiveNeedsRound),
        (Some(path), Some(round)) => Some((Archive::open_for_writing(path)?, round)),
    };
    let faults = plan.fail_write_at.map(Faults::fail_at).unwrap_or_default();
    let run = Transaction::begin(&out_dir, &names, faults)?;
    let plan = Plan {
        out_dir: Some(out_dir.clone()),
        ..plan.clone()
    };
    let mut evaluation = evaluate_reporting(&plan, progress)?;
    // Compared with the archived round before this one, when there is one,
    // and read against this year's and last year's rounds.
    if let Some((archive, round)) = &archive {
        if let Some((before, past)) = archive.previous(round.period)? {
            crate::compare::compare(&mut evaluation, before, past);
        }
        let window = archive.window(round.period, !evaluation.members.is_empty())?;
        crate::compare::history(&mut evaluation, round.period, &window);
    }
    if !evaluation.has_forms() {
        // An empty or mistaken inbox must not replace a round's results.
        return Ok(Outcome {
            evaluation,
            written: Vec::new(),
            feedback: Vec::new(),
            archived: None,
        });
    }

    let mut outputs = vec![
        (PathBuf::from(SUMMARY_FILE), Output::Summary),
        (PathBuf::from(PUBLIC_FILE), Output::Public),
    ];
    if !evaluation.members.is_empty() {
        outputs.push((PathBuf::from(report::members::FILE), Output::Members));
    }
    if let Some(Json::Staged(rel)) = &json {
        outputs.push((rel.clone(), Output::Json));
    }
    let planned = report::feedback::plan(&evaluation);
    // Each consolidated output is one long serial job: they are written while
    // the feedback workbooks are, so that every core stays busy.
    // The archive's copy of the results is prepared alongside: serialising
    // and compressing them is most of what archiving costs. A results.json
    // in the folder is written from the same bytes (see `Output::write`).
    let archiving = archive.is_some();
    let shared = archiving && outputs.iter().any(|(_, o)| matches!(o, Output::Json));
    let (done, (failures, prepared)) = in_pool(plan.jobs, || {
        rayon::join(
            || {
                write_outputs(
                    &outputs.iter().collect::<Vec<_>>(),
                    &evaluation,
                    &run,
                    &out_dir,
                    archiving,
                )
            },
            || {
                rayon::join(
                    || write_feedback(&run, &evaluation, &planned, plan.fail_feedback_of.as_deref(), progress),
                    || (archiving && !shared).then(|| prepare(&evaluation)),
                )
            },
        )
    })?;
    let failures = failures?;
    let mut prepared = done?.or(prepared);
    if failures.iter().any(Option::is_some) {
        // Rare: a branch whose feedback could not be built. Its problem
        // belongs in every list of problems, so those are written again.
        evaluation.issues.extend(failures.iter().flatten().cloned());
        evaluation.issues.sort_by(|a, b| a.report_order(b));
        let listing: Vec<&(PathBuf, Output)> = outputs.iter().filter(|(_, o)| o.lists_issues()).collect();
        prepared = write_outputs(&listing, &evaluation, &run, &out_dir, archiving)?
            .or_else(|| archiving.then(|| prepare(&evaluation)));
    }
    let beside = match &json {
        Some(Json::Beside(path)) => Some(
            output::write_beside(path, |out| report::json::write(&evaluation, out))
                .map_err(|e| Error::output(path, e))?,
        ),
        _ => None,
    };
    let mut entries: Vec<String> = outputs
        .iter()
        .filter_map(|(rel, _)| rel.iter().next())
        .chain([std::ffi::OsStr::new(report::feedback::FOLDER)])
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    entries.sort();
    entries.dedup();
    // Stored before the outputs are swapped in: an archive that cannot take
    // the round leaves the output folder as it was.
    let archived = match (&mut archive, prepared) {
        (Some((archive, round)), Some(prepared)) => Some(archive.store_prepared(&evaluation, *round, prepared)?),
        _ => None,
    };
    run.commit(&entries)?;
    let mut written: Vec<PathBuf> = outputs.iter().map(|(rel, _)| out_dir.join(rel)).collect();
    if let (Some(pending), Some(Json::Beside(path))) = (beside, &json) {
        pending.commit().map_err(|e| Error::output(path, e))?;
        written.push(path.clone());
    }
    let feedback = planned
        .into_iter()
        .zip(failures)
        .filter(|(_, failed)| failed.is_none())
        .map(|(p, _)| (p.identity, out_dir.join(p.path)))
        .collect();
    Ok(Outcome {
        evaluation,
        written,
        feedback,
        archived,
    })
}

/// Builds and stages `outputs` in parallel; the archive's copy of the
/// results when the JSON among them gave one.
fn write_outputs<'e>(
    outputs: &[&(PathBuf, Output)],
    eval: &'e Evaluation,
    run: &Transaction,
    out_dir: &Path,
    archiving: bool,
) -> Result<Option<std::io::Result<Prepared<'e>>>, Error> {
    let built = outputs
        .par_iter()
        .map(|(rel, output)| output.write(eval, run, rel, out_dir, archiving))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(built.into_iter().flatten().next())
}

/// The archive's copy of a round: its results.json, as written to the folder.
fn prepare(eval: &Evaluation) -> std::io::Result<Prepared<'_>> {
    Prepared::new(eval, |mut out| report::json::write(eval, &mut out))
}

/// Where the JSON results go.
enum Json {
    /// Inside the output folder, at this relative path.
    Staged(PathBuf),
    /// Elsewhere, written beside its final name and put there once the
    /// folder's outputs are in place.
    Beside(PathBuf),
}

/// The consolidated outputs beside the feedback folder, and the JSON.
enum Output {
    Summary,
    Public,
    Members,
    Json,
}

impl Output {
    /// Whether the output lists the problems found.
    fn lists_issues(&self) -> bool {
        matches!(self, Output::Summary | Output::Json)
    }

    /// Builds the output and stages it at `rel`. The JSON, when the round
    /// is `archiving`, also gives the archive's copy, compressed from the
    /// very bytes written to the file.
    fn write<'e>(
        &self,
        eval: &'e Evaluation,
        run: &Transaction,
        rel: &Path,
        out_dir: &Path,
        archiving: bool,
    ) -> Result<Option<std::io::Result<Prepared<'e>>>, Error> {
        let built = match self {
            Output::Summary => report::summary::build(eval),
            Output::Public => report::public::build(eval),
            Output::Members => report::members::build(eval),
            // Streamed to its file: it runs to hundreds of megabytes.
            Output::Json if archiving => {
                let mut prepared = None;
                run.write_with(rel, |out| {
                    let both = Prepared::new(eval, |archived| report::json::write(eval, &mut Tee(out, archived)))?;
                    prepared = Some(Ok(both));
                    Ok(())
                })?;
                return Ok(prepared);
            }
            Output::Json => return run.write_with(rel, |out| report::json::write(eval, out)).map(|()| None),
        };
        let bytes = built.map_err(|source| Error::Build {
            path: out_dir.join(rel).display().to_string(),
            source,
        })?;
        run.write(rel, &bytes).map(|()| None)
    }
}

/// Writes to two writers at once: results.json to its file and to the
/// archive's compressor.
struct Tee<'a, A: Write, B: Write + ?Sized>(&'a mut A, &'a mut B);

impl<A: Write, B: Write + ?Sized> Write for Tee<'_, A, B> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(buf)?;
        self.1.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()?;
        self.1.flush()
    }
}

/// Stages every feedback workbook on the current pool. A workbook that
/// cannot be built becomes a problem of its branch (`Some` at its place) and
/// the others are written; a write error ends the run.
fn write_feedback(
    run: &Transaction,
    eval: &Evaluation,
    planned: &[report::feedback::Planned],
    fail_for: Option<&str>,
    progress: &dyn Progress,
) -> Result<Vec<Option<Issue>>, Error> {
    progress.phase("写出反馈", planned.len());
    run.write_dir(Path::new(report::feedback::FOLDER))?;
    planned
        .par_iter()
        .map(|p| {
            let built = catch_unwind(AssertUnwindSafe(|| {
                if fail_for == Some(p.identity.name.as_str()) {
                    panic!("按测试要求使本支部的反馈表失败");
                }
                report::feedback::build(eval, p)
            }));
            let detail = match built {
                Ok(Ok(bytes)) => {
                    let written = run.write(&p.path, &bytes);
                    progress.step();
                    return written.map(|()| None);
                }
                Ok(Err(e)) => e.to_string(),
                Err(panic) => crate::error::panic_message(panic.as_ref()),
            };
            progress.step();
            let problem = Problem::FeedbackNotBuilt {
                path: p.path.display().to_string(),
                detail,
            };
            Ok(Some(Issue::file(&p.source_file(eval), problem)))
        })
        .collect()
}

/// Whether folder `outer` is `inner` or holds it.
fn holds(outer: &Path, inner: &Path) -> bool {
    match (std::fs::canonicalize(outer), std::fs::canonicalize(inner)) {
        (Ok(outer), Ok(inner)) => inner.starts_with(outer),
        _ => false,
    }
}

/// `path` relative to `dir` when it lies inside it (compared as written,
/// `.` components aside, both made absolute).
fn inside(path: &Path, dir: &Path) -> Option<PathBuf> {
    let plain = |p: &Path| -> PathBuf {
        let absolute = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        absolute
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    let rel = plain(path).strip_prefix(plain(dir)).ok()?.to_path_buf();
    (!rel.as_os_str().is_empty()).then_some(rel)
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
