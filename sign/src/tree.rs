//! The Merkle tree over interval leaves (spec/signing.md 3.4, 7.4): RFC
//! 9162's shape, built incrementally by a signer or a verifier, and proofs
//! for any set of leaves against a root.

use sha2::{Digest, Sha256};

use crate::digest::{Hash, NODE_PREFIX};

/// The hash of an inner node.
pub fn node(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([NODE_PREFIX]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The largest power of two below `n` (n > 1).
fn split(n: u64) -> u64 {
    debug_assert!(n > 1);
    1 << (63 - (n - 1).leading_zeros())
}

/// The roots of the complete subtrees over the leaves so far, largest
/// first: enough to compute the root after each new leaf, in at most 64
/// hashes of memory.
#[derive(Debug, Clone, Default)]
pub struct Frontier {
    /// (root, number of leaves) of each complete subtree.
    subtrees: Vec<(Hash, u64)>,
    leaves: u64,
}

impl Frontier {
    /// Adds the next leaf.
    pub fn push(&mut self, leaf: Hash) {
        self.subtrees.push((leaf, 1));
        self.leaves += 1;
        while let [.., (left, l), (right, r)] = self.subtrees[..] {
            if l != r {
                break;
            }
            self.subtrees.truncate(self.subtrees.len() - 2);
            self.subtrees.push((node(&left, &right), l + r));
        }
    }

    /// Leaves so far.
    pub fn leaves(&self) -> u64 {
        self.leaves
    }

    /// The root of the leaves so far; `None` before the first.
    pub fn root(&self) -> Option<Hash> {
        let mut subtrees = self.subtrees.iter().rev();
        let (mut root, _) = *subtrees.next()?;
        for (left, _) in subtrees {
            root = node(left, &root);
        }
        Some(root)
    }
}

/// The root of `leaves` (spec/signing.md 3.4); `None` when there are none.
pub fn root_of(leaves: &[Hash]) -> Option<Hash> {
    match leaves.len() {
        0 => None,
        1 => Some(leaves[0]),
        n => {
            let k = split(n as u64) as usize;
            Some(node(&root_of(&leaves[..k])?, &root_of(&leaves[k..])?))
        }
    }
}

/// The hashes that prove the leaves numbered `described` (increasing) of
/// `leaves` (spec/signing.md 7.4), appended to `proof`.
pub fn prove(leaves: &[Hash], described: &[u64], proof: &mut Vec<Hash>) {
    prove_range(leaves, 0, described, proof);
}

fn prove_range(leaves: &[Hash], lo: u64, described: &[u64], proof: &mut Vec<Hash>) {
    let hi = lo + leaves.len() as u64;
    if !described.iter().any(|&d| (lo..hi).contains(&d)) {
        proof.extend(root_of(leaves));
        return;
    }
    if leaves.len() == 1 {
        return;
    }
    let k = split(leaves.len() as u64);
    prove_range(&leaves[..k as usize], lo, described, proof);
    prove_range(&leaves[k as usize..], lo + k, described, proof);
}

/// Why a proof does not give a root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofFault {
    /// The proof has fewer hashes than the tree needs.
    Short,
    /// Hashes are left over once the root is computed.
    Long,
}

/// The root of a tree of `size` leaves, from the leaves in `described`
/// ((number, leaf), numbers increasing, all below `size`) and the proof's
/// hashes (spec/signing.md 7.4).
pub fn root_from_proof(
    size: u64,
    described: &[(u64, Hash)],
    proof: &[Hash],
) -> Result<Hash, ProofFault> {
    let mut hashes = proof.iter();
    let root = root_from(0, size, described, &mut hashes)?;
    match hashes.next() {
        Some(_) => Err(ProofFault::Long),
        None => Ok(root),
    }
}

fn root_from<'p>(
    lo: u64,
    hi: u64,
    described: &[(u64, Hash)],
    hashes: &mut impl Iterator<Item = &'p Hash>,
) -> Result<Hash, ProofFault> {
    let inside = described
        .iter()
        .filter(|(number, _)| (lo..hi).contains(number));
    let mut inside = inside.peekable();
    let Some(&(first, leaf)) = inside.peek().copied() else {
        return hashes.next().copied().ok_or(ProofFault::Short);
    };
    if hi - lo == 1 {
        debug_assert_eq!(first, lo);
        return Ok(leaf);
    }
    let k = split(hi - lo);
    let left = root_from(lo, lo + k, described, hashes)?;
    let right = root_from(lo + k, hi, described, hashes)?;
    Ok(node(&left, &right))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u8) -> Vec<Hash> {
        (0..n).map(|i| [i; 32]).collect()
    }

    #[test]
    fn the_frontier_gives_the_roots_of_rfc_9162() {
        let all = leaves(37);
        let mut frontier = Frontier::default();
        for (i, leaf) in all.iter().enumerate() {
            frontier.push(*leaf);
            assert_eq!(frontier.root(), root_of(&all[..=i]), "{} leaves", i + 1);
        }
        // Three leaves: H(1 ‖ H(1 ‖ l0 ‖ l1) ‖ l2).
        assert_eq!(
            root_of(&all[..3]).unwrap(),
            node(&node(&all[0], &all[1]), &all[2])
        );
    }

    #[test]
    fn proofs_of_any_set_of_leaves_give_the_root_and_nothing_else() {
        for size in 1..20u8 {
            let all = leaves(size);
            let root = root_of(&all).unwrap();
            let sets: Vec<Vec<u64>> = vec![
                vec![0],
                vec![u64::from(size) - 1],
                (0..u64::from(size)).collect(),
                (u64::from(size) / 3..u64::from(size) / 2 + 1).collect(),
                vec![0, u64::from(size) - 1],
            ];
            for set in sets {
                let mut proof = Vec::new();
                prove(&all, &set, &mut proof);
                let described: Vec<(u64, Hash)> =
                    set.iter().map(|&i| (i, all[i as usize])).collect();
                assert_eq!(
                    root_from_proof(u64::from(size), &described, &proof),
                    Ok(root)
                );
                if let Some((_, rest)) = proof.split_last() {
                    assert_eq!(
                        root_from_proof(u64::from(size), &described, rest),
                        Err(ProofFault::Short)
                    );
                }
                let mut long = proof.clone();
                long.push([9; 32]);
                assert_eq!(
                    root_from_proof(u64::from(size), &described, &long),
                    Err(ProofFault::Long)
                );
                let mut changed = described.clone();
                changed[0].1[0] ^= 1;
                assert_ne!(root_from_proof(u64::from(size), &changed, &proof), Ok(root));
            }
        }
    }
}
