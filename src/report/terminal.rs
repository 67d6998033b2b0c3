//! The terminal report: the problem list and a short Chinese summary.
//!
//! The terminal is the officer's own screen, so ballot problems show their
//! exact location here; written outputs show them redacted.

use std::fmt::Write;
use std::path::PathBuf;

use crate::forms::FormKind;
use crate::issue::{Issue, Severity};
use crate::read::count_by_severity;
use crate::results::Evaluation;
use crate::results::{Change, ListedRule, QuotaOutcome, Status};

/// Issues at `min` severity or worse, one per line, at most `limit`.
pub fn issue_list(issues: &[Issue], min: Severity, limit: Option<usize>) -> String {
    let shown: Vec<&Issue> = issues.iter().filter(|i| i.severity <= min).collect();
    let limit = limit.unwrap_or(usize::MAX);
    let mut out = String::new();
    for issue in shown.iter().take(limit) {
        let _ = writeln!(out, "{issue}");
    }
    if shown.len() > limit {
        let _ = writeln!(out, "……另有 {} 条，详见“问题清单”", shown.len() - limit);
    }
    let below = issues.iter().filter(|i| i.severity > min).count();
    if below > 0 {
        let kinds = if min == Severity::Error {
            "警告和提示"
        } else {
            "提示"
        };
        let _ = writeln!(
            out,
            "另有{kinds} {below} 条未在此列出（见“问题清单”，或用 starsheet check 查看全部）"
        );
    }
    out
}

/// The end-of-run summary: files, branches per tier, problems, outputs.
pub fn summary(eval: &Evaluation, written: &[PathBuf], feedback: &[PathBuf]) -> String {
    let mut out = String::new();
    let count_kind = |k: FormKind| eval.files.iter().flat_map(|f| &f.forms).filter(|f| **f == k).count();
    let _ = writeln!(out, "评星方案：{}", eval.schemes.branch.title);
    if let Some(round) = eval.round {
        let date = round.date.map(|d| format!("（{d}）")).unwrap_or_default();
        let _ = writeln!(out, "评定轮次：{}{date}", round.period);
    }
    let kinds = [
        FormKind::Scoring,
        FormKind::Register,
        FormKind::Ballot,
        FormKind::Roster,
        FormKind::Group,
        FormKind::Tally,
    ];
    let found: Vec<String> = kinds
        .iter()
        .map(|&k| (k, count_kind(k)))
        .filter(|&(k, n)| n > 0 || matches!(k, FormKind::Scoring | FormKind::Register | FormKind::Ballot))
        .map(|(k, n)| format!("{} {n} 份", k.label()))
        .collect();
    let _ = writeln!(
        out,
        "读取文件 {} 个，跳过 {} 个；识别{}",
        eval.files.len(),
        eval.skipped.len(),
        found.join("、")
    );
    let rated: Vec<_> = eval.branches.iter().filter(|b| b.status == Status::Rated).collect();
    let pending = eval.branches.len() - rated.len();
    let per_tier: Vec<String> = eval
        .schemes
        .branch
        .tiers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "{} {}",
                t.name,
                rated.iter().filter(|b| b.tier.is_some_and(|id| id.0 == i)).count()
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "评定支部 {} 个：{}；待核实 {} 个",
        rated.len(),
        per_tier.join(" · "),
        pending
    );
    if let Some(c) = &eval.collection {
        let missing: Vec<String> = c
            .missing_counts()
            .iter()
            .map(|(kind, n)| format!("{} {n} 个", crate::results::missing_label(*kind)))
            .collect();
        let rated = if c.not_rated > 0 {
            format!("（其中 {} 个按方案不评支部星级）", c.not_rated)
        } else {
            String::new()
        };
        let status = if missing.is_empty() {
            "各支部都已提交".to_string()
        } else {
            let see = if written.is_empty() {
                ""
            } else {
                "（名单见汇总排名的“未提交”工作表）"
            };
            format!(
                "{} 个支部未提交齐全：缺{}{see}",
                c.unsubmitted.len(),
                missing.join("、")
            )
        };
        let _ = writeln!(out, "支部名册：登记 {} 个支部{rated}；{status}", c.registered);
        // Nothing written (check): the list itself, to phone round.
        if written.is_empty() {
            const SHOWN: usize = 30;
            for u in c.unsubmitted.iter().take(SHOWN) {
                let what: Vec<&str> = u.missing.iter().map(|k| crate::results::missing_label(*k)).collect();
                let note = u.note.as_deref().map(|n| format!("（{n}）")).unwrap_or_default();
                let parent = u.identity.parent.as_deref().unwrap_or("（未填写）");
                let _ = writeln!(out, "  {parent}　{}：{}{note}", u.identity.name, what.join("、"));
            }
            if c.unsubmitted.len() > SHOWN {
                let _ = writeln!(out, "  ……另有 {} 个支部", c.unsubmitted.len() - SHOWN);
            }
        }
    }
    if let Some(c) = &eval.comparison {
        let count = |change: Change| {
            eval.branches
                .iter()
                .filter(|b| b.previous.as_ref().is_some_and(|p| p.change == change))
                .count()
        };
        let see = if written.is_empty() {
            ""
        } else {
            "（名单见汇总排名的“增星摘星”工作表）"
        };
        let _ = writeln!(
            out,
            "与{}相比：升星 {} 个，降星 {} 个，保持 {} 个，新参评 {} 个，本轮未参评 {} 个{see}",
            c.round,
            count(Change::Up),
            count(Change::Down),
            count(Change::Same),
            count(Change::New),
            c.absent.len()
        );
    }
    // Quotas that changed or questioned a tier: one line each.
    for d in &eval.quotas {
        let scheme = eval.schemes.for_subject(d.subject);
        let count = |f: fn(&QuotaOutcome) -> bool| d.entries.iter().filter(|e| f(&e.outcome)).count();
        let moved = count(|o| matches!(o, QuotaOutcome::Moved(_)));
        let tied = count(|o| *o == QuotaOutcome::Tie);
        let over = count(|o| *o == QuotaOutcome::Over);
        if moved + tied + over == 0 {
            continue;
        }
        let scope = d.scope.as_deref().map_or(String::new(), |p| format!("（{p}）"));
        let mut parts = Vec::new();
        for (n, what) in [
            (moved, "按排名降一档"),
            (tied, "同分待评审会议决定"),
            (over, "超出（只作提示）"),
        ] {
            if n > 0 {
                parts.push(format!("{what} {n} 个"));
            }
        }
        let _ = writeln!(
            out,
            "名额{scope}：{}名额 {} 个，达到 {} 个，{}（见汇总排名的“名额”工作表）",
            scheme.tier(d.tier).name,
            d.allowed,
            d.entries.len(),
            parts.join("，")
        );
    }
    let tally = |scheme: &crate::scheme::Scheme, results: &mut dyn Iterator<Item = &crate::results::Assessment>| {
        let mut counts = vec![0; scheme.tiers.len()];
        let mut pending = 0;
        for r in results {
            match r.tier.filter(|_| r.status == Status::Rated) {
                Some(t) => counts[t.0] += 1,
                None => pending += 1,
            }
        }
        let per: Vec<String> = scheme
            .tiers
            .iter()
            .zip(&counts)
            .map(|(t, n)| format!("{} {n}", t.name))
            .collect();
        (counts.iter().sum::<usize>(), per.join(" · "), pending)
    };
    if !eval.groups.is_empty() {
        let (rated, per, pending) = tally(&eval.schemes.group, &mut eval.groups.iter());
        let _ = writeln!(out, "评定党小组 {rated} 个：{per}；待核实 {pending} 个");
    }
    if !eval.members.is_empty() {
        let (rated, per, pending) = tally(&eval.schemes.member, &mut eval.members.iter().map(|m| &m.assessment));
        let mentees = eval.members.iter().filter(|m| m.mentee).count();
        let unassigned = eval.members.iter().filter(|m| m.mentee && m.mentor.is_none()).count();
        let _ = writeln!(
            out,
            "评定党员 {rated} 名：{per}；待核实 {pending} 名；需帮扶 {mentees} 名（其中需上级指派 {unassigned} 名）"
        );
    }
    if !eval.resemblances.is_empty() {
        if written.is_empty() {
            // Nothing written (check): the list itself.
            let _ = writeln!(
                out,
                "疑似雷同 {} 处（仅供核查，不作为否决依据）：",
                eval.resemblances.len()
            );
            const SHOWN: usize = 30;
            for r in eval.resemblances.iter().take(SHOWN) {
                let sheets: Vec<String> = r
                    .sheets
                    .iter()
                    .map(|s| format!("{} › {}", s.source.file, s.source.sheet))
                    .collect();
                let _ = writeln!(out, "  {}：{}；{}", r.label(), r.describe(), sheets.join("、"));
            }
            if eval.resemblances.len() > SHOWN {
                let _ = writeln!(out, "  ……另有 {} 处", eval.resemblances.len() - SHOWN);
            }
        } else {
            let _ = writeln!(
                out,
                "疑似雷同 {} 处，见{}「{}」（仅供核查，不作为否决依据）",
                eval.resemblances.len(),
                crate::report::SUMMARY_FILE,
                crate::report::summary::SIMILAR_SHEET
            );
        }
    }
    let (errors, warnings, notes) = count_by_severity(&eval.issues);
    // What the rules over rounds list: counts here, names in the workbooks.
    if let Some(h) = &eval.history {
        let mut groups: Vec<(&str, usize)> = Vec::new();
        for g in &h.groups {
            let label = match &g.rule {
                ListedRule::Best { label, .. } => label.as_str(),
                ListedRule::Review { advice, .. } => advice.as_str(),
                ListedRule::Unimproved { .. } => continue,
            };
            match groups.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => groups.push((label, 1)),
            }
        }
        if !groups.is_empty() {
            let parts: Vec<String> = groups.iter().map(|(l, n)| format!("{l} {n} 个")).collect();
            let _ = writeln!(
                out,
                "党小组评议：{}（见汇总排名的“党小组评议”工作表）",
                parts.join("，")
            );
        }
        if let Some(rule) = eval
            .schemes
            .member
            .rounds
            .unimproved
            .as_ref()
            .filter(|_| !h.members.is_empty())
        {
            let _ = writeln!(
                out,
                "评为{tier}已满 {} 个月、其后仍为{tier}的党员 {} 名（见党员星级汇总的“连续{tier}”工作表）",
                rule.months,
                h.members.len(),
                tier = rule.tier
            );
        }
    }
    let _ = writeln!(out, "问题：错误 {errors} 条，警告 {warnings} 条，提示 {notes} 条");
    for (i, path) in written.iter().enumerate() {
        let _ = writeln!(out, "{}{}", if i == 0 { "输出：" } else { "      " }, path.display());
    }
    if let Some(folder) = feedback.first().and_then(|p| p.parent()).and_then(|p| p.parent()) {
        let _ = writeln!(out, "      {}（各支部反馈 {} 份）", folder.display(), feedback.len());
    }
    out
}

/// `history`: one line per archived round.
pub fn rounds(rounds: &[crate::archive::RoundInfo]) -> String {
    if rounds.is_empty() {
        return "评定档案中还没有任何一轮\n".to_string();
    }
    let mut out = String::new();
    for r in rounds {
        let date = r.date.as_deref().map(|d| format!("（{d}）")).unwrap_or_default();
        let versions = if r.versions > 1 {
            format!("第 {} 版，共 {} 版", r.version, r.versions)
        } else {
            "第 1 版".to_string()
        };
        let tiers: Vec<String> = r.tiers.iter().map(|(t, n)| format!("{t} {n}")).collect();
        let _ = writeln!(
            out,
            "{}{date}　{versions}　支部 {} 个：{}；待核实 {} 个",
            r.period,
            r.branches,
            tiers.join(" · "),
            r.pending
        );
    }
    out
}

/// `history 名称`: the tiers of a branch, party group or member over the rounds.
pub fn history(name: &str, lines: &[crate::archive::HistoryLine]) -> String {
    if lines.is_empty() {
        return format!("评定档案中没有「{name}」\n");
    }
    let mut out = format!("「{name}」历次评定：\n");
    for l in lines {
        let parent = l.parent.as_deref().unwrap_or("（未填写）");
        let tier = l.tier.as_deref().unwrap_or("待核实");
        let total = l
            .total
            .map(|t| format!("　{} 分", crate::points::fmt_points(t)))
            .unwrap_or_default();
        let rank = l.rank.map(|r| format!("　第 {r} 名")).unwrap_or_default();
        // A line under another name: the branch before or after a renaming.
        let named = if crate::grid::norm_label(&l.name) == crate::grid::norm_label(name) {
            String::new()
        } else {
            format!("（时名「{}」）", l.name)
        };
        let _ = writeln!(out, "  {}　{}{named}　{parent}　{tier}{total}{rank}", l.period, l.who);
    }
    out
}
