//! The archive of rounds (评定档案): one SQLite file holding every round's
//! results, scheme and input manifest, so later rounds can compare.
//!
//! A round is stored in one transaction: a run killed while writing leaves
//! the archive as it was. Re-running a round adds a new version and keeps
//! the earlier one; the same results stored again add nothing. A file that
//! is no archive, is damaged, or was written by a newer starsheet is refused
//! and never written to.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::directory::BranchKey;
use crate::forms::Identity;
use crate::grid::norm_label;
use crate::record::{Rated, Record};
use crate::results::{Evaluation, Stored};
use crate::round::{Period, Round};

/// `PRAGMA application_id` of an archive: "STAR".
const APPLICATION_ID: i32 = 0x5354_4152;
/// Layout version, `PRAGMA user_version`; a newer one is refused, an older
/// one brought up to date when opened.
pub const ARCHIVE_VERSION: i32 = 2;

/// What brings an archive of the version before to this one. Version 2
/// keeps each branch's former names (曾用名), joined and closed by [`FORMER`].
const UPGRADE: &str = "BEGIN; ALTER TABLE branches ADD COLUMN former TEXT; PRAGMA user_version = 2; COMMIT;";

/// Joins a branch's former names in `branches.former`, and closes the list,
/// so that one name is found with `instr`.
const FORMER: char = '、';

const SCHEMA: &str = "
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    period_order INTEGER NOT NULL,
    label TEXT NOT NULL,
    date TEXT,
    version INTEGER NOT NULL,
    current INTEGER NOT NULL,
    scheme_name TEXT NOT NULL,
    scheme_source TEXT NOT NULL,
    record_sha256 TEXT NOT NULL,
    UNIQUE (period, version)
);
CREATE TABLE records (
    round INTEGER PRIMARY KEY REFERENCES rounds (id),
    json BLOB NOT NULL
);
CREATE TABLE branches (
    round INTEGER NOT NULL REFERENCES rounds (id),
    subject TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    parent TEXT,
    parent_key TEXT NOT NULL,
    code TEXT,
    status TEXT NOT NULL,
    tier TEXT,
    total REAL,
    rank INTEGER,
    former TEXT
);
CREATE INDEX branches_round ON branches (round);
CREATE INDEX branches_name ON branches (name_key);
CREATE TABLE members (
    round INTEGER NOT NULL REFERENCES rounds (id),
    branch TEXT NOT NULL,
    parent TEXT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    status TEXT NOT NULL,
    tier TEXT,
    total REAL
);
CREATE INDEX members_round ON members (round);
CREATE INDEX members_name ON members (name_key);
";

/// Why an archive cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Not an archive, or damaged.
    #[error("评定档案 {path} 无法使用：{why}；档案未作任何改动。请换用档案的备份，或用 --archive 指定新的档案文件")]
    Unusable {
        /// The file as given.
        path: String,
        /// What is wrong.
        why: String,
    },
    /// Written by a newer starsheet.
    #[error(
        "评定档案 {path} 是更新版本的 starsheet 写出的（档案格式第 {found} 版，本程序只认到第 {ARCHIVE_VERSION} 版）；档案未作任何改动，请升级 starsheet 后再用"
    )]
    Newer {
        /// The file as given.
        path: String,
        /// Its layout version.
        found: i32,
    },
    /// Reading or writing failed.
    #[error("评定档案 {path} 读写失败：{why}；本次未写入档案，已有的各轮保持不变")]
    Io {
        /// The file as given.
        path: String,
        /// The cause.
        why: String,
    },
    /// No such round.
    #[error("评定档案中没有「{0}」这一轮")]
    NoRound(String),
}

/// One archived round, as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundInfo {
    /// The period rated.
    pub period: Period,
    /// The date given, `2026-12-01`.
    pub date: Option<String>,
    /// The version in force.
    pub version: u32,
    /// Versions stored in all.
    pub versions: u32,
    /// Branches rated and held back.
    pub branches: u32,
    /// Branches per tier, in the order the round's scheme lists them.
    pub tiers: Vec<(String, u32)>,
    /// Branches held back.
    pub pending: u32,
}

/// A branch (or party group) as an archived round holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastBranch {
    /// Name, parent and code.
    pub identity: Identity,
    /// Its tier; `None` when held back.
    pub tier: Option<String>,
    /// Its total; `None` when held back.
    pub total: Option<f64>,
}

/// A member as an archived round holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastMember {
    /// The member's branch: name and parent.
    pub branch: Identity,
    /// The member's name.
    pub name: String,
    /// Tier; `None` when held back.
    pub tier: Option<String>,
    /// Total; `None` when held back.
    pub total: Option<f64>,
}

/// An archived round: its branches, party groups and members.
#[derive(Debug, Clone, PartialEq)]
pub struct PastRound {
    /// The period rated.
    pub period: Period,
    /// Branches rated or held back, in the round's order.
    pub branches: Vec<PastBranch>,
    /// Party groups, likewise.
    pub groups: Vec<PastBranch>,
    /// Members, when asked for.
    pub members: Vec<PastMember>,
}

/// One line of a branch's or member's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLine {
    /// The round.
    pub period: Period,
    /// 支部, 党小组 or 党员 (with the member's branch).
    pub who: String,
    /// The name it had in that round.
    pub name: String,
    /// Parent organisation (a member's: the branch).
    pub parent: Option<String>,
    /// Tier name, or `None` when held back.
    pub tier: Option<String>,
    /// Total.
    pub total: Option<f64>,
    /// Rank in the round.
    pub rank: Option<u32>,
}

/// A round's results made ready for the archive: the rows it indexes and
/// its results.json compressed. Building it touches no file, so a run does
/// it while the outputs are written.
pub struct Prepared<'a> {
    record: Record<'a>,
    compressed: Vec<u8>,
    sha: String,
}

impl<'a> Prepared<'a> {
    /// Prepares `eval`; `json` writes its results.json.
    pub fn new(
        eval: &'a Evaluation,
        json: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<Prepared<'a>> {
        let record = Record::of(eval);
        // Buffered: the JSON comes in many small writes, each costly to compress on its own.
        let mut encoder = std::io::BufWriter::with_capacity(1 << 16, ZlibEncoder::new(Vec::new(), Compression::fast()));
        json(&mut encoder)?;
        let compressed = encoder
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .finish()?;
        let sha = hex(&Sha256::digest(&compressed));
        Ok(Prepared {
            record,
            compressed,
            sha,
        })
    }
}

/// An open archive.
pub struct Archive {
    conn: Connection,
    path: String,
}

impl Archive {
    /// Opens an archive to read; it must exist.
    pub fn open(path: &Path) -> Result<Archive, ArchiveError> {
        let shown = path.display().to_string();
        if !path.is_file() {
            return Err(ArchiveError::Unusable {
                path: shown,
                why: "文件不存在".into(),
            });
        }
        // Read-write, never created: a run killed while storing left a
        // journal that the next opening must roll back.
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| unusable(&shown, &e))?;
        let archive = Archive { conn, path: shown };
        archive.check(false)?;
        Ok(archive)
    }

    /// Opens an archive to add a round, making it if the file does not exist.
    pub fn open_for_writing(path: &Path) -> Result<Archive, ArchiveError> {
        let shown = path.display().to_string();
        let existed = path.exists();
        let conn = Connection::open(path).map_err(|e| unusable(&shown, &e))?;
        let archive = Archive { conn, path: shown };
        archive.check(!existed)?;
        Ok(archive)
    }

    /// Checks the file is an archive this program reads, intact; a new,
    /// empty file is made one.
    fn check(&self, new: bool) -> Result<(), ArchiveError> {
        let pragma = |name: &str| -> Result<i32, ArchiveError> {
            self.conn
                .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .map_err(|e| unusable(&self.path, &e))
        };
        let id = pragma("application_id")?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| unusable(&self.path, &e))?;
        if new && id == 0 && tables == 0 {
            let init = format!(
                "BEGIN; {SCHEMA} PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {ARCHIVE_VERSION}; COMMIT;"
            );
            return self.conn.execute_batch(&init).map_err(|e| self.io(&e));
        }
        if id != APPLICATION_ID {
            return Err(ArchiveError::Unusable {
                path: self.path.clone(),
                why: "这不是 starsheet 的评定档案".into(),
            });
        }
        let version = pragma("user_version")?;
        if version > ARCHIVE_VERSION {
            return Err(ArchiveError::Newer {
                path: self.path.clone(),
                found: version,
            });
        }
        if version == 1 {
            self.conn.execute_batch(UPGRADE).map_err(|e| self.io(&e))?;
        }
        // The tables a run reads and writes are checked whole; the results
        // themselves (most of the file) are checked against their SHA-256
        // when read, so opening stays quick however many rounds it holds.
        for table in ["rounds", "branches"] {
            let verdict: String = self
                .conn
                .query_row(&format!("PRAGMA quick_check({table})"), [], |r| r.get(0))
                .map_err(|e| unusable(&self.path, &e))?;
            if verdict != "ok" {
                return Err(ArchiveError::Unusable {
                    path: self.path.clone(),
                    why: format!("档案已损坏（{verdict}）"),
                });
            }
        }
        Ok(())
    }

    fn io(&self, e: &rusqlite::Error) -> ArchiveError {
        ArchiveError::Io {
            path: self.path.clone(),
            why: e.to_string(),
        }
    }

    /// Stores an evaluated round, in one transaction; `json` writes its
    /// results.json, kept compressed.
    pub fn store(
        &mut self,
        eval: &Evaluation,
        round: Round,
        json: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<Stored, ArchiveError> {
        self.store_prepared(eval, round, Prepared::new(eval, json))
    }

    /// Stores a round whose results were prepared beforehand (see
    /// [`Prepared`]), in one transaction.
    pub fn store_prepared(
        &mut self,
        eval: &Evaluation,
        round: Round,
        prepared: std::io::Result<Prepared<'_>>,
    ) -> Result<Stored, ArchiveError> {
        let Prepared {
            record,
            compressed,
            sha,
        } = prepared.map_err(|e| ArchiveError::Io {
            path: self.path.clone(),
            why: e.to_string(),
        })?;
        let period = round.period.code();
        let path = self.path.clone();
        let io = |e: rusqlite::Error| ArchiveError::Io {
            path: path.clone(),
            why: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(io)?;
        let current: Option<(i64, u32, String)> = tx
            .query_row(
                "SELECT id, version, record_sha256 FROM rounds WHERE period = ?1 AND current = 1",
                [&period],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(io)?;
        if current.as_ref().is_some_and(|c| c.2 == sha) {
            return Ok(Stored::Unchanged);
        }
        let latest: u32 = tx
            .query_row(
                "SELECT coalesce(max(version), 0) FROM rounds WHERE period = ?1",
                [&period],
                |r| r.get(0),
            )
            .map_err(io)?;
        tx.execute("UPDATE rounds SET current = 0 WHERE period = ?1", [&period])
            .map_err(io)?;
        let scheme = &eval.schemes.branch;
        tx.execute(
            "INSERT INTO rounds (period, period_order, label, date, version, current, scheme_name, scheme_source, record_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8)",
            params![
                period,
                round.period.order(),
                round.period.to_string(),
                round.date.map(|d| d.iso()),
                latest + 1,
                scheme.name,
                scheme.source,
                sha
            ],
        )
        .map_err(io)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO records (round, json) VALUES (?1, ?2)",
            params![id, compressed],
        )
        .map_err(io)?;
        {
            let mut branch = tx
                .prepare(
                    "INSERT INTO branches (round, subject, name, name_key, parent, parent_key, code, status, tier, total, rank, former)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .map_err(io)?;
            let rows = record
                .branches
                .iter()
                .map(|r| ("branch", r))
                .chain(record.groups.iter().map(|r| ("group", r)));
            let former = eval.collection.as_ref().map(|c| &c.former);
            for (subject, r) in rows {
                let id_ = &r.identity;
                let former = former.and_then(|f| f.get(&BranchKey::of(id_))).map(|names| {
                    let keys: String = names.iter().map(|n| format!("{}{FORMER}", norm_label(n))).collect();
                    format!("{FORMER}{keys}")
                });
                branch
                    .execute(params![
                        id,
                        subject,
                        id_.name,
                        id_.name_key(),
                        id_.parent,
                        id_.parent_key().unwrap_or_default(),
                        id_.code,
                        status(r),
                        r.tier.as_deref(),
                        r.total,
                        r.rank,
                        former
                    ])
                    .map_err(io)?;
            }
            let mut member = tx
                .prepare(
                    "INSERT INTO members (round, branch, parent, name, name_key, status, tier, total)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(io)?;
            for m in &record.members {
                member
                    .execute(params![
                        id,
                        m.branch.as_ref(),
                        m.branch_parent.as_deref(),
                        m.name.as_ref(),
                        norm_label(&m.name),
                        if m.tier.is_some() { "rated" } else { "pending" },
                        m.tier.as_deref(),
                        m.total
                    ])
                    .map_err(io)?;
            }
        }
        tx.commit().map_err(io)?;
        Ok(match current {
            None => Stored::New,
            Some(_) => Stored::Replaced { version: latest + 1 },
        })
    }

    /// The rounds in force, oldest first.
    pub fn rounds(&self) -> Result<Vec<RoundInfo>, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.period, r.date, r.version, (SELECT count(*) FROM rounds o WHERE o.period = r.period)
                 FROM rounds r WHERE r.current = 1 ORDER BY r.period_order",
            )
            .map_err(|e| self.io(&e))?;
        let rows: Vec<(i64, String, Option<String>, u32, u32)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .and_then(Iterator::collect)
            .map_err(|e| self.io(&e))?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, period, date, version, versions) in rows {
            let Ok(period) = Period::parse(&period) else { continue };
            let mut counts = self
                .conn
                .prepare(
                    "SELECT tier, count(*), min(rowid) FROM branches WHERE round = ?1 AND subject = 'branch'
                     GROUP BY tier ORDER BY min(rowid)",
                )
                .map_err(|e| self.io(&e))?;
            let tiers: Vec<(Option<String>, u32)> = counts
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(Iterator::collect)
                .map_err(|e| self.io(&e))?;
            let pending = tiers.iter().filter(|t| t.0.is_none()).map(|t| t.1).sum();
            out.push(RoundInfo {
                period,
                date,
                version,
                versions,
                branches: tiers.iter().map(|t| t.1).sum(),
                tiers: tiers.into_iter().filter_map(|(t, n)| t.map(|t| (t, n))).collect(),
                pending,
            });
        }
        Ok(out)
    }

    /// Every archived line of the branches, party groups or members of
    /// that name, in round order; a branch's lines under its former names
    /// (曾用名) too, and under its later names when a former one is given.
    pub fn history(&self, name: &str) -> Result<Vec<HistoryLine>, ArchiveError> {
        let key = norm_label(name);
        let io = |e: rusqlite::Error| self.io(&e);
        let mut keys = vec![key.clone()];
        let mut stmt = self
            .conn
            .prepare(
                "SELECT former FROM branches WHERE name_key = ?1 AND former IS NOT NULL
                 UNION SELECT name_key FROM branches WHERE instr(former, ?2) > 0",
            )
            .map_err(io)?;
        let linked: Vec<String> = stmt
            .query_map(params![key, format!("{FORMER}{key}{FORMER}")], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(io)?;
        for k in linked.iter().flat_map(|l| l.split(FORMER)).filter(|k| !k.is_empty()) {
            if !keys.iter().any(|known| known == k) {
                keys.push(k.to_string());
            }
        }
        let mut branches = self
            .conn
            .prepare(
                "SELECT r.period, CASE b.subject WHEN 'group' THEN '党小组' ELSE '支部' END, b.name, b.parent, b.tier, b.total, b.rank, r.period_order
                 FROM branches b JOIN rounds r ON r.id = b.round
                 WHERE r.current = 1 AND b.name_key = ?1",
            )
            .map_err(io)?;
        let mut members = self
            .conn
            .prepare(
                "SELECT r.period, '党员（' || m.branch || '）', m.name, m.parent, m.tier, m.total, NULL, r.period_order
                 FROM members m JOIN rounds r ON r.id = m.round
                 WHERE r.current = 1 AND m.name_key = ?1",
            )
            .map_err(io)?;
        let line = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, Option<HistoryLine>)> {
            let period: String = r.get(0)?;
            let line = match Period::parse(&period) {
                Ok(period) => Some(HistoryLine {
                    period,
                    who: r.get(1)?,
                    name: r.get(2)?,
                    parent: r.get(3)?,
                    tier: r.get(4)?,
                    total: r.get(5)?,
                    rank: r.get(6)?,
                }),
                Err(_) => None,
            };
            Ok((r.get(7)?, line))
        };
        let mut lines: Vec<(i64, Option<HistoryLine>)> = Vec::new();
        for k in &keys {
            lines.extend(
                branches
                    .query_map([k], line)
                    .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                    .map_err(io)?,
            );
        }
        lines.extend(
            members
                .query_map([&key], line)
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(io)?,
        );
        // Stable: within a round, branches before members as before.
        lines.sort_by_key(|(order, _)| *order);
        Ok(lines.into_iter().filter_map(|(_, l)| l).collect())
    }

    /// The results.json of a round: the version in force, or the one given.
    pub fn export(&self, period: Period, version: Option<u32>) -> Result<Vec<u8>, ArchiveError> {
        let code = period.code();
        let select = "SELECT records.json, rounds.record_sha256 FROM rounds JOIN records ON records.round = rounds.id";
        let found: Option<(Vec<u8>, String)> = match version {
            Some(v) => self.conn.query_row(
                &format!("{select} WHERE period = ?1 AND version = ?2"),
                params![code, v],
                |r| Ok((r.get(0)?, r.get(1)?)),
            ),
            None => self
                .conn
                .query_row(&format!("{select} WHERE period = ?1 AND current = 1"), [&code], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                }),
        }
        .optional()
        .map_err(|e| unusable(&self.path, &e))?;
        let (blob, sha) = found.ok_or_else(|| {
            ArchiveError::NoRound(match version {
                Some(v) => format!("{period} 第 {v} 版"),
                None => period.to_string(),
            })
        })?;
        if hex(&Sha256::digest(&blob)) != sha {
            return Err(ArchiveError::Unusable {
                path: self.path.clone(),
                why: format!("{period}的结果已损坏（校验值不符）"),
            });
        }
        let mut json = Vec::new();
        ZlibDecoder::new(blob.as_slice())
            .read_to_end(&mut json)
            .map_err(|e| ArchiveError::Unusable {
                path: self.path.clone(),
                why: format!("{period}的结果无法解压（{e}）"),
            })?;
        Ok(json)
    }

    /// The latest round in force of the same length before `period` (the
    /// year before a year, the quarter before a quarter), with its branches.
    pub fn previous(&self, period: Period) -> Result<Option<(Period, Vec<PastBranch>)>, ArchiveError> {
        let earlier = self.earlier(period)?;
        let Some((id, before)) = earlier.into_iter().rev().find(|(_, p)| p.same_length(period)) else {
            return Ok(None);
        };
        Ok(Some((before, self.branches_of(id, "branch")?)))
    }

    /// The rounds in force before `period` from the start of the year
    /// before it, oldest first: what 历次星级 shows and the rules over two
    /// years read. Members, when `members` is set, only of the rounds
    /// ending within the twelve months before: all the member rules read.
    pub fn window(&self, period: Period, members: bool) -> Result<Vec<PastRound>, ArchiveError> {
        let from = period.year().saturating_sub(1);
        let mut out = Vec::new();
        for (id, p) in self.earlier(period)? {
            if p.year() < from {
                continue;
            }
            let recent = p.end_month() + 12 >= period.end_month();
            let members = if members && recent {
                self.members_of(id)?
            } else {
                Vec::new()
            };
            out.push(PastRound {
                period: p,
                branches: self.branches_of(id, "branch")?,
                groups: self.branches_of(id, "group")?,
                members,
            });
        }
        Ok(out)
    }

    /// The rounds in force before `period` (another period: a round being
    /// re-run is never compared with its own earlier version), oldest first.
    fn earlier(&self, period: Period) -> Result<Vec<(i64, Period)>, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, period FROM rounds WHERE current = 1 AND period_order < ?1 ORDER BY period_order")
            .map_err(|e| self.io(&e))?;
        let rows: Vec<(i64, String)> = stmt
            .query_map([period.order()], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(|e| self.io(&e))?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, code)| Period::parse(&code).ok().map(|p| (id, p)))
            .collect())
    }

    /// The branches (`subject` "branch") or party groups ("group") of a round.
    fn branches_of(&self, round: i64, subject: &str) -> Result<Vec<PastBranch>, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT name, parent, code, tier, total FROM branches WHERE round = ?1 AND subject = ?2 ORDER BY rowid",
            )
            .map_err(|e| self.io(&e))?;
        stmt.query_map(params![round, subject], |r| {
            Ok(PastBranch {
                identity: Identity {
                    name: r.get(0)?,
                    parent: r.get(1)?,
                    code: r.get(2)?,
                },
                tier: r.get(3)?,
                total: r.get(4)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|e| self.io(&e))
    }

    /// The members of a round.
    fn members_of(&self, round: i64) -> Result<Vec<PastMember>, ArchiveError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT branch, parent, name, tier, total FROM members WHERE round = ?1 ORDER BY rowid")
            .map_err(|e| self.io(&e))?;
        stmt.query_map([round], |r| {
            Ok(PastMember {
                branch: Identity {
                    name: r.get(0)?,
                    parent: r.get(1)?,
                    code: None,
                },
                name: r.get(2)?,
                tier: r.get(3)?,
                total: r.get(4)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|e| self.io(&e))
    }

    /// The path as given, for messages.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.path)
    }
}

fn status(r: &Rated) -> &'static str {
    match r.status {
        crate::results::Status::Rated => "rated",
        crate::results::Status::Pending => "pending",
    }
}

fn unusable(path: &str, e: &rusqlite::Error) -> ArchiveError {
    let why = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => "这不是 starsheet 的评定档案（不是 SQLite 数据库）".to_string(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => "档案已损坏".to_string(),
        _ => e.to_string(),
    };
    ArchiveError::Unusable {
        path: path.to_string(),
        why,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` to a new file, never over an existing one.
pub fn write_export(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
