//! The plan of a diff: the commands to type (ops), the ordering classes
//! they run in (phases), and the two states of a plan, being built and
//! sorted into script order. Every pass of the diff writes into it.

use std::borrow::Cow;

/// One planned command: `line` typed (or negated, for a delete) at the
/// node path `context`.
#[derive(Debug, Clone)]
pub(crate) struct Op<'a> {
    pub context: &'a [String],
    pub line: Cow<'a, str>,
    pub delete: bool,
    /// Ordering class; ops run sorted by phase, in plan order within one.
    pub phase: Phase,
}

/// Ordering classes of the script. Deletes run before adds; within each,
/// things that others depend on are removed last and created first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    /// Lines inside contexts that stay, nested contexts, single lines.
    Lines,
    /// `no neighbor X` of a neighbor that goes away or is recreated.
    Neighbor,
    /// `no neighbor PG` of a peer-group.
    PeerGroup,
    /// Whole top-level objects (route-maps, lists, other routers, bfd…).
    Object,
    /// `no router bgp ASN vrf NAME`.
    BgpVrfInstance,
    /// `no router bgp ASN`.
    BgpDefaultInstance,
    /// Interfaces, then VRFs: what everything else may refer to.
    Interface,
    /// See [`Phase::Interface`].
    Vrf,
}

/// The planned commands before ordering and rendering.
///
/// The passes run in this order, which the types keep: the comparison
/// (`compare`) builds the plan; the neighbor lifecycle and the list
/// resequencing rewrite it; [`Plan::sorted`] orders it; the rebuild takes
/// only a [`Sorted`] plan and keeps it sorted; the renderer takes only a
/// [`Sorted`] plan.
#[derive(Debug, Default)]
pub(crate) struct Plan<'a> {
    pub deletes: Vec<Op<'a>>,
    pub adds: Vec<Op<'a>>,
    /// Settings changed in place (the delta's `replaced_in_place`): each
    /// pass that plans one counts it, and a later pass that turns it back
    /// into a delete and an add (the resequencing, the rebuild) uncounts
    /// it. The rebuild is the last to touch it.
    pub replaced: usize,
}

impl<'a> Plan<'a> {
    pub(crate) fn delete(
        &mut self,
        context: &'a [String],
        line: impl Into<Cow<'a, str>>,
        phase: Phase,
    ) {
        self.deletes.push(Op {
            context,
            line: line.into(),
            delete: true,
            phase,
        });
    }

    pub(crate) fn add(
        &mut self,
        context: &'a [String],
        line: impl Into<Cow<'a, str>>,
        phase: Phase,
    ) {
        self.adds.push(Op {
            context,
            line: line.into(),
            delete: false,
            phase,
        });
    }

    /// Adds the line that opens the node `key`: as written (`opener`) when
    /// that says more than the key.
    pub(crate) fn open(&mut self, key: &'a [String], opener: Option<&'a str>, phase: Phase) {
        let (last, parent) = key.split_last().expect("a key has a line");
        self.add(parent, opener.unwrap_or(last), phase);
    }
}

impl<'a> Plan<'a> {
    /// Sorts the ops into script order: deletes, then adds, each by phase
    /// and in plan order within one phase.
    pub(crate) fn sorted(mut self) -> Sorted<'a> {
        self.deletes.sort_by_key(|op| op.phase);
        self.adds.sort_by_key(|op| op.phase);
        Sorted(self)
    }
}

/// A plan in script order. Only a sorted plan is rebuilt
/// ([`crate::diff::rebuild`]) or rendered ([`crate::diff::script`]): the
/// rebuild puts its ops at the ends of a sorted plan, which a later sort
/// would move.
#[derive(Debug)]
pub(crate) struct Sorted<'a>(pub(in crate::diff) Plan<'a>);
