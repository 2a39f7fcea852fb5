//! The profile key, and the file that keeps it wrapped under a passphrase.
//!
//! A profile's secrets all hang off one random 32-byte [`ProfileKey`]. On
//! disk it exists only inside `profile.key`, encrypted under a key that
//! Argon2id derives from the passphrase. Destroying that one small file
//! ([`KeyFile::destroy`]) makes everything else in the profile unreadable.
//!
//! # Format (version 1)
//!
//! Exactly [`KEY_FILE_LEN`] (109) bytes; integers big-endian:
//!
//! | offset | length | field |
//! | --- | --- | --- |
//! | 0 | 8 | magic `SANADKEY` |
//! | 8 | 1 | version, `1` |
//! | 9 | 4 | Argon2id memory cost `m_kib`, in KiB |
//! | 13 | 4 | Argon2id passes `t` |
//! | 17 | 4 | Argon2id lanes `p` |
//! | 21 | 16 | salt (random) |
//! | 37 | 24 | XChaCha20-Poly1305 nonce (random) |
//! | 61 | 48 | ciphertext: the 32-byte profile key, then the 16-byte tag |
//!
//! - wrapping key = Argon2id (version 0x13; `m_kib`, `t`, `p`; output 32
//!   bytes) of the passphrase's UTF-8 bytes after Unicode NFC normalisation
//!   (see [`Passphrase`]), with the salt;
//! - ciphertext = XChaCha20-Poly1305(wrapping key, nonce, profile key), with
//!   the first 61 bytes (magic to nonce) as associated data, so no header
//!   byte can change without the tag failing.
//!
//! Reading checks, in this order and before the KDF runs: the magic
//! ([`KeyFileError::Corrupt`]), the version ([`KeyFileError::UnsupportedVersion`]),
//! the exact length ([`KeyFileError::Corrupt`]) and the KDF costs against the
//! bounds in [`crate::limits`] ([`KeyFileError::UnsafeParams`]), so a crafted
//! file cannot make the client allocate more than
//! [`KDF_MAX_M_KIB`] KiB. The file is read
//! through a bound of one byte more than the format's length. A wrong
//! passphrase and a file whose bytes were altered are indistinguishable
//! after the KDF (both fail the tag): both read as
//! [`KeyFileError::WrongPassphrase`].
//!
//! # KDF costs
//!
//! [`KdfParams::default`] is DESIGN §3's floor: 256 MiB, 3 passes, 1 lane
//! (about 1 s on a laptop). [`KdfParams::new`] refuses anything weaker. The
//! only way to weaker costs is [`KdfParams::dangerous_fast_for_tests`]
//! (8 MiB, 1 pass), named so it stands out in review. Reading accepts any
//! costs within the file bounds (8 MiB to 4 GiB, 1 to 16 passes, 1 to 8
//! lanes), weak test files included: a file can only lower its own cost by
//! being rewritten by someone who knew the passphrase, and
//! [`KdfParams::meets_design_floor`] lets a front end warn about such a file.
//!
//! # Writing
//!
//! New contents go to a temporary file in the same directory
//! (`.profile.key.tmp-<random>`, mode 0600 on Unix), which is fsync'd, then
//! put in place and the directory fsync'd. [`KeyFile::create`] never
//! replaces an existing file (it links the temporary file into place, which
//! fails if the name is taken); [`KeyFile::change_passphrase`] replaces it
//! atomically by rename. A crash can leave a temporary file behind; it holds
//! a wrapped key like the real one, and [`KeyFile::destroy`] shreds it too.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use subtle::ConstantTimeEq;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::limits::{
    KDF_DEFAULT_M_KIB, KDF_DEFAULT_P, KDF_DEFAULT_T, KDF_MAX_M_KIB, KDF_MAX_P, KDF_MAX_T,
    KDF_MIN_M_KIB, KDF_MIN_P, KDF_MIN_T,
};

/// The first eight bytes of every key file.
pub const MAGIC: &[u8; 8] = b"SANADKEY";
/// The format version this code writes and reads.
pub const VERSION: u8 = 1;
/// Length of the profile key.
pub const PROFILE_KEY_LEN: usize = 32;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const PARAMS_OFFSET: usize = MAGIC.len() + 1;
const SALT_OFFSET: usize = PARAMS_OFFSET + 12;
const NONCE_OFFSET: usize = SALT_OFFSET + SALT_LEN;
/// Length of the header (magic to nonce), the associated data of the tag.
pub const HEADER_LEN: usize = NONCE_OFFSET + NONCE_LEN;
/// Exact length of a version 1 key file.
pub const KEY_FILE_LEN: usize = HEADER_LEN + PROFILE_KEY_LEN + TAG_LEN;

/// Why a key file operation failed. No variant carries key bytes, the
/// passphrase or file contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// There is no key file at the path.
    #[error("there is no key file")]
    NotFound,
    /// A key file already exists at the path; it was left untouched.
    #[error("a key file already exists")]
    AlreadyExists,
    /// The passphrase does not open the key file (or the file's bytes were
    /// altered: the two cannot be told apart). Nothing was written.
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    /// An empty passphrase was offered for a new key file.
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    /// The file is not a Sanad key file or has the wrong length.
    #[error("the key file is damaged ({0})")]
    Corrupt(&'static str),
    /// The file is a Sanad key file of a version this code does not read.
    #[error("the key file has version {0}, which this version of Sanad cannot read")]
    UnsupportedVersion(u8),
    /// The file asks for KDF costs outside the accepted bounds, or costs
    /// weaker than DESIGN's floor were requested without the `dangerous_`
    /// constructor. Refused before anything is allocated.
    #[error("the key derivation costs are outside the accepted bounds (memory {m_kib} KiB, {t} passes, {p} lanes)")]
    UnsafeParams {
        /// Memory cost in KiB.
        m_kib: u32,
        /// Passes.
        t: u32,
        /// Lanes.
        p: u32,
    },
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Randomness,
    /// Reading or writing the file failed.
    #[error("key file input/output failed: {0}")]
    Io(#[source] io::Error),
}

impl From<io::Error> for KeyFileError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::NotFound => KeyFileError::NotFound,
            io::ErrorKind::AlreadyExists => KeyFileError::AlreadyExists,
            _ => KeyFileError::Io(e),
        }
    }
}

/// The random key everything in a profile is encrypted under.
///
/// Zeroized on drop; its `Debug` prints no bytes; compared in constant time.
pub struct ProfileKey(Zeroizing<[u8; PROFILE_KEY_LEN]>);

impl ProfileKey {
    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> Result<Self, KeyFileError> {
        let mut key = Zeroizing::new([0u8; PROFILE_KEY_LEN]);
        fill_random(&mut key[..]).map_err(|_| KeyFileError::Randomness)?;
        Ok(ProfileKey(key))
    }

    /// The key bytes, for deriving subkeys inside this crate.
    pub(crate) fn as_bytes(&self) -> &[u8; PROFILE_KEY_LEN] {
        &self.0
    }
}

impl fmt::Debug for ProfileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProfileKey(..)")
    }
}

impl PartialEq for ProfileKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&*other.0).into()
    }
}

impl Eq for ProfileKey {}

/// A passphrase, zeroized on drop, never printed.
///
/// Normalised to Unicode NFC when made, so the same words typed on
/// different keyboards or systems (an Arabic hamza composed or as a
/// combining mark, a French accent precomposed or not) give the same bytes.
/// Nothing else is changed: case, spaces and punctuation count.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes the passphrase (the caller's copy is moved in and zeroized).
    pub fn new(passphrase: String) -> Self {
        let original = Zeroizing::new(passphrase);
        // NFC may lengthen a string up to three times; reserving that up
        // front means no reallocation leaves an unzeroized copy behind.
        let mut normalized = Zeroizing::new(String::with_capacity(original.len() * 3));
        normalized.extend(original.nfc());
        Passphrase(normalized)
    }

    /// Whether the passphrase is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl From<String> for Passphrase {
    fn from(passphrase: String) -> Self {
        Passphrase::new(passphrase)
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// Argon2id costs: memory in KiB, passes, lanes.
///
/// Only [`KdfParams::default`], [`KdfParams::new`] (at least DESIGN's floor)
/// and [`KdfParams::dangerous_fast_for_tests`] make one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    m_kib: u32,
    t: u32,
    p: u32,
}

impl Default for KdfParams {
    /// DESIGN §3: 256 MiB, 3 passes, 1 lane.
    fn default() -> Self {
        KdfParams {
            m_kib: KDF_DEFAULT_M_KIB,
            t: KDF_DEFAULT_T,
            p: KDF_DEFAULT_P,
        }
    }
}

impl KdfParams {
    /// Costs of at least DESIGN's floor (256 MiB and 3 passes) and within
    /// the file bounds; anything else is [`KeyFileError::UnsafeParams`].
    /// For tuning upwards on a fast machine.
    pub fn new(m_kib: u32, t: u32, p: u32) -> Result<Self, KeyFileError> {
        let params = KdfParams { m_kib, t, p };
        params.check_bounds()?;
        if !params.meets_design_floor() {
            return Err(params.unsafe_error());
        }
        Ok(params)
    }

    /// 8 MiB, 1 pass, 1 lane: far below DESIGN's floor, for tests only,
    /// where the default's second per key file adds up. A key file made
    /// with these costs gives little protection to a weak passphrase.
    pub fn dangerous_fast_for_tests() -> Self {
        KdfParams {
            m_kib: KDF_MIN_M_KIB,
            t: KDF_MIN_T,
            p: KDF_MIN_P,
        }
    }

    /// Memory cost in KiB.
    pub fn m_kib(&self) -> u32 {
        self.m_kib
    }

    /// Number of passes.
    pub fn t(&self) -> u32 {
        self.t
    }

    /// Number of lanes.
    pub fn p(&self) -> u32 {
        self.p
    }

    /// Whether these costs reach DESIGN §3's floor (256 MiB, 3 passes). A
    /// front end may warn about a key file that does not.
    pub fn meets_design_floor(&self) -> bool {
        self.m_kib >= KDF_DEFAULT_M_KIB && self.t >= KDF_DEFAULT_T
    }

    /// The bounds every key file must respect, checked before the KDF runs.
    fn check_bounds(&self) -> Result<(), KeyFileError> {
        let ok = (KDF_MIN_M_KIB..=KDF_MAX_M_KIB).contains(&self.m_kib)
            && (KDF_MIN_T..=KDF_MAX_T).contains(&self.t)
            && (KDF_MIN_P..=KDF_MAX_P).contains(&self.p);
        if ok {
            Ok(())
        } else {
            Err(self.unsafe_error())
        }
    }

    fn unsafe_error(&self) -> KeyFileError {
        KeyFileError::UnsafeParams {
            m_kib: self.m_kib,
            t: self.t,
            p: self.p,
        }
    }
}

/// The key file operations (a namespace; there are no values of this type).
pub enum KeyFile {}

impl KeyFile {
    /// Makes a new profile key and writes it, wrapped under `passphrase`, to
    /// a new file at `path` (never replacing one: [`KeyFileError::AlreadyExists`]).
    /// Durable when this returns.
    pub fn create(
        path: &Path,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<ProfileKey, KeyFileError> {
        if passphrase.is_empty() {
            return Err(KeyFileError::EmptyPassphrase);
        }
        params.check_bounds()?;
        if fs::symlink_metadata(path).is_ok() {
            return Err(KeyFileError::AlreadyExists);
        }
        let key = ProfileKey::generate()?;
        let bytes = seal(&key, passphrase, params)?;
        install_new(path, &bytes)?;
        Ok(key)
    }

    /// Opens the key file at `path` with `passphrase`. Writes nothing.
    pub fn unlock(path: &Path, passphrase: &Passphrase) -> Result<ProfileKey, KeyFileError> {
        let bytes = read_bounded(path)?;
        open(&bytes, passphrase)
    }

    /// The KDF costs recorded in the key file at `path` (checked against the
    /// bounds; no passphrase needed, no KDF run).
    pub fn params(path: &Path) -> Result<KdfParams, KeyFileError> {
        let bytes = read_bounded(path)?;
        Ok(parse(&bytes)?.params)
    }

    /// Rewraps the profile key under `new` with `params`, after checking
    /// `old`; the file is replaced atomically (a crash leaves the old file or
    /// the new one). On Unix the old file's bytes are then overwritten in
    /// place, best effort, with the limits [`KeyFile::destroy`] describes.
    pub fn change_passphrase(
        path: &Path,
        old: &Passphrase,
        new: &Passphrase,
        params: KdfParams,
    ) -> Result<(), KeyFileError> {
        if new.is_empty() {
            return Err(KeyFileError::EmptyPassphrase);
        }
        params.check_bounds()?;
        let key = KeyFile::unlock(path, old)?;
        let bytes = seal(&key, new, params)?;
        // A handle on the old file, to shred its bytes once it is replaced.
        let old_file = OpenOptions::new().write(true).open(path).ok();
        let dir = parent_dir(path);
        let tmp = write_temp(&dir, path, &bytes)?;
        if let Err(e) = fs::rename(&tmp, path) {
            let _ = fs::remove_file(&tmp);
            return Err(e.into());
        }
        sync_dir(&dir)?;
        if let Some(mut file) = old_file {
            // Best effort: the new file is in place whatever happens here.
            let _ = overwrite_random(&mut file, KEY_FILE_LEN as u64);
        }
        Ok(())
    }

    /// Crypto-shredding for `sanad panic`: overwrites the key file's bytes
    /// in place with random bytes, fsyncs, removes it and fsyncs the
    /// directory; leftover temporary files from an interrupted write are
    /// shredded the same way. Without the key file, the store and spool are
    /// ciphertext under a key that no longer exists anywhere on the device.
    ///
    /// What this does **not** protect against:
    /// - flash wear levelling and SSD block remapping: the drive may write
    ///   the random bytes elsewhere and keep the old block until it is
    ///   erased, readable with chip-level forensics;
    /// - copy-on-write or journaling file systems (btrfs, ZFS, APFS, data
    ///   journaling ext4) and their snapshots, which may keep old blocks;
    /// - backups and synchronised copies of the profile directory, and any
    ///   copy of the key file made earlier;
    /// - a profile key already in memory (a running, unlocked client, swap,
    ///   a hibernation image) or captured by spyware together with the
    ///   passphrase.
    ///
    /// The wrapped key alone is still protected by the passphrase and
    /// Argon2id; shredding removes that last barrier's target.
    pub fn destroy(path: &Path) -> Result<(), KeyFileError> {
        let dir = parent_dir(path);
        let mut targets = Vec::new();
        if fs::symlink_metadata(path).is_ok() {
            targets.push(path.to_path_buf());
        }
        targets.extend(temp_siblings(&dir, path)?);
        if targets.is_empty() {
            return Err(KeyFileError::NotFound);
        }
        for target in &targets {
            shred(target)?;
        }
        sync_dir(&dir)?;
        Ok(())
    }
}

/// Wraps `key` under `passphrase` into the bytes of a key file, with a fresh
/// salt and nonce.
fn seal(
    key: &ProfileKey,
    passphrase: &Passphrase,
    params: KdfParams,
) -> Result<Vec<u8>, KeyFileError> {
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut salt).map_err(|_| KeyFileError::Randomness)?;
    fill_random(&mut nonce).map_err(|_| KeyFileError::Randomness)?;
    seal_with(key, passphrase, params, &salt, &nonce)
}

fn seal_with(
    key: &ProfileKey,
    passphrase: &Passphrase,
    params: KdfParams,
    salt: &[u8; SALT_LEN],
    nonce: &[u8; NONCE_LEN],
) -> Result<Vec<u8>, KeyFileError> {
    params.check_bounds()?;
    let mut out = Vec::with_capacity(KEY_FILE_LEN);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&params.m_kib.to_be_bytes());
    out.extend_from_slice(&params.t.to_be_bytes());
    out.extend_from_slice(&params.p.to_be_bytes());
    out.extend_from_slice(salt);
    out.extend_from_slice(nonce);
    debug_assert_eq!(out.len(), HEADER_LEN);
    let wrapping = wrapping_key(passphrase, salt, params)?;
    let ciphertext = XChaCha20Poly1305::new(Key::from_slice(&wrapping[..]))
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: key.as_bytes(),
                aad: &out,
            },
        )
        .map_err(|_| KeyFileError::Corrupt("encryption failed"))?;
    out.extend_from_slice(&ciphertext);
    debug_assert_eq!(out.len(), KEY_FILE_LEN);
    Ok(out)
}

/// A key file's fields, after every check that needs no passphrase.
struct Parsed<'a> {
    params: KdfParams,
    header: &'a [u8],
    salt: &'a [u8],
    nonce: &'a [u8],
    ciphertext: &'a [u8],
}

fn parse(bytes: &[u8]) -> Result<Parsed<'_>, KeyFileError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(KeyFileError::Corrupt("not a Sanad key file"));
    }
    match bytes.get(MAGIC.len()) {
        None => return Err(KeyFileError::Corrupt("truncated")),
        Some(&VERSION) => {}
        Some(&other) => return Err(KeyFileError::UnsupportedVersion(other)),
    }
    if bytes.len() != KEY_FILE_LEN {
        return Err(KeyFileError::Corrupt("wrong length"));
    }
    let word = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&bytes[at..at + 4]);
        u32::from_be_bytes(b)
    };
    let params = KdfParams {
        m_kib: word(PARAMS_OFFSET),
        t: word(PARAMS_OFFSET + 4),
        p: word(PARAMS_OFFSET + 8),
    };
    params.check_bounds()?;
    Ok(Parsed {
        params,
        header: &bytes[..HEADER_LEN],
        salt: &bytes[SALT_OFFSET..NONCE_OFFSET],
        nonce: &bytes[NONCE_OFFSET..HEADER_LEN],
        ciphertext: &bytes[HEADER_LEN..],
    })
}

fn open(bytes: &[u8], passphrase: &Passphrase) -> Result<ProfileKey, KeyFileError> {
    let parsed = parse(bytes)?;
    let wrapping = wrapping_key(passphrase, parsed.salt, parsed.params)?;
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(Key::from_slice(&wrapping[..]))
            .decrypt(
                XNonce::from_slice(parsed.nonce),
                Payload {
                    msg: parsed.ciphertext,
                    aad: parsed.header,
                },
            )
            .map_err(|_| KeyFileError::WrongPassphrase)?,
    );
    let mut key = Zeroizing::new([0u8; PROFILE_KEY_LEN]);
    if plain.len() != PROFILE_KEY_LEN {
        return Err(KeyFileError::Corrupt("wrong key length"));
    }
    key.copy_from_slice(&plain);
    Ok(ProfileKey(key))
}

/// Argon2id of the passphrase; the costs must have passed `check_bounds`.
fn wrapping_key(
    passphrase: &Passphrase,
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; 32]>, KeyFileError> {
    params.check_bounds()?;
    let argon_params = Params::new(params.m_kib, params.t, params.p, Some(32))
        .map_err(|_| params.unsafe_error())?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out[..])
        .map_err(|_| params.unsafe_error())?;
    Ok(out)
}

fn fill_random(buf: &mut [u8]) -> Result<(), rand_core::Error> {
    OsRng.try_fill_bytes(buf)
}

/// Reads at most one byte more than a key file can hold.
fn read_bounded(path: &Path) -> Result<Vec<u8>, KeyFileError> {
    let file = File::open(path)?;
    let mut bytes = Vec::with_capacity(KEY_FILE_LEN + 1);
    file.take(KEY_FILE_LEN as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.<file name>.tmp-`: the prefix of this file's temporary siblings.
fn temp_prefix(path: &Path) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(".tmp-");
    prefix
}

fn temp_siblings(dir: &Path, path: &Path) -> Result<Vec<PathBuf>, KeyFileError> {
    let prefix = temp_prefix(path);
    let prefix = prefix.as_encoded_bytes();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(KeyFileError::Io(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(KeyFileError::Io)?;
        if entry.file_name().as_encoded_bytes().starts_with(prefix) {
            found.push(entry.path());
        }
    }
    Ok(found)
}

/// Writes `bytes` to a new temporary file beside `path` and fsyncs it.
fn write_temp(dir: &Path, path: &Path, bytes: &[u8]) -> Result<PathBuf, KeyFileError> {
    let mut suffix = [0u8; 8];
    fill_random(&mut suffix).map_err(|_| KeyFileError::Randomness)?;
    let mut name = temp_prefix(path);
    for b in suffix {
        name.push(format!("{b:02x}"));
    }
    let tmp = dir.join(name);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(KeyFileError::Io)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(&tmp);
        return Err(KeyFileError::Io(e));
    }
    Ok(tmp)
}

/// Puts `bytes` at `path` durably, failing if `path` exists.
fn install_new(path: &Path, bytes: &[u8]) -> Result<(), KeyFileError> {
    let dir = parent_dir(path);
    let tmp = write_temp(&dir, path, bytes)?;
    // A hard link never replaces an existing name, unlike rename.
    let linked = match fs::hard_link(&tmp, path) {
        Ok(()) => fs::remove_file(&tmp).map_err(KeyFileError::Io),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(KeyFileError::AlreadyExists),
        // File systems without hard links (FAT): rename, after the existence
        // check the caller made.
        Err(_) if fs::symlink_metadata(path).is_err() => {
            fs::rename(&tmp, path).map_err(KeyFileError::Io)
        }
        Err(_) => Err(KeyFileError::AlreadyExists),
    };
    if linked.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    linked?;
    sync_dir(&dir)?;
    Ok(())
}

/// Overwrites `len` bytes from the start of `file` with random bytes and
/// fsyncs.
fn overwrite_random(file: &mut File, len: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(0))?;
    let mut chunk = [0u8; 4096];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        fill_random(&mut chunk[..n])
            .map_err(|_| io::Error::other("the system random number generator failed"))?;
        file.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    file.sync_all()
}

/// Overwrites a file's whole length with random bytes, fsyncs, removes it.
fn shred(path: &Path) -> Result<(), KeyFileError> {
    let meta = fs::symlink_metadata(path)?;
    if meta.is_file() {
        let mut file = OpenOptions::new().write(true).open(path)?;
        overwrite_random(&mut file, meta.len()).map_err(KeyFileError::Io)?;
    }
    fs::remove_file(path)?;
    Ok(())
}

/// Makes a directory's entries (a new or removed name) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), KeyFileError> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(KeyFileError::Io)?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pass(s: &str) -> Passphrase {
        Passphrase::new(s.to_string())
    }

    fn fixed_key() -> ProfileKey {
        ProfileKey(Zeroizing::new([0x42; PROFILE_KEY_LEN]))
    }

    #[test]
    fn the_format_is_109_bytes_with_a_61_byte_header() {
        assert_eq!(HEADER_LEN, 61);
        assert_eq!(KEY_FILE_LEN, 109);
    }

    /// Byte-exact snapshot: pins the header layout, Argon2id's inputs and
    /// the AEAD. Cross-checked against libsodium (PyNaCl's
    /// `crypto_pwhash` Argon2id 1.3 and `crypto_aead_xchacha20poly1305_ietf`).
    #[test]
    fn a_key_file_with_fixed_inputs_matches_its_snapshot() {
        let bytes = seal_with(
            &fixed_key(),
            &pass("correct horse"),
            KdfParams::dangerous_fast_for_tests(),
            &[0x11; SALT_LEN],
            &[0x22; NONCE_LEN],
        )
        .expect("seals");
        assert_eq!(
            hex(&bytes[..HEADER_LEN]),
            concat!(
                "53414e41444b4559",                                 // SANADKEY
                "01",                                               // version
                "00002000",                                         // m = 8192 KiB
                "00000001",                                         // t = 1
                "00000001",                                         // p = 1
                "11111111111111111111111111111111",                 // salt
                "222222222222222222222222222222222222222222222222", // nonce
            )
        );
        assert_eq!(hex(&bytes[HEADER_LEN..]), SNAPSHOT_CIPHERTEXT);
        let key = open(&bytes, &pass("correct horse")).expect("opens");
        assert!(key == fixed_key());
    }

    /// The wrapped key of the snapshot (libsodium gives the same bytes).
    const SNAPSHOT_CIPHERTEXT: &str =
        "d55a4109a60dd77c997244f66bf4a570d97c2c92a275273ad2b577a646d48e15e6183c221c766a022ca80ac011a99acc";

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn nfc_and_nfd_spellings_of_a_passphrase_are_the_same_bytes() {
        // "é" precomposed and as e + combining acute; Arabic alef with hamza
        // above precomposed and as alef + combining hamza.
        assert_eq!(
            pass("caf\u{e9} \u{623}").as_bytes(),
            pass("cafe\u{301} \u{627}\u{654}").as_bytes()
        );
    }

    #[test]
    fn params_below_the_design_floor_need_the_dangerous_constructor() {
        assert!(KdfParams::default().meets_design_floor());
        assert!(KdfParams::new(KDF_DEFAULT_M_KIB * 2, 3, 2).is_ok());
        assert!(matches!(
            KdfParams::new(KDF_DEFAULT_M_KIB - 1, 3, 1),
            Err(KeyFileError::UnsafeParams { .. })
        ));
        assert!(matches!(
            KdfParams::new(KDF_DEFAULT_M_KIB, 2, 1),
            Err(KeyFileError::UnsafeParams { .. })
        ));
        assert!(matches!(
            KdfParams::new(KDF_MAX_M_KIB + 1, 3, 1),
            Err(KeyFileError::UnsafeParams { .. })
        ));
        assert!(!KdfParams::dangerous_fast_for_tests().meets_design_floor());
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", fixed_key()), "ProfileKey(..)");
        assert_eq!(format!("{:?}", pass("hunter2")), "Passphrase(..)");
    }

    proptest! {
        /// The parser never panics and accepts only well-formed files.
        #[test]
        fn parsing_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            if let Ok(parsed) = parse(&bytes) {
                prop_assert_eq!(bytes.len(), KEY_FILE_LEN);
                prop_assert!(parsed.params.check_bounds().is_ok());
            }
        }

        /// A valid header with arbitrary costs is refused unless the costs
        /// are within bounds, before any KDF memory is allocated.
        #[test]
        fn out_of_bound_costs_are_refused_by_the_parser(m in any::<u32>(), t in any::<u32>(), p in any::<u32>()) {
            let mut bytes = vec![0u8; KEY_FILE_LEN];
            bytes[..8].copy_from_slice(MAGIC);
            bytes[8] = VERSION;
            bytes[9..13].copy_from_slice(&m.to_be_bytes());
            bytes[13..17].copy_from_slice(&t.to_be_bytes());
            bytes[17..21].copy_from_slice(&p.to_be_bytes());
            let in_bounds = (KDF_MIN_M_KIB..=KDF_MAX_M_KIB).contains(&m)
                && (KDF_MIN_T..=KDF_MAX_T).contains(&t)
                && (KDF_MIN_P..=KDF_MAX_P).contains(&p);
            match parse(&bytes) {
                Ok(_) => prop_assert!(in_bounds),
                Err(KeyFileError::UnsafeParams { .. }) => prop_assert!(!in_bounds),
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }
}
