//! The configuration model: a [`Config`] is its contexts, each the path
//! of node lines that leads to it (its [`Key`]) and the lines typed in it
//! (its [`Context`]), flattened the way frr-reload.py keeps them. Built by
//! [`crate::config::parse`]; compared by [`crate::diff`](mod@crate::diff).

use std::collections::HashMap;
use std::fmt;

use indexmap::{IndexMap, IndexSet};
use rustc_hash::FxBuildHasher;

use crate::config::grammar::Kind;

/// Path of node lines identifying a context, outermost first. It derefs
/// to `[String]`, and looks up, hashes, compares and prints like one.
///
/// Most contexts of a large configuration are top-level single lines:
/// those keep their one line without a vector around it (one allocation
/// and one indirection less per context).
#[derive(Clone)]
pub enum Key {
    /// A path of one line.
    Line(String),
    /// A path of any other length (boxed: the key takes 24 bytes, not 32).
    Path(Box<[String]>),
}

impl Key {
    /// The path as a slice.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Key::Line(line) => std::slice::from_ref(line),
            Key::Path(path) => path,
        }
    }
}

impl From<Vec<String>> for Key {
    fn from(mut path: Vec<String>) -> Key {
        match path.pop() {
            Some(line) if path.is_empty() => Key::Line(line),
            Some(line) => {
                path.push(line);
                Key::Path(path.into())
            }
            None => Key::Path(path.into()),
        }
    }
}

impl From<&[String]> for Key {
    fn from(path: &[String]) -> Key {
        match path {
            [line] => Key::Line(line.clone()),
            path => Key::Path(path.into()),
        }
    }
}

impl std::ops::Deref for Key {
    type Target = [String];

    fn deref(&self) -> &[String] {
        self.as_slice()
    }
}

impl std::borrow::Borrow<[String]> for Key {
    fn borrow(&self) -> &[String] {
        self.as_slice()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Key {}

/// The hash of the slice, so that maps keyed by `Key` can be searched
/// with a `&[String]`.
impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

/// The lines of one context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Kind of the innermost node.
    pub kind: Kind,
    /// Lines in first-seen order, without duplicates.
    pub lines: Lines,
    /// 1-based line number where the context first appeared (32 bits keep
    /// the context at 16 bytes).
    pub line_no: u32,
}

/// The lines of a context: an [`IndexSet`] to read and write, allocated
/// on the first insert. Most contexts of a large configuration are
/// top-level single lines with no lines of their own: for those it takes
/// one word instead of an empty set's seven. With the boxed [`Key::Path`],
/// the 32-bit line number and the openers kept apart, an entry of
/// [`Config::contexts`] takes 48 bytes instead of 120: fewer pages for a
/// fresh process to fault in.
#[derive(Clone, Default)]
pub struct Lines(Option<Box<LineSet>>);

/// The set inside [`Lines`].
pub type LineSet = IndexSet<String, FxBuildHasher>;

static NO_LINES: LineSet = IndexSet::with_hasher(FxBuildHasher);

impl std::ops::Deref for Lines {
    type Target = LineSet;

    fn deref(&self) -> &LineSet {
        self.0.as_deref().unwrap_or(&NO_LINES)
    }
}

impl std::ops::DerefMut for Lines {
    fn deref_mut(&mut self) -> &mut LineSet {
        self.0.get_or_insert_default()
    }
}

impl PartialEq for Lines {
    fn eq(&self, other: &Lines) -> bool {
        **self == **other
    }
}

impl Eq for Lines {}

impl IntoIterator for Lines {
    type Item = String;
    type IntoIter = indexmap::set::IntoIter<String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.map(|set| *set).unwrap_or_default().into_iter()
    }
}

impl fmt::Debug for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<'a> IntoIterator for &'a Lines {
    type Item = &'a String;
    type IntoIter = indexmap::set::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl FromIterator<String> for Lines {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Lines {
        let set: LineSet = iter.into_iter().collect();
        Lines((!set.is_empty()).then(|| Box::new(set)))
    }
}

/// A parsed and normalized configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Contexts in first-seen order.
    pub contexts: IndexMap<Key, Context, FxBuildHasher>,
    /// The opening line as written of the contexts whose opening line
    /// says more than the key FRR prints: `interface X vrf Y` creates X in
    /// VRF Y, but prints as `interface X`. Used to create the context.
    /// (Kept apart from [`Context`]: few contexts have one.)
    pub openers: HashMap<Key, Box<str>, FxBuildHasher>,
    /// Number of input lines.
    pub input_lines: usize,
    /// The VRFs the text names where pimd hears it: opened as a `vrf NAME`
    /// block (vtysh sends the opener to pimd too) or as `router pim vrf
    /// NAME`. A flat `ip route … vrf NAME` reaches staticd alone. pimd 10
    /// makes an instance for each VRF it hears of, and prints `router pim
    /// vrf NAME` / `no autorp discovery` for it while the VRF is inactive.
    pub pim_vrfs: std::collections::BTreeSet<Box<str>>,
}

impl Config {
    pub(crate) fn context_mut(&mut self, key: Key, kind: Kind, line_no: usize) -> &mut Context {
        let index = self.context_index(key, kind, line_no);
        &mut self.contexts[index]
    }

    /// Index of the context `key`, created empty if new.
    pub(crate) fn context_index(&mut self, key: Key, kind: Kind, line_no: usize) -> usize {
        let entry = self.contexts.entry(key);
        let index = entry.index();
        entry.or_insert_with(|| Context {
            kind,
            lines: Lines::default(),
            line_no: u32::try_from(line_no).unwrap_or(u32::MAX),
        });
        index
    }
}

/// Prints the configuration as FRR input: each context entered by its full
/// path, its lines, and one `exit` per level. Parsing the printed form
/// gives the same configuration back.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, ctx) in &self.contexts {
            if ctx.kind == Kind::Top {
                writeln!(f, "{}", key[0])?;
                continue;
            }
            for (depth, line) in key.iter().enumerate() {
                writeln!(f, "{:depth$}{line}", "")?;
            }
            for line in &ctx.lines {
                writeln!(f, "{:width$}{line}", "", width = key.len())?;
            }
            for depth in (0..key.len()).rev() {
                writeln!(f, "{:depth$}exit", "")?;
            }
        }
        Ok(())
    }
}
