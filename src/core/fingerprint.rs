//! Fingerprints of findings that survive unrelated edits: a finding is named by its file, its
//! rule, its message and how many equal findings come before it in the file, never by its line.
//! GitLab Code Quality reports use them to follow a finding from one pipeline to the next.

/// A 128-bit fingerprint, as 32 lower-case hex digits, of `parts` in order.
///
/// The hash is FNV-1a, run twice with different offsets, so the value is the same on every
/// platform and in every version of Rust (the standard hasher promises neither).
#[must_use]
pub fn fingerprint(parts: &[&str]) -> String {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hashes = [0xcbf2_9ce4_8422_2325_u64, 0x6c62_272e_07bb_0142_u64];
    for hash in &mut hashes {
        for part in parts {
            // The length first, so that ("ab", "c") and ("a", "bc") differ.
            for byte in (part.len() as u64)
                .to_le_bytes()
                .iter()
                .chain(part.as_bytes())
            {
                *hash ^= u64::from(*byte);
                *hash = hash.wrapping_mul(PRIME);
            }
        }
    }
    format!("{:016x}{:016x}", hashes[0], hashes[1])
}

/// The fingerprint of the finding `(code, message)` in `path` that has `ordinal` equal
/// findings (same code and message) before it in that file.
#[must_use]
pub fn finding(path: &str, code: &str, message: &str, ordinal: usize) -> String {
    fingerprint(&[path, code, message, &ordinal.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fixed_values_of_their_parts() {
        // FNV-1a of nothing is its offset basis.
        assert_eq!(fingerprint(&[]), "cbf29ce4842223256c62272e07bb0142");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
    }

    #[test]
    fn equal_findings_differ_by_ordinal_only() {
        let first = finding("a.yaml", "unknown-field", "unknown field `x`", 0);
        let second = finding("a.yaml", "unknown-field", "unknown field `x`", 1);
        assert_ne!(first, second);
        assert_eq!(first.len(), 32);
        assert_ne!(
            first,
            finding("b.yaml", "unknown-field", "unknown field `x`", 0)
        );
    }
}
