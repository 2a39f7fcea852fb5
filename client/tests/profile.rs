//! The profile on disk: key file, encrypted store, destruction. Real files in
//! temporary directories. Key files use `KdfParams::dangerous_fast_for_tests`
//! except in `default_kdf_params_create_and_unlock_once`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Instant, SystemTime};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use sanad_client::limits::{
    KDF_MAX_M_KIB, KDF_MAX_P, KDF_MAX_T, KDF_MIN_M_KIB, MAX_STORE_KEY_LEN, MAX_STORE_VALUE_LEN,
};
use sanad_client::profile::keyfile::{HEADER_LEN, KEY_FILE_LEN, MAGIC};
use sanad_client::profile::{
    Entry, KdfParams, KeyFile, KeyFileError, Passphrase, ProfileDir, ProfileError, ProfileKey,
    Store, StoreError, Table, WriteBatch,
};
use sha2::{Digest, Sha256};

// ---- helpers -------------------------------------------------------------

fn fast() -> KdfParams {
    KdfParams::dangerous_fast_for_tests()
}

fn pass(s: &str) -> Passphrase {
    Passphrase::new(s.to_string())
}

const PASSPHRASE: &str = "the olive tree by the well";

/// A new profile in a new temporary directory.
fn new_profile() -> (tempfile::TempDir, ProfileDir, ProfileKey, Store) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let profile = ProfileDir::new(tmp.path().join("profile"));
    let (key, store) = profile.create(&pass(PASSPHRASE), fast()).expect("create");
    (tmp, profile, key, store)
}

/// A new key file in a new temporary directory.
fn new_key_file() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("profile.key");
    KeyFile::create(&path, &pass(PASSPHRASE), fast()).expect("create");
    (tmp, path)
}

/// Every file under `root`, recursively.
fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every path under `root` with its modification time, length and content
/// hash (directories: time only).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (SystemTime, u64, [u8; 32])> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(root).expect("read dir") {
        let path = entry.expect("entry").path();
        let meta = fs::metadata(&path).expect("metadata");
        let mtime = meta.modified().expect("mtime");
        if meta.is_dir() {
            out.insert(path.clone(), (mtime, 0, [0; 32]));
            out.extend(snapshot(&path));
        } else {
            let hash = Sha256::digest(fs::read(&path).expect("read")).into();
            out.insert(path, (mtime, meta.len(), hash));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A key file's bytes with the KDF costs replaced (the tag no longer
/// matches, which does not matter: the costs are checked first).
fn with_params(bytes: &[u8], m_kib: u32, t: u32, p: u32) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[9..13].copy_from_slice(&m_kib.to_be_bytes());
    out[13..17].copy_from_slice(&t.to_be_bytes());
    out[17..21].copy_from_slice(&p.to_be_bytes());
    out
}

fn unlock_bytes(bytes: &[u8]) -> Result<ProfileKey, KeyFileError> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("profile.key");
    fs::write(&path, bytes).expect("write");
    KeyFile::unlock(&path, &pass(PASSPHRASE))
}

fn is_refusal(e: &KeyFileError) -> bool {
    matches!(
        e,
        KeyFileError::Corrupt(_)
            | KeyFileError::UnsupportedVersion(_)
            | KeyFileError::UnsafeParams { .. }
            | KeyFileError::WrongPassphrase
    )
}

// ---- key file --------------------------------------------------------------

#[test]
fn a_profile_open_elsewhere_is_reported_as_in_use_not_as_damaged() {
    let (_tmp, profile, _key, store) = new_profile();
    // Held open (as by another `sanad` command): a second unlock is refused
    // with its own error, and nothing is touched.
    match profile.unlock(&pass(PASSPHRASE)) {
        Err(ProfileError::InUse) => {}
        Err(e) => panic!("expected InUse, got {e}"),
        Ok(_) => panic!("a profile open elsewhere must not open twice"),
    }
    drop(store);
    profile
        .unlock(&pass(PASSPHRASE))
        .expect("unlocks once released");
}

#[test]
fn a_created_profile_unlocks_with_its_passphrase_and_keeps_its_store() {
    let (_tmp, profile, key, store) = new_profile();
    assert!(profile.exists());
    assert!(profile.key_path().is_file());
    assert!(profile.store_path().is_dir());
    assert!(profile.spool_path().is_dir());
    store
        .put(Table::Contacts, b"contact-0001", b"a contact record")
        .expect("put");
    drop(store);

    let (again, store) = profile.unlock(&pass(PASSPHRASE)).expect("unlock");
    assert!(again == key, "the same profile key comes back");
    let value = store
        .get(Table::Contacts, b"contact-0001")
        .expect("get")
        .expect("present");
    assert_eq!(value.as_slice(), b"a contact record");
    assert_eq!(
        KeyFile::params(&profile.key_path()).expect("params"),
        fast()
    );
}

#[test]
fn a_wrong_passphrase_fails_and_writes_nothing() {
    let (tmp, profile, _key, store) = new_profile();
    store.put(Table::Meta, b"setting", b"value").expect("put");
    drop(store);
    let before = snapshot(tmp.path());

    assert!(matches!(
        profile.unlock(&pass("the olive tree by the wall")),
        Err(ProfileError::WrongPassphrase)
    ));
    assert!(matches!(
        KeyFile::unlock(&profile.key_path(), &pass("")),
        Err(KeyFileError::WrongPassphrase)
    ));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn every_byte_of_the_key_file_flipped_is_a_typed_error() {
    let (_tmp, path) = new_key_file();
    let good = fs::read(&path).expect("read");
    assert_eq!(good.len(), KEY_FILE_LEN);
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0xff;
        let err = unlock_bytes(&bad).expect_err("a flipped byte never unlocks");
        match i {
            0..=7 => assert!(matches!(err, KeyFileError::Corrupt(_)), "byte {i}: {err:?}"),
            8 => assert!(
                matches!(err, KeyFileError::UnsupportedVersion(0xfe)),
                "byte {i}: {err:?}"
            ),
            // Costs: out of bounds, or in bounds and then the tag fails.
            9..=20 => assert!(
                matches!(
                    err,
                    KeyFileError::UnsafeParams { .. } | KeyFileError::WrongPassphrase
                ),
                "byte {i}: {err:?}"
            ),
            _ => assert!(
                matches!(err, KeyFileError::WrongPassphrase),
                "byte {i}: {err:?}"
            ),
        }
    }
}

#[test]
fn truncated_key_files_are_corrupt_at_every_length() {
    let (_tmp, path) = new_key_file();
    let good = fs::read(&path).expect("read");
    for n in 0..good.len() {
        let err = unlock_bytes(&good[..n]).expect_err("a truncated file never unlocks");
        assert!(
            matches!(err, KeyFileError::Corrupt(_)),
            "length {n}: {err:?}"
        );
    }
}

#[test]
fn extended_key_files_are_corrupt() {
    let (_tmp, path) = new_key_file();
    let good = fs::read(&path).expect("read");
    for extra in [1usize, 16, 4096, 1 << 20] {
        let mut bad = good.clone();
        bad.resize(good.len() + extra, 0);
        let err = unlock_bytes(&bad).expect_err("an extended file never unlocks");
        assert!(matches!(err, KeyFileError::Corrupt(_)), "+{extra}: {err:?}");
    }
}

#[test]
fn crafted_huge_kdf_params_are_refused_before_the_kdf_runs() {
    let (_tmp, path) = new_key_file();
    let good = fs::read(&path).expect("read");
    let crafted = [
        (u32::MAX, 1, 1),          // 4 TiB: allocating it would abort the test
        (KDF_MAX_M_KIB + 1, 1, 1), // just over the memory bound
        (KDF_MIN_M_KIB - 1, 1, 1), // just under it
        (KDF_MIN_M_KIB, 0, 1),
        (KDF_MIN_M_KIB, KDF_MAX_T + 1, 1),
        (KDF_MIN_M_KIB, u32::MAX, 1),
        (KDF_MIN_M_KIB, 1, 0),
        (KDF_MIN_M_KIB, 1, KDF_MAX_P + 1),
        (u32::MAX, u32::MAX, u32::MAX),
        (0, 0, 0),
    ];
    let started = Instant::now();
    for (m, t, p) in crafted {
        let bad = with_params(&good, m, t, p);
        match unlock_bytes(&bad) {
            Err(KeyFileError::UnsafeParams {
                m_kib,
                t: got_t,
                p: got_p,
            }) => assert_eq!((m_kib, got_t, got_p), (m, t, p)),
            other => panic!("({m}, {t}, {p}): {other:?}"),
        }
        let tmp = tempfile::tempdir().expect("temp dir");
        let crafted_path = tmp.path().join("profile.key");
        fs::write(&crafted_path, &bad).expect("write");
        assert!(matches!(
            KeyFile::params(&crafted_path),
            Err(KeyFileError::UnsafeParams { .. })
        ));
    }
    // Informational: no KDF ran, so this is file I/O only.
    println!(
        "{} crafted key files refused in {:?}",
        crafted.len(),
        started.elapsed()
    );
}

#[test]
fn a_key_file_of_a_newer_version_is_reported_as_unsupported() {
    let (_tmp, path) = new_key_file();
    let mut bytes = fs::read(&path).expect("read");
    bytes[8] = 2;
    assert!(matches!(
        unlock_bytes(&bytes),
        Err(KeyFileError::UnsupportedVersion(2))
    ));
    // A newer version may have another length: the version is read first.
    bytes.truncate(40);
    assert!(matches!(
        unlock_bytes(&bytes),
        Err(KeyFileError::UnsupportedVersion(2))
    ));
    assert!(matches!(
        unlock_bytes(b"not a key file at all"),
        Err(KeyFileError::Corrupt(_))
    ));
}

/// Edits of a key file outside the cost fields (whose edits can ask for up
/// to 4 GiB and are pinned byte by byte above and in the parser's tests).
#[derive(Debug, Clone)]
enum Edit {
    Xor { at: usize, mask: u8 },
    Truncate(usize),
    Append(Vec<u8>),
    Replace(Vec<u8>),
}

fn edits() -> impl Strategy<Value = Edit> {
    let outside_costs = prop_oneof![0usize..9, 21usize..KEY_FILE_LEN];
    prop_oneof![
        (outside_costs, 1u8..=255).prop_map(|(at, mask)| Edit::Xor { at, mask }),
        (0usize..KEY_FILE_LEN).prop_map(Edit::Truncate),
        proptest::collection::vec(any::<u8>(), 1..64).prop_map(Edit::Append),
        proptest::collection::vec(any::<u8>(), 0..(2 * KEY_FILE_LEN)).prop_map(Edit::Replace),
    ]
}

/// Each case runs the (fast) KDF, so cases are few. Failures are saved to
/// `client/proptest-regressions/profile.txt` and replayed first (the default
/// `SourceParallel` looks for a `lib.rs` beside the test file).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/profile.txt",
        ))),
        ..ProptestConfig::default()
    }
}

fn good_key_file() -> &'static [u8] {
    static GOOD: OnceLock<Vec<u8>> = OnceLock::new();
    GOOD.get_or_init(|| {
        let (_tmp, path) = new_key_file();
        fs::read(path).expect("read")
    })
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_edit_of_the_key_file_is_refused_with_a_typed_error(edit in edits()) {
        let mut bytes = good_key_file().to_vec();
        match &edit {
            Edit::Xor { at, mask } => bytes[*at] ^= mask,
            Edit::Truncate(n) => bytes.truncate(*n),
            Edit::Append(more) => bytes.extend_from_slice(more),
            Edit::Replace(other) => bytes = other.clone(),
        }
        let err = unlock_bytes(&bytes).expect_err("an edited file never unlocks");
        prop_assert!(is_refusal(&err), "{:?}: {:?}", edit, err);
    }
}

#[test]
fn a_key_file_is_never_replaced_by_create() {
    let (_tmp, path) = new_key_file();
    let before = fs::read(&path).expect("read");
    assert!(matches!(
        KeyFile::create(&path, &pass("another passphrase"), fast()),
        Err(KeyFileError::AlreadyExists)
    ));
    assert_eq!(fs::read(&path).expect("read"), before);
    assert_eq!(files_under(path.parent().expect("parent")), vec![path]);
}

#[test]
fn changing_the_passphrase_rewraps_the_same_key() {
    let (tmp, path) = new_key_file();
    let key = KeyFile::unlock(&path, &pass(PASSPHRASE)).expect("unlock");
    let new = pass("a new passphrase after the checkpoint");
    assert!(matches!(
        KeyFile::change_passphrase(&path, &pass("wrong"), &new, fast()),
        Err(KeyFileError::WrongPassphrase)
    ));
    KeyFile::change_passphrase(&path, &pass(PASSPHRASE), &new, fast()).expect("change");

    assert!(matches!(
        KeyFile::unlock(&path, &pass(PASSPHRASE)),
        Err(KeyFileError::WrongPassphrase)
    ));
    assert!(KeyFile::unlock(&path, &new).expect("unlock") == key);
    assert_eq!(
        files_under(tmp.path()),
        vec![path],
        "no temporary file left"
    );
}

#[test]
fn empty_passphrases_are_refused_for_new_key_files() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let profile = ProfileDir::new(tmp.path().join("p"));
    assert!(matches!(
        profile.create(&pass(""), fast()),
        Err(ProfileError::EmptyPassphrase)
    ));
    assert!(!profile.path().exists());
}

#[test]
fn passphrases_match_across_unicode_normal_forms() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("profile.key");
    // Arabic alef with hamza above, precomposed (U+0623).
    let key = KeyFile::create(&path, &pass("\u{623}\u{645}\u{644}"), fast()).expect("create");
    // The same word with the hamza as a combining mark (U+0627 U+0654).
    let again = KeyFile::unlock(&path, &pass("\u{627}\u{654}\u{645}\u{644}")).expect("unlock");
    assert!(again == key);
}

#[cfg(unix)]
#[test]
fn the_profile_directory_and_key_file_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, profile, _key, _store) = new_profile();
    let mode = |p: &Path| fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(profile.path()), 0o700);
    assert_eq!(mode(&profile.key_path()), 0o600);
    assert_eq!(mode(&profile.spool_path()), 0o700);
}

// ---- profile directory -------------------------------------------------------

#[test]
fn creating_a_profile_where_one_exists_or_in_a_non_empty_directory_is_refused() {
    let (tmp, profile, _key, store) = new_profile();
    drop(store);
    let before = snapshot(tmp.path());
    assert!(matches!(
        profile.create(&pass(PASSPHRASE), fast()),
        Err(ProfileError::AlreadyExists)
    ));
    assert_eq!(snapshot(tmp.path()), before);

    let busy = tmp.path().join("busy");
    fs::create_dir(&busy).expect("mkdir");
    fs::write(busy.join("notes.txt"), b"someone else's").expect("write");
    assert!(matches!(
        ProfileDir::new(&busy).create(&pass(PASSPHRASE), fast()),
        Err(ProfileError::DirectoryNotEmpty)
    ));
    assert_eq!(files_under(&busy), vec![busy.join("notes.txt")]);
}

#[test]
fn unlocking_where_there_is_no_profile_is_not_found() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let profile = ProfileDir::new(tmp.path().join("nothing"));
    assert!(!profile.exists());
    assert!(matches!(
        profile.unlock(&pass(PASSPHRASE)),
        Err(ProfileError::NotFound)
    ));
    assert!(!profile.path().exists());
}

#[test]
fn a_destroyed_key_file_makes_unlock_not_found_and_the_store_unreadable() {
    let (tmp, profile, _key, store) = new_profile();
    let canary = b"CANARY:testimony-of-witness-17";
    store.put(Table::Evidence, b"item-01", canary).expect("put");
    drop(store);

    KeyFile::destroy(&profile.key_path()).expect("destroy");
    assert!(!profile.key_path().exists());
    assert!(matches!(
        profile.unlock(&pass(PASSPHRASE)),
        Err(ProfileError::NotFound)
    ));
    assert!(matches!(
        KeyFile::destroy(&profile.key_path()),
        Err(KeyFileError::NotFound)
    ));
    // What is left is ciphertext under a key that exists nowhere on disk:
    // no other key opens it, and the canary is not there in clear.
    let other = ProfileKey::generate().expect("rng");
    assert!(matches!(
        Store::open(&profile.store_path(), &other),
        Err(StoreError::WrongKey)
    ));
    for file in files_under(tmp.path()) {
        assert!(!contains(&fs::read(&file).expect("read"), canary));
    }
}

#[cfg(unix)]
#[test]
fn destroy_overwrites_the_key_bytes_in_place_before_removing_the_file() {
    let (tmp, path) = new_key_file();
    let before = fs::read(&path).expect("read");
    // A second name for the same inode shows what happened to its bytes.
    let witness = tmp.path().join("witness");
    fs::hard_link(&path, &witness).expect("link");
    KeyFile::destroy(&path).expect("destroy");
    assert!(!path.exists());
    let after = fs::read(&witness).expect("read");
    assert_eq!(after.len(), before.len());
    assert_ne!(&after[..MAGIC.len()], MAGIC);
    assert_ne!(after[HEADER_LEN..], before[HEADER_LEN..]);
}

#[test]
fn destroy_also_shreds_temporary_key_files_left_by_a_crash() {
    let (tmp, path) = new_key_file();
    let leftover = tmp.path().join(".profile.key.tmp-0011223344556677");
    fs::copy(&path, &leftover).expect("copy");
    KeyFile::destroy(&path).expect("destroy");
    assert!(!leftover.exists());
    assert_eq!(files_under(tmp.path()), Vec::<PathBuf>::new());
}

#[test]
fn destroying_a_profile_removes_its_key_store_and_spool() {
    let (_tmp, profile, _key, store) = new_profile();
    store.put(Table::Outbox, b"0001", b"queued").expect("put");
    drop(store);
    fs::write(profile.spool_path().join("upload.age"), b"ciphertext").expect("spool file");
    profile.destroy().expect("destroy");
    assert!(!profile.path().exists());
    assert!(matches!(
        profile.unlock(&pass(PASSPHRASE)),
        Err(ProfileError::NotFound)
    ));
    assert!(matches!(profile.destroy(), Err(ProfileError::NotFound)));
}

// ---- store ---------------------------------------------------------------

#[test]
fn store_values_never_appear_in_clear_on_disk() {
    let (tmp, profile, _key, store) = new_profile();
    let canary = b"CANARY-5d1e:the-officer-at-the-second-checkpoint".to_vec();
    let big_canary = canary.repeat(2000);
    store.put(Table::Messages, b"m-0001", &canary).expect("put");
    let mut batch = WriteBatch::new();
    batch.put(Table::Mls, b"g-1", &canary).expect("put");
    batch
        .put(Table::Evidence, b"e-1", &big_canary)
        .expect("put");
    store.apply(batch).expect("apply");
    // Overwrite one: older versions stay in sled's log, still encrypted.
    store
        .put(Table::Messages, b"m-0001", b"replaced")
        .expect("put");
    drop(store);

    let files = files_under(tmp.path());
    assert!(files.len() > 1, "sled wrote its files: {files:?}");
    for file in files {
        let bytes = fs::read(&file).expect("read");
        assert!(!contains(&bytes, &canary[..16]), "canary in {file:?}");
        assert!(
            !contains(&bytes, PASSPHRASE.as_bytes()),
            "passphrase in {file:?}"
        );
    }
    // The keys, by design, are there in clear.
    let store_files = files_under(&profile.store_path());
    assert!(store_files
        .iter()
        .any(|f| contains(&fs::read(f).expect("read"), b"m-0001")));
}

#[test]
fn a_value_moved_to_another_key_or_table_fails_to_decrypt() {
    let (_tmp, profile, key, store) = new_profile();
    store.put(Table::Contacts, b"id-1", b"first").expect("put");
    store.put(Table::Contacts, b"id-2", b"second").expect("put");
    drop(store);
    {
        let db = sled::open(profile.store_path()).expect("raw sled");
        let sealed = db
            .get([&[Table::Contacts.prefix()][..], b"id-1"].concat())
            .expect("get")
            .expect("present");
        db.insert([&[Table::Contacts.prefix()][..], b"id-2"].concat(), &sealed)
            .expect("insert");
        db.insert([&[Table::Groups.prefix()][..], b"id-1"].concat(), &sealed)
            .expect("insert");
        db.flush().expect("flush");
    }
    let store = Store::open(&profile.store_path(), &key).expect("open");
    assert_eq!(
        store
            .get(Table::Contacts, b"id-1")
            .expect("get")
            .expect("present")
            .as_slice(),
        b"first"
    );
    assert!(matches!(
        store.get(Table::Contacts, b"id-2"),
        Err(StoreError::Corrupt {
            table: Table::Contacts
        })
    ));
    assert!(matches!(
        store.get(Table::Groups, b"id-1"),
        Err(StoreError::Corrupt {
            table: Table::Groups
        })
    ));
    // Iteration reports the damaged record and goes on.
    let results: Vec<_> = store.range(Table::Contacts, ..).collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(StoreError::Corrupt { .. })));
}

#[test]
fn a_store_opened_with_another_profile_key_reports_wrong_key() {
    let (_tmp, profile, _key, store) = new_profile();
    store.put(Table::Meta, b"x", b"y").expect("put");
    drop(store);
    let other = ProfileKey::generate().expect("rng");
    assert!(matches!(
        Store::open(&profile.store_path(), &other),
        Err(StoreError::WrongKey)
    ));
    // Another profile's key file over this store: the profile reports it.
    let tmp2 = tempfile::tempdir().expect("temp dir");
    let foreign = ProfileDir::new(tmp2.path().join("p"));
    drop(foreign.create(&pass(PASSPHRASE), fast()).expect("create"));
    fs::remove_file(profile.key_path()).expect("rm");
    fs::copy(foreign.key_path(), profile.key_path()).expect("copy");
    assert!(matches!(
        profile.unlock(&pass(PASSPHRASE)),
        Err(ProfileError::CorruptStore(StoreError::WrongKey))
    ));
}

#[test]
fn a_batch_across_tables_is_visible_in_full_after_apply_and_after_reopening() {
    let (_tmp, profile, key, store) = new_profile();
    store.put(Table::Outbox, b"0001", b"to send").expect("put");

    let mut batch = store.batch();
    batch
        .put(Table::Messages, b"c1-0001", b"sent")
        .expect("put");
    batch.delete(Table::Outbox, b"0001").expect("delete");
    batch.put(Table::Groups, b"c1", b"epoch 2").expect("put");
    batch.put(Table::Groups, b"c1", b"epoch 3").expect("put"); // later wins
    assert_eq!(batch.len(), 4);
    store.apply(batch).expect("apply");

    let check = |store: &Store| {
        assert_eq!(
            store
                .get(Table::Messages, b"c1-0001")
                .expect("get")
                .as_deref()
                .map(Vec::as_slice),
            Some(&b"sent"[..])
        );
        assert!(store.get(Table::Outbox, b"0001").expect("get").is_none());
        assert_eq!(
            store
                .get(Table::Groups, b"c1")
                .expect("get")
                .as_deref()
                .map(Vec::as_slice),
            Some(&b"epoch 3"[..])
        );
    };
    check(&store);
    drop(store);
    check(&Store::open(&profile.store_path(), &key).expect("reopen"));
}

#[test]
fn range_scan_and_last_iterate_in_key_order_within_one_table() {
    let (_tmp, _profile, _key, store) = new_profile();
    // Insert out of order; neighbouring tables hold keys that must not leak in.
    let mut batch = WriteBatch::new();
    for seq in (0u64..100).rev() {
        batch
            .put(Table::Messages, &seq.to_be_bytes(), &seq.to_le_bytes())
            .expect("put");
    }
    batch.put(Table::Groups, &[0xff; 8], b"other").expect("put");
    batch.put(Table::Outbox, &[0x00; 8], b"other").expect("put");
    store.apply(batch).expect("apply");

    let seqs = |entries: Vec<Result<Entry, StoreError>>| -> Vec<u64> {
        entries
            .into_iter()
            .map(|e| {
                let (k, v) = e.expect("decrypts");
                let seq = u64::from_be_bytes(k.as_slice().try_into().expect("8 bytes"));
                assert_eq!(v.as_slice(), seq.to_le_bytes());
                seq
            })
            .collect()
    };
    let from = 42u64.to_be_bytes();
    let to = 45u64.to_be_bytes();
    assert_eq!(
        seqs(store.range(Table::Messages, &from[..]..).collect()),
        (42..100).collect::<Vec<_>>()
    );
    assert_eq!(
        seqs(store.range(Table::Messages, &from[..]..&to[..]).collect()),
        vec![42, 43, 44]
    );
    assert_eq!(
        seqs(store.range(Table::Messages, ..).rev().take(3).collect()),
        vec![99, 98, 97]
    );
    assert_eq!(seqs(store.range(Table::Messages, ..).collect()).len(), 100);
    assert_eq!(
        seqs(store.scan_prefix(Table::Messages, &[0u8; 7]).collect()).len(),
        100
    );
    let (last_key, _) = store.last(Table::Messages).expect("last").expect("some");
    assert_eq!(last_key, 99u64.to_be_bytes());
    assert!(store.last(Table::Transfers).expect("last").is_none());
    assert_eq!(store.range(Table::Contacts, ..).count(), 0);
}

#[test]
fn values_and_keys_over_the_limits_are_refused_and_nothing_is_written() {
    let (_tmp, _profile, _key, store) = new_profile();
    let big = vec![0u8; MAX_STORE_VALUE_LEN + 1];
    assert!(matches!(
        store.put(Table::Evidence, b"big", &big),
        Err(StoreError::ValueTooLarge { .. })
    ));
    assert!(matches!(
        store.put(Table::Evidence, &vec![1u8; MAX_STORE_KEY_LEN + 1], b"v"),
        Err(StoreError::KeyTooLong { .. })
    ));
    let mut batch = WriteBatch::new();
    let mut refused = false;
    for i in 0u32..8 {
        if let Err(e) = batch.put(Table::Evidence, &i.to_be_bytes(), &big[1..]) {
            assert!(matches!(e, StoreError::BatchTooLarge { .. }));
            refused = true;
            break;
        }
    }
    assert!(refused, "a batch over its byte limit is refused");
    assert!(store.get(Table::Evidence, b"big").expect("get").is_none());
    assert_eq!(store.range(Table::Evidence, ..).count(), 0);
    // The largest allowed value goes through.
    store
        .put(Table::Evidence, b"max", &big[1..])
        .expect("a value at the limit is stored");
}

#[test]
fn hashed_keys_are_stable_and_differ_between_tables_and_profiles() {
    let (_tmp, profile, key, store) = new_profile();
    let secret = b"+218 91 000 0000";
    let h = store.hashed_key(Table::Contacts, secret);
    assert_eq!(h, store.hashed_key(Table::Contacts, secret));
    assert_ne!(h, store.hashed_key(Table::Groups, secret));
    assert!(!contains(&h, secret));
    drop(store);
    let reopened = Store::open(&profile.store_path(), &key).expect("reopen");
    assert_eq!(h, reopened.hashed_key(Table::Contacts, secret));
    let (_tmp2, _profile2, _key2, other) = new_profile();
    assert_ne!(h, other.hashed_key(Table::Contacts, secret));
}

// ---- the real cost -------------------------------------------------------

/// DESIGN §3's default costs (256 MiB, 3 passes): one create and one
/// unlock. The times are printed, not asserted (`--nocapture` shows them).
#[test]
fn default_kdf_params_create_and_unlock_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("profile.key");
    let params = KdfParams::default();
    assert!(params.meets_design_floor());

    let started = Instant::now();
    let key = KeyFile::create(&path, &pass(PASSPHRASE), params).expect("create");
    let create = started.elapsed();

    let started = Instant::now();
    let again = KeyFile::unlock(&path, &pass(PASSPHRASE)).expect("unlock");
    let unlock = started.elapsed();

    assert!(again == key);
    assert_eq!(KeyFile::params(&path).expect("params"), params);
    println!(
        "Argon2id m={} KiB t={} p={}: create {create:?}, unlock {unlock:?}",
        params.m_kib(),
        params.t(),
        params.p()
    );
}
