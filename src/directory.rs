//! The branch directory: which branch a file names, by code first, then by
//! parent organisation and name, then by a name that is unique.
//!
//! Ballots and rosters find their branch's scoring form through it; a
//! register of the branches expected, or an earlier round's results, match
//! branches the same way.

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::BTreeMap;

use crate::forms::Identity;

/// A branch as matching sees it: parent and name, normalised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BranchKey {
    /// Parent organisation, normalised; empty when not given.
    pub parent: String,
    /// Name, normalised.
    pub name: String,
}

impl BranchKey {
    /// The key of an identity.
    pub fn of(id: &Identity) -> BranchKey {
        BranchKey {
            parent: id.parent_key().unwrap_or_default(),
            name: id.name_key(),
        }
    }
}

/// Where an identity leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// This branch.
    Found(BranchKey),
    /// Several branches of that name under different parents: their parents,
    /// as written (`None` where one gave none).
    Ambiguous(Vec<Option<String>>),
    /// No branch of that name.
    Missing,
}

/// The branches known, findable by code and by name.
#[derive(Debug, Default)]
pub struct Directory {
    known: BTreeMap<BranchKey, Identity>,
    by_name: BTreeMap<String, Vec<BranchKey>>,
    by_code: BTreeMap<String, BranchKey>,
}

impl Directory {
    /// A directory of these branches; on a repeated key or code the first
    /// entry is kept.
    pub fn new<'a>(identities: impl IntoIterator<Item = &'a Identity>) -> Directory {
        let mut directory = Directory::default();
        for id in identities {
            directory.insert(id);
        }
        directory
    }

    /// Adds a branch, unless its key is known; returns its key.
    pub fn insert(&mut self, id: &Identity) -> BranchKey {
        let key = BranchKey::of(id);
        if self.known.contains_key(&key) {
            return key;
        }
        self.by_name.entry(key.name.clone()).or_default().push(key.clone());
        if let Some(code) = &id.code {
            self.by_code.entry(code.clone()).or_insert_with(|| key.clone());
        }
        self.known.insert(key.clone(), id.clone());
        key
    }

    /// The branch as it was entered.
    pub fn get(&self, key: &BranchKey) -> Option<&Identity> {
        self.known.get(key)
    }

    /// Finds the branch an identity names: by code; by parent and name; by
    /// the name alone when it is unique (the parents may then disagree, or
    /// one be blank: the caller reports that).
    pub fn find(&self, id: &Identity) -> Match {
        if let Some(key) = id.code.as_ref().and_then(|code| self.by_code.get(code)) {
            return Match::Found(key.clone());
        }
        let key = BranchKey::of(id);
        if id.parent.is_some() && self.known.contains_key(&key) {
            return Match::Found(key);
        }
        match self.by_name.get(&key.name).map(Vec::as_slice).unwrap_or_default() {
            [] => Match::Missing,
            [one] => Match::Found(one.clone()),
            many => Match::Ambiguous(
                many.iter()
                    .map(|k| self.known.get(k).and_then(|id| id.parent.clone()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str, parent: Option<&str>, code: Option<&str>) -> Identity {
        Identity {
            name: name.into(),
            parent: parent.map(Into::into),
            code: code.map(Into::into),
        }
    }

    #[test]
    fn code_first_then_parent_and_name_then_a_unique_name() {
        let directory = Directory::new(&[
            id("第一党支部", Some("甲党委"), Some("A01")),
            id("第一党支部", Some("乙党委"), None),
            id("第二党支部", Some("甲党委"), None),
        ]);
        let first_jia = BranchKey::of(&id("第一党支部", Some("甲党委"), None));
        // A code wins over a name and parent that say otherwise.
        assert_eq!(
            directory.find(&id("别名", Some("乙党委"), Some("A01"))),
            Match::Found(first_jia.clone())
        );
        // Parent and name; full-width and spacing do not matter.
        assert_eq!(
            directory.find(&id(" 第一党支部 ", Some("甲党委"), None)),
            Match::Found(first_jia)
        );
        // A unique name finds its branch whatever the parent says.
        assert_eq!(
            directory.find(&id("第二党支部", Some("丙党委"), None)),
            Match::Found(BranchKey::of(&id("第二党支部", Some("甲党委"), None)))
        );
        // A shared name without a matching parent is ambiguous.
        assert_eq!(
            directory.find(&id("第一党支部", None, None)),
            Match::Ambiguous(vec![Some("甲党委".into()), Some("乙党委".into())])
        );
        assert_eq!(directory.find(&id("第三党支部", None, None)), Match::Missing);
    }
}
