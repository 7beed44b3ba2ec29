//! Helpers shared by the pod-spec and container rules: id ranges and where to point for a
//! missing field (the enum checks live in `rules::enums`).

use crate::core::text::TextRange;

pub(in crate::core::rules) use crate::core::rules::enums::{check_enum, scalar_replacement};
use crate::core::yaml::{Entry, Node};

/// The largest user or group id the API accepts (`math.MaxInt32`).
pub(in crate::core::rules) const MAX_ID: i64 = 2_147_483_647;

/// Where a problem with a whole mapping goes: its first key, else where it starts.
pub(in crate::core::rules) fn first_key(node: &Node) -> TextRange {
    node.entries()
        .and_then(<[Entry]>::first)
        .map_or(node.range, |it| it.key.range)
}

/// The reason a user or group id is out of range, if it is.
pub(in crate::core::rules) fn id_out_of_range(value: i64) -> Option<String> {
    (!(0..=MAX_ID).contains(&value)).then(|| format!("must be between 0 and {MAX_ID}, inclusive"))
}
