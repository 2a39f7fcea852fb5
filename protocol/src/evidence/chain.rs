//! The per-device chain check. Each manifest names its device's sequence
//! number and the hash of that device's previous manifest, so a set of
//! verified items shows deleted items (gaps), rewritten history (forks,
//! broken links) and replayed evidence IDs. One bundle cannot show any of
//! this alone; the desk runs [`check_device_chain`] over its archive, and
//! a verifier over every bundle it is given.

use std::collections::{BTreeMap, BTreeSet};

use super::manifest::{EvidenceId, ManifestHash, VerifiedManifest};

/// What the chain check needs of one verified manifest.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChainItem {
    /// The item's evidence ID.
    pub evidence_id: EvidenceId,
    /// The device key that signed it.
    pub device_key: [u8; 32],
    /// Its sequence number.
    pub sequence: u64,
    /// The previous manifest's hash it names.
    pub previous: Option<ManifestHash>,
    /// Its own hash.
    pub hash: ManifestHash,
}

impl From<&VerifiedManifest> for ChainItem {
    fn from(v: &VerifiedManifest) -> ChainItem {
        let m = v.manifest();
        ChainItem {
            evidence_id: m.evidence_id,
            device_key: m.device_key.to_bytes(),
            sequence: m.sequence,
            previous: m.previous,
            hash: v.hash(),
        }
    }
}

/// One device's part of the set.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DeviceChain {
    /// The device key.
    pub device_key: [u8; 32],
    /// Lowest sequence number present (0 when the chain is complete from
    /// the start).
    pub first: u64,
    /// Highest sequence number present.
    pub last: u64,
    /// Distinct manifests present.
    pub count: u64,
}

/// Missing sequence numbers of one device, between two present ones.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChainGap {
    /// The device key.
    pub device_key: [u8; 32],
    /// First missing sequence number.
    pub from: u64,
    /// Last missing sequence number (inclusive).
    pub to: u64,
}

/// A place in one device's chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChainPosition {
    /// The device key.
    pub device_key: [u8; 32],
    /// The sequence number.
    pub sequence: u64,
}

/// What the chain check found. Clean when every list is empty.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ChainReport {
    /// Every device, by key.
    pub devices: Vec<DeviceChain>,
    /// Evidence IDs carried by more than one distinct manifest (a replay,
    /// or a device reusing IDs). The same signed manifest twice is one item.
    pub duplicate_ids: Vec<EvidenceId>,
    /// Two distinct manifests of one device with the same sequence number.
    pub forks: Vec<ChainPosition>,
    /// Missing sequence numbers between present ones.
    pub gaps: Vec<ChainGap>,
    /// A manifest whose `previous` is not the hash of the one manifest
    /// present at the sequence number before it (or is absent at 0 only).
    pub broken_links: Vec<ChainPosition>,
}

impl ChainReport {
    /// Nothing replayed, forked, missing or broken.
    pub fn is_clean(&self) -> bool {
        self.duplicate_ids.is_empty()
            && self.forks.is_empty()
            && self.gaps.is_empty()
            && self.broken_links.is_empty()
    }
}

/// Check a set of verified items (see the module documentation). Pure; the
/// order of `items` does not matter.
pub fn check_device_chain(items: impl IntoIterator<Item = ChainItem>) -> ChainReport {
    // Distinct manifests only: the same signed manifest twice is one item.
    let mut by_hash: BTreeMap<ManifestHash, ChainItem> = BTreeMap::new();
    for i in items {
        by_hash.entry(i.hash).or_insert(i);
    }
    let mut report = ChainReport::default();

    let mut ids: BTreeMap<EvidenceId, usize> = BTreeMap::new();
    for i in by_hash.values() {
        *ids.entry(i.evidence_id).or_default() += 1;
    }
    report.duplicate_ids = ids
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, _)| id)
        .collect();

    let mut devices: BTreeMap<[u8; 32], BTreeMap<u64, Vec<&ChainItem>>> = BTreeMap::new();
    for i in by_hash.values() {
        devices
            .entry(i.device_key)
            .or_default()
            .entry(i.sequence)
            .or_default()
            .push(i);
    }
    for (device_key, seqs) in &devices {
        let pos = |sequence| ChainPosition {
            device_key: *device_key,
            sequence,
        };
        let (Some(first), Some(last)) = (seqs.keys().next(), seqs.keys().next_back()) else {
            continue;
        };
        report.devices.push(DeviceChain {
            device_key: *device_key,
            first: *first,
            last: *last,
            count: seqs.values().map(|v| v.len() as u64).sum(),
        });
        let mut prev_seq: Option<u64> = None;
        for (seq, here) in seqs {
            if here.len() > 1 {
                report.forks.push(pos(*seq));
            }
            if let Some(p) = prev_seq {
                if *seq > p + 1 {
                    report.gaps.push(ChainGap {
                        device_key: *device_key,
                        from: p + 1,
                        to: seq - 1,
                    });
                }
            }
            prev_seq = Some(*seq);
            // The link can be checked when the predecessor is present and unique.
            let before = seq.checked_sub(1).and_then(|s| seqs.get(&s));
            if let Some([p]) = before.map(Vec::as_slice) {
                let links: BTreeSet<bool> =
                    here.iter().map(|i| i.previous == Some(p.hash)).collect();
                if links.contains(&false) {
                    report.broken_links.push(pos(*seq));
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(device: u8, id: u8, sequence: u64, previous: Option<u8>, hash: u8) -> ChainItem {
        ChainItem {
            evidence_id: EvidenceId([id; 16]),
            device_key: [device; 32],
            sequence,
            previous: previous.map(|p| ManifestHash([p; 32])),
            hash: ManifestHash([hash; 32]),
        }
    }

    #[test]
    fn a_complete_chain_is_clean_in_any_order_and_with_repeats() {
        let items = [
            item(1, 3, 2, Some(0xb), 0xc),
            item(1, 1, 0, None, 0xa),
            item(1, 2, 1, Some(0xa), 0xb),
            item(1, 2, 1, Some(0xa), 0xb),
            item(2, 9, 5, Some(0x1), 0x2),
        ];
        let r = check_device_chain(items);
        assert!(r.is_clean(), "{r:?}");
        assert_eq!(r.devices.len(), 2);
        assert_eq!(
            (r.devices[0].first, r.devices[0].last, r.devices[0].count),
            (0, 2, 3)
        );
    }

    #[test]
    fn a_replayed_evidence_id_is_reported() {
        let r = check_device_chain([item(1, 7, 0, None, 0xa), item(2, 7, 0, None, 0xb)]);
        assert_eq!(r.duplicate_ids, vec![EvidenceId([7; 16])]);
        assert!(!r.is_clean());
    }

    #[test]
    fn gaps_forks_and_broken_links_are_reported_where_they_are() {
        let r = check_device_chain([
            item(1, 1, 0, None, 0xa),
            item(1, 2, 1, Some(0xa), 0xb),
            item(1, 3, 1, Some(0xa), 0xc),
            item(1, 4, 4, Some(0xd), 0xe),
            item(1, 5, 5, Some(0x0), 0xf),
        ]);
        let at = |sequence| ChainPosition {
            device_key: [1; 32],
            sequence,
        };
        assert_eq!(r.forks, vec![at(1)]);
        assert_eq!(
            r.gaps,
            vec![ChainGap {
                device_key: [1; 32],
                from: 2,
                to: 3
            }]
        );
        assert_eq!(r.broken_links, vec![at(5)]);
        assert!(r.duplicate_ids.is_empty());
    }
}
