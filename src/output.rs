//! Writing files: a scoring run as one transaction over its output folder,
//! and single files written atomically.
//!
//! A run stages every output in a hidden folder beside the output folder
//! (`.<name>.starsheet-new-…`) and swaps the two with one rename, so the
//! visible folder always holds exactly one complete run — never a
//! half-written workbook, never files of two runs mixed, never a stale file
//! the current run did not write. A lock file beside the folder
//! (`.<name>.starsheet-lock`) keeps a second run out; what a killed run left
//! beside the folder is cleaned at the next start; Ctrl+C and termination
//! signals clean up before the process exits ([`install_interrupt_handler`]).
//! Any failure before the swap leaves the previous outputs as they were.

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use crate::error::{Error, INTERRUPTED};

/// The file inside an output folder that says starsheet owns it, and lists
/// what the last run wrote there.
pub const MARKER: &str = ".starsheet";

/// First lines of [`MARKER`]; every later line names one entry of the folder.
const MARKER_HEAD: &str = "# 本文件夹由 starsheet 生成。每次评定都会用新的结果整体替换本文件夹，\n\
# 请勿在此存放其他文件；需要修改其中的表格时，请先复制到别处。\n\
# 以下是本次评定写出的内容：\n";

/// One run's outputs on their way into the output folder.
#[derive(Debug)]
pub struct Transaction {
    /// The output folder as the user named it, for messages.
    shown: PathBuf,
    /// The output folder, absolute.
    target: PathBuf,
    /// The staging folder beside it.
    staging: PathBuf,
    /// Held until the run ends.
    _lock: RunLock,
    faults: Faults,
    committed: bool,
}

impl Transaction {
    /// Takes the output folder for one run: locks it against other runs,
    /// tidies what a killed run left beside it, checks that starsheet owns
    /// it, and creates the staging folder. `outputs` are the names a run
    /// writes at the top of the folder (an older version's folder, without
    /// the marker, is recognised by them).
    pub fn begin(out: &Path, outputs: &[&str], faults: Faults) -> Result<Transaction, Error> {
        let shown = out.to_path_buf();
        let target = resolve(out)?;
        let (parent, name) = match (target.parent(), target.file_name()) {
            (Some(parent), Some(name)) => (parent.to_path_buf(), name.to_string_lossy().into_owned()),
            _ => return Err(Error::OutputNotFolder(out.display().to_string())),
        };
        let prefix = sibling_prefix(&name);
        let lock = RunLock::acquire(&parent.join(format!("{prefix}lock")), out)?;
        tidy_leftovers(&parent, &prefix, &target).map_err(|e| Error::output(&parent, e))?;
        check_owned(&target, outputs, out)?;
        faults.tick().map_err(|e| Error::output(&parent, e))?;
        let staging = guarded(|| {
            let dir = tempfile::Builder::new()
                .prefix(&format!("{prefix}new-"))
                .tempdir_in(&parent)?
                .keep();
            register(&dir);
            Ok(dir)
        })
        .map_err(|e| Error::output(&parent, e))?;
        Ok(Transaction {
            shown,
            target,
            staging,
            _lock: lock,
            faults,
            committed: false,
        })
    }

    /// Writes `bytes` to `rel` inside the run's outputs.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        let path = self.staging.join(rel);
        self.op(rel, || {
            create_parent(&path)?;
            fs::write(&path, bytes)
        })
    }

    /// Creates the folder `rel` inside the run's outputs.
    pub fn write_dir(&self, rel: &Path) -> Result<(), Error> {
        let path = self.staging.join(rel);
        self.op(rel, || fs::create_dir_all(&path))
    }

    /// Writes `rel` inside the run's outputs from a stream (for content too
    /// large to hold in memory).
    pub fn write_with(
        &self,
        rel: &Path,
        write: impl FnOnce(&mut BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), Error> {
        let path = self.staging.join(rel);
        let file = self.op(rel, || {
            create_parent(&path)?;
            fs::File::create(&path)
        })?;
        let mut out = BufWriter::new(file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Error::output(&self.shown.join(rel), e))
    }

    /// One write operation: counted for fault injection, refused once the
    /// run is interrupted.
    fn op<T>(&self, rel: &Path, f: impl FnOnce() -> io::Result<T>) -> Result<T, Error> {
        self.faults
            .tick()
            .and_then(|()| guarded(f))
            .map_err(|e| Error::output(&self.shown.join(rel), e))
    }

    /// Makes the run's outputs the content of the output folder, in one
    /// rename; `entries` are the top-level names written, recorded in the
    /// marker.
    pub fn commit(mut self, entries: &[String]) -> Result<(), Error> {
        let mut marker = MARKER_HEAD.to_string();
        for entry in entries {
            marker.push_str(entry);
            marker.push('\n');
        }
        self.write(Path::new(MARKER), marker.as_bytes())?;
        flush(&self.staging).map_err(|e| Error::output(&self.shown, e))?;
        let retired = {
            let gate = GATE.write().unwrap_or_else(PoisonError::into_inner);
            if *gate {
                return Err(Error::Interrupted);
            }
            let retired = self
                .faults
                .tick()
                .and_then(|()| swap(&self.staging, &self.target))
                .map_err(|e| Error::output(&self.shown, e))?;
            // Before the gate opens, so an interrupt now reports it rightly.
            COMMITTED.store(true, Ordering::SeqCst);
            retired
        };
        self.committed = true;
        // The previous run, now beside the folder; a failure here leaves it
        // to the next run's tidying, the new outputs are in place either way.
        if let Some(old) = retired {
            let _ = fs::remove_dir_all(&old);
            unregister(&old);
        }
        unregister(&self.staging);
        Ok(())
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
            unregister(&self.staging);
        }
    }
}

/// `.<name>.starsheet-`: the prefix of every entry a run keeps beside its
/// output folder.
fn sibling_prefix(name: &str) -> String {
    format!(".{name}.starsheet-")
}

/// Whether `path` is something a run keeps beside the output folder `out`
/// (its lock, staging or retired folder), which the inbox walk must not list.
pub fn is_beside(out: &Path, path: &Path) -> bool {
    let (Some(out_parent), Some(out_name), Some(parent), Some(name)) =
        (out.parent(), out.file_name(), path.parent(), path.file_name())
    else {
        return false;
    };
    let same_parent = match (fs::canonicalize(out_parent), fs::canonicalize(parent)) {
        (Ok(a), Ok(b)) => a == b,
        _ => out_parent == parent,
    };
    same_parent
        && name
            .to_string_lossy()
            .starts_with(&sibling_prefix(&out_name.to_string_lossy()))
}

/// The output folder as an absolute path, a link to a folder followed, its
/// parent created.
fn resolve(out: &Path) -> Result<PathBuf, Error> {
    let shown = || out.display().to_string();
    match fs::symlink_metadata(out) {
        Ok(_) => fs::canonicalize(out).map_err(|e| Error::output(out, e)),
        Err(_) => {
            let name = out.file_name().ok_or_else(|| Error::OutputNotFolder(shown()))?;
            let parent = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            fs::create_dir_all(parent).map_err(|e| Error::output(parent, e))?;
            let parent = fs::canonicalize(parent).map_err(|e| Error::output(parent, e))?;
            Ok(parent.join(name))
        }
    }
}

/// Removes what a killed run left beside the output folder; a previous run
/// caught between the two renames of the fallback swap is put back.
fn tidy_leftovers(parent: &Path, prefix: &str, target: &Path) -> io::Result<()> {
    let lock = format!("{prefix}lock");
    let mut leftovers = Vec::new();
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && name != lock {
            leftovers.push((name, entry.path()));
        }
    }
    leftovers.sort();
    for (name, path) in leftovers {
        let kept = path.join(target.file_name().unwrap_or_default());
        if name.starts_with(&format!("{prefix}old-")) && !exists(target) && kept.is_dir() {
            fs::rename(&kept, target)?;
        }
        // Best effort: a leftover that cannot be removed (say, it holds a
        // folder someone made read-only) is hidden and harmless, and must
        // not keep every later run from starting.
        if fs::remove_dir_all(&path).is_err() {
            let _ = fs::remove_file(&path);
        }
    }
    Ok(())
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Refuses an output folder holding anything starsheet did not write.
fn check_owned(target: &Path, outputs: &[&str], shown: &Path) -> Result<(), Error> {
    let meta = match fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::output(shown, e)),
    };
    if !meta.is_dir() {
        return Err(Error::OutputNotFolder(shown.display().to_string()));
    }
    let mut names = Vec::new();
    for entry in fs::read_dir(target).map_err(|e| Error::output(shown, e))? {
        let entry = entry.map_err(|e| Error::output(shown, e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    // Written by the last run, as its marker lists; an older version's
    // folder has no marker and holds only output names and its temporaries.
    let written: Vec<String> = match fs::read_to_string(target.join(MARKER)) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .chain([MARKER.to_string()])
            .collect(),
        Err(_) => outputs.iter().map(|s| s.to_string()).collect(),
    };
    let foreign = names
        .iter()
        .find(|n| !written.contains(n) && !n.starts_with(".starsheet-"));
    match foreign {
        None => Ok(()),
        Some(example) => Err(Error::NotOurFolder {
            path: shown.display().to_string(),
            example: example.clone(),
        }),
    }
}

/// Puts `staging` in place of `target` in one rename where the system can
/// exchange two folders; returns where the previous folder now is.
fn swap(staging: &Path, target: &Path) -> io::Result<Option<PathBuf>> {
    if !exists(target) {
        fs::rename(staging, target)?;
        return Ok(None);
    }
    if exchange(staging, target).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    // Two renames: the previous folder is kept whole under a name the next
    // run's tidying puts back should the process die in between.
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let retired = tempfile::Builder::new()
        .prefix(&format!("{}old-", sibling_prefix(&name)))
        .tempdir_in(parent)?
        .keep();
    register(&retired);
    fs::rename(target, retired.join(&name))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(retired.join(&name), target);
        return Err(e);
    }
    Ok(Some(retired))
}

/// Exchanges two folders atomically.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Puts the staged outputs on disk before they become visible, so that a
/// power cut just after the swap cannot leave empty files under final names.
/// One call for the file system: a large round writes thousands of files,
/// and one `fsync` each would cost more than writing them.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn flush(dir: &Path) -> io::Result<()> {
    let folder = fs::File::open(dir)?;
    rustix::fs::syncfs(&folder).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn flush(_: &Path) -> io::Result<()> {
    Ok(())
}

fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) => fs::create_dir_all(dir),
        None => Ok(()),
    }
}

/// The lock that keeps a second run out of an output folder: a file beside
/// it, locked while the run lasts and naming when and by whom it started.
#[derive(Debug)]
struct RunLock {
    path: PathBuf,
    file: fs::File,
}

impl RunLock {
    fn acquire(path: &Path, shown: &Path) -> Result<RunLock, Error> {
        loop {
            let mut file = guarded(|| {
                let file = fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(path)?;
                register(path);
                Ok(file)
            })
            .map_err(|e| Error::output(path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    unregister(path);
                    return Err(Error::Busy {
                        path: shown.display().to_string(),
                        started: holder(&mut file),
                    });
                }
                Err(fs::TryLockError::Error(e)) => {
                    unregister(path);
                    return Err(Error::output(path, e));
                }
            }
            // The run before may have removed the file between our open and
            // our lock: then the lock guards nothing, and we try again.
            if !same_file(&file, path) {
                continue;
            }
            let now = jiff::ZonedDateTime::now().strftime("%Y-%m-%d %H:%M:%S").to_string();
            let text = format!("{now} 开始，进程号 {}", std::process::id());
            file.set_len(0).map_err(|e| Error::output(path, e))?;
            file.write_all(text.as_bytes()).map_err(|e| Error::output(path, e))?;
            return Ok(RunLock {
                path: path.to_path_buf(),
                file,
            });
        }
    }
}

/// What the run holding a lock wrote into it: when and by which process it
/// started. A run that has just taken the lock writes it a moment later.
fn holder(file: &mut fs::File) -> String {
    for _ in 0..50 {
        let mut text = String::new();
        let read = io::Seek::rewind(file).and_then(|()| file.read_to_string(&mut text));
        if read.is_ok() && !text.trim().is_empty() {
            return text.trim().to_string();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    "开始时间未知".to_string()
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Removed while still locked, so no other run can be holding it.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
        unregister(&self.path);
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// Deliberate write failures, for tests that a failed run changes nothing.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Faults {
    fail_at: Option<u64>,
    done: AtomicU64,
}

impl Faults {
    /// The `n`-th write operation of the run (from 0) fails as if the disk
    /// were full.
    pub fn fail_at(n: u64) -> Faults {
        Faults {
            fail_at: Some(n),
            done: AtomicU64::new(0),
        }
    }

    fn tick(&self) -> io::Result<()> {
        let n = self.done.fetch_add(1, Ordering::SeqCst);
        if self.fail_at == Some(n) {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        Ok(())
    }
}

/// Set once the process is interrupted; staged writes hold it for reading,
/// so the interrupt handler, taking it for writing, waits for the writes in
/// flight and no new one starts.
static GATE: RwLock<bool> = RwLock::new(false);
/// What an interrupted run leaves to remove: its lock, staging and retired folders.
static CLEANUP: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Whether a run of this process has swapped its outputs in.
static COMMITTED: AtomicBool = AtomicBool::new(false);

fn register(path: &Path) {
    CLEANUP
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(path.to_path_buf());
}

fn unregister(path: &Path) {
    let mut paths = CLEANUP.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(at) = paths.iter().rposition(|p| p == path) {
        paths.remove(at);
    }
}

/// Runs a write that creates an entry in a staging folder, unless the
/// process has been interrupted.
fn guarded<T>(f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    let gate = GATE.read().unwrap_or_else(PoisonError::into_inner);
    if *gate {
        return Err(io::Error::new(io::ErrorKind::Interrupted, INTERRUPTED));
    }
    f()
}

/// On Ctrl+C or a termination signal: removes what the runs of this process
/// have staged or locked, says so, and exits with status 1.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        let mut gate = GATE.write().unwrap_or_else(PoisonError::into_inner);
        *gate = true;
        let paths = std::mem::take(&mut *CLEANUP.lock().unwrap_or_else(PoisonError::into_inner));
        for path in paths.iter().rev() {
            if fs::remove_dir_all(path).is_err() {
                let _ = fs::remove_file(path);
            }
        }
        if COMMITTED.load(Ordering::SeqCst) {
            eprintln!("\n已中断：本次评定的结果已完整写出。");
        } else {
            eprintln!("\n已中断：本次评定未写出结果，输出目录保持上一次评定的完整结果。");
        }
        std::process::exit(1);
    });
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so
/// a crash never leaves a half-written file under the final name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_beside(path, |out| out.write_all(bytes))?.commit()
}

/// A file written next to its final name, put in place by [`Pending::commit`].
#[derive(Debug)]
pub struct Pending {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Pending {
    /// Puts the file under its final name.
    pub fn commit(self) -> io::Result<()> {
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Writes a file beside `path` under a temporary name; nothing appears under
/// `path` until the result is committed, and a dropped result leaves nothing.
pub fn write_beside(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&fs::File>) -> io::Result<()>,
) -> io::Result<Pending> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(".starsheet-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut out = BufWriter::new(tmp.as_file());
        write(&mut out)?;
        out.flush()?;
    }
    // Temporary files are private (0600); an output is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    Ok(Pending {
        tmp,
        path: path.to_path_buf(),
    })
}

/// Writes a file into a folder no one reads yet (a new sample inbox).
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    create_parent(path)?;
    fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                    out.push((rel, fs::read(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    fn run(out: &Path, files: &[(&str, &str)], faults: Faults) -> Result<(), Error> {
        let run = Transaction::begin(out, &["a.txt"], faults)?;
        for (rel, text) in files {
            run.write(Path::new(rel), text.as_bytes())?;
        }
        let mut top: Vec<String> = files
            .iter()
            .map(|(rel, _)| rel.split('/').next().unwrap().to_string())
            .collect();
        top.dedup();
        run.commit(&top)
    }

    #[test]
    fn a_run_replaces_the_whole_folder_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        run(&out, &[("a.txt", "one"), ("sub/b.txt", "two")], Faults::default()).unwrap();
        run(&out, &[("a.txt", "three")], Faults::default()).unwrap();
        let got = tree(&out);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1], ("a.txt".to_string(), b"three".to_vec()));
        assert!(String::from_utf8_lossy(&got[0].1).ends_with("以下是本次评定写出的内容：\na.txt\n"));
        let beside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(beside, ["out"]);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_run_and_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        run(&out, &[("a.txt", "one")], Faults::default()).unwrap();
        let before = tree(&out);
        for n in 0..5 {
            let e = run(&out, &[("a.txt", "two"), ("b/c.txt", "x")], Faults::fail_at(n)).unwrap_err();
            assert!(e.to_string().contains("磁盘空间不足"), "{e}");
            assert_eq!(tree(&out), before, "fault at write {n}");
            let beside: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(beside, ["out"], "fault at write {n}");
        }
    }

    #[test]
    fn a_folder_with_other_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("工作笔记.docx"), b"x").unwrap();
        let e = Transaction::begin(dir.path(), &["a.txt"], Faults::default()).unwrap_err();
        assert!(
            e.to_string()
                .contains("中有不是 starsheet 写出的文件（如「工作笔记.docx」）"),
            "{e}"
        );
        // Also after a run, for a file dropped in later.
        let out = dir.path().join("out");
        run(&out, &[("a.txt", "one")], Faults::default()).unwrap();
        fs::write(out.join("说明.txt"), b"x").unwrap();
        let e = Transaction::begin(&out, &["a.txt"], Faults::default()).unwrap_err();
        assert!(e.to_string().contains("「说明.txt」"), "{e}");
    }

    #[test]
    fn a_second_run_is_refused_while_the_first_holds_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = Transaction::begin(&out, &[], Faults::default()).unwrap();
        let e = Transaction::begin(&out, &[], Faults::default()).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("正在被另一次评定使用（"), "{text}");
        assert!(text.contains(&format!("开始，进程号 {}", std::process::id())), "{text}");
        drop(first);
        Transaction::begin(&out, &[], Faults::default()).unwrap();
    }

    #[test]
    fn leftovers_of_a_killed_run_are_tidied_and_a_retired_folder_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        // Killed between the two renames of the fallback swap.
        let kept = dir.path().join(".out.starsheet-old-abc123/out");
        fs::create_dir_all(kept.join("反馈")).unwrap();
        fs::write(kept.join("a.txt"), b"previous").unwrap();
        fs::create_dir_all(dir.path().join(".out.starsheet-new-def456/反馈")).unwrap();
        fs::write(dir.path().join(".out.starsheet-lock"), b"old").unwrap();
        let run = Transaction::begin(&out, &["a.txt", "反馈"], Faults::default()).unwrap();
        drop(run);
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"previous");
        let beside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(beside, ["out"]);
    }
}
