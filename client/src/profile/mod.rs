//! A profile: everything one user keeps on one device, in one directory.
//!
//! ```text
//! <profile>/          mode 0700
//!   profile.key       the profile key, wrapped under the passphrase (keyfile)
//!   store/            sled database; every value encrypted (store)
//!   spool/            encrypted files awaiting upload
//!   archive/          evidence received by the desk, still age-encrypted
//! ```
//!
//! - [`keyfile`]: the random [`ProfileKey`], its Argon2id-wrapped file, the
//!   passphrase type, crypto-shredding.
//! - [`store`]: the encrypted local [`Store`], its tables and atomic
//!   batches.
//!
//! Several profiles can coexist (a training profile is one): a profile is
//! just a directory, [`ProfileDir::default_location`] unless the caller
//! names another (the CLI's `--profile` / `SANAD_PROFILE`).
//!
//! This module never logs, never prompts and never prints: the passphrase
//! comes in as a [`Passphrase`], failures go out as [`ProfileError`], whose
//! messages carry no secrets and no contents.

pub mod keyfile;
pub mod store;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use keyfile::{KdfParams, KeyFile, KeyFileError, Passphrase, ProfileKey};
pub use store::{Entries, Entry, Store, StoreError, Table, WriteBatch};

/// File name of the key file inside a profile.
pub const KEY_FILE_NAME: &str = "profile.key";
/// Directory name of the store inside a profile.
pub const STORE_DIR_NAME: &str = "store";
/// Directory name of the upload spool inside a profile.
pub const SPOOL_DIR_NAME: &str = "spool";
/// Directory name of the evidence archive inside a profile: the age
/// ciphertext of every evidence item received, opened only on export.
pub const ARCHIVE_DIR_NAME: &str = "archive";

/// Why a profile could not be created, opened or destroyed; one variant per
/// sentence a front end would say. No message carries a secret or content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// There is already a profile (a key file) at this location.
    #[error("a profile already exists there")]
    AlreadyExists,
    /// The location for a new profile is a directory with things in it, or
    /// not a directory.
    #[error("the location for the new profile is not an empty directory")]
    DirectoryNotEmpty,
    /// There is no profile at this location.
    #[error("there is no profile there")]
    NotFound,
    /// The passphrase does not open the profile. Nothing was written.
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    /// An empty passphrase was offered for a new profile.
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    /// The key file is damaged or asks for unsafe costs.
    #[error("the profile's key file is damaged: {0}")]
    CorruptKeyFile(#[source] KeyFileError),
    /// The key file was written by a newer version of Sanad.
    #[error("the profile was made by a newer version of Sanad (key file version {0})")]
    UnsupportedVersion(u8),
    /// The store is damaged or was not made with this profile's key.
    #[error("the profile's store is damaged or belongs to another profile: {0}")]
    CorruptStore(#[source] StoreError),
    /// The key file is there but the store is not.
    #[error("the profile is incomplete: its store is missing")]
    Incomplete,
    /// This system has no data directory for a default location; the caller
    /// must name one.
    #[error("there is no default location for profiles on this system")]
    NoDefaultLocation,
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Randomness,
    /// Another process (another `sanad` command, the desktop app) has the
    /// profile open.
    #[error("the profile is in use by another process")]
    InUse,
    /// Reading or writing the profile's files failed.
    #[error("profile input/output failed: {0}")]
    Io(#[source] io::Error),
    /// Another store failure.
    #[error("the profile's store failed: {0}")]
    Store(#[source] StoreError),
}

impl From<KeyFileError> for ProfileError {
    fn from(e: KeyFileError) -> Self {
        match e {
            KeyFileError::NotFound => ProfileError::NotFound,
            KeyFileError::AlreadyExists => ProfileError::AlreadyExists,
            KeyFileError::WrongPassphrase => ProfileError::WrongPassphrase,
            KeyFileError::EmptyPassphrase => ProfileError::EmptyPassphrase,
            KeyFileError::UnsupportedVersion(v) => ProfileError::UnsupportedVersion(v),
            KeyFileError::Randomness => ProfileError::Randomness,
            KeyFileError::Io(e) => ProfileError::Io(e),
            e @ (KeyFileError::Corrupt(_) | KeyFileError::UnsafeParams { .. }) => {
                ProfileError::CorruptKeyFile(e)
            }
        }
    }
}

/// Whether opening the store failed because another process holds its
/// lock: sled 0.34 locks the database file while it is open and reports a
/// lock held elsewhere as an `Other` error whose text starts "could not
/// acquire lock" (`sled::Config::open`, config.rs), wrapping `WouldBlock`.
fn is_lock_held(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::WouldBlock {
        return true;
    }
    // Only a lock held elsewhere (`WouldBlock`), not any other locking
    // failure (no locks on this file system, an I/O error).
    let text = e.to_string();
    e.kind() == io::ErrorKind::Other
        && text.starts_with("could not acquire lock")
        && text.contains("WouldBlock")
}

impl From<StoreError> for ProfileError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Db(sled::Error::Io(e)) if is_lock_held(&e) => ProfileError::InUse,
            StoreError::Db(sled::Error::Io(e)) => ProfileError::Io(e),
            StoreError::Randomness => ProfileError::Randomness,
            e @ (StoreError::Db(_)
            | StoreError::WrongKey
            | StoreError::Corrupt { .. }
            | StoreError::MissingCheck) => ProfileError::CorruptStore(e),
            e @ (StoreError::ValueTooLarge { .. }
            | StoreError::KeyTooLong { .. }
            | StoreError::BatchTooLarge { .. }
            | StoreError::ReservedKey) => ProfileError::Store(e),
        }
    }
}

impl From<io::Error> for ProfileError {
    fn from(e: io::Error) -> Self {
        ProfileError::Io(e)
    }
}

/// The steps of [`ProfileDir::create`], for fault injection in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    KeyFile,
    Store,
    Spool,
}

/// A profile directory (which may not exist yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileDir {
    root: PathBuf,
}

impl ProfileDir {
    /// The profile at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ProfileDir { root: path.into() }
    }

    /// The platform's default: `$XDG_DATA_HOME/sanad/profile`, else
    /// `~/.local/share/sanad/profile` (Linux and other Unix);
    /// `~/Library/Application Support/sanad/profile` (macOS);
    /// `%APPDATA%\sanad\profile` (Windows). Read from the environment here
    /// rather than through a crate: three rules do not need a dependency.
    pub fn default_location() -> Result<Self, ProfileError> {
        let data = data_home().ok_or(ProfileError::NoDefaultLocation)?;
        Ok(ProfileDir::new(data.join("sanad").join("profile")))
    }

    /// The profile directory.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The key file's path.
    pub fn key_path(&self) -> PathBuf {
        self.root.join(KEY_FILE_NAME)
    }

    /// The store's directory.
    pub fn store_path(&self) -> PathBuf {
        self.root.join(STORE_DIR_NAME)
    }

    /// The upload spool's directory.
    pub fn spool_path(&self) -> PathBuf {
        self.root.join(SPOOL_DIR_NAME)
    }

    /// The evidence archive's directory (created when first used).
    pub fn archive_path(&self) -> PathBuf {
        self.root.join(ARCHIVE_DIR_NAME)
    }

    /// Whether a profile exists here (its key file does).
    pub fn exists(&self) -> bool {
        fs::symlink_metadata(self.key_path()).is_ok()
    }

    /// Creates the profile: the directory (mode 0700, parents as needed),
    /// a new key wrapped under `passphrase`, the store and the spool. The
    /// location must not exist or be an empty directory (which is set to
    /// mode 0700). If a step fails,
    /// what this call made is removed (the key file shredded) before the
    /// error returns; parent directories it made stay.
    pub fn create(
        &self,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<(ProfileKey, Store), ProfileError> {
        self.create_with_faults(passphrase, params, &|_| Ok(()))
    }

    fn create_with_faults(
        &self,
        passphrase: &Passphrase,
        params: KdfParams,
        fault: &dyn Fn(Step) -> Result<(), ProfileError>,
    ) -> Result<(ProfileKey, Store), ProfileError> {
        if passphrase.is_empty() {
            return Err(ProfileError::EmptyPassphrase);
        }
        if self.exists() {
            return Err(ProfileError::AlreadyExists);
        }
        let made_root = self.make_root()?;
        match self.populate(passphrase, params, fault) {
            Ok(made) => Ok(made),
            Err(e) => {
                self.remove_partial(made_root);
                Err(e)
            }
        }
    }

    /// Makes the root directory, or checks that an existing one is empty;
    /// says whether it made it.
    fn make_root(&self) -> Result<bool, ProfileError> {
        match fs::symlink_metadata(&self.root) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = self.root.parent() {
                    fs::create_dir_all(parent)?;
                }
                make_private_dir(&self.root)?;
                Ok(true)
            }
            Err(e) => Err(e.into()),
            Ok(meta) if meta.is_dir() => {
                if fs::read_dir(&self.root)?.next().is_some() {
                    return Err(ProfileError::DirectoryNotEmpty);
                }
                restrict_dir(&self.root)?;
                Ok(false)
            }
            Ok(_) => Err(ProfileError::DirectoryNotEmpty),
        }
    }

    fn populate(
        &self,
        passphrase: &Passphrase,
        params: KdfParams,
        fault: &dyn Fn(Step) -> Result<(), ProfileError>,
    ) -> Result<(ProfileKey, Store), ProfileError> {
        let key = KeyFile::create(&self.key_path(), passphrase, params)?;
        fault(Step::KeyFile)?;
        let store = Store::open(&self.store_path(), &key)?;
        fault(Step::Store)?;
        make_private_dir(&self.spool_path())?;
        fault(Step::Spool)?;
        keyfile::sync_dir(&self.root)?;
        Ok((key, store))
    }

    /// Undoes a failed [`create`](ProfileDir::create), best effort: the
    /// root was empty or new, so everything in it is this call's.
    fn remove_partial(&self, made_root: bool) {
        let _ = KeyFile::destroy(&self.key_path());
        let _ = fs::remove_dir_all(self.store_path());
        let _ = fs::remove_dir_all(self.spool_path());
        let _ = fs::remove_dir_all(self.archive_path());
        if made_root {
            let _ = fs::remove_dir(&self.root);
        }
    }

    /// Opens the profile with `passphrase`: the key file, then the store. A
    /// wrong passphrase fails before anything is opened for writing. A
    /// missing spool is recreated.
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<(ProfileKey, Store), ProfileError> {
        let key = KeyFile::unlock(&self.key_path(), passphrase)?;
        if !self.store_path().is_dir() {
            return Err(ProfileError::Incomplete);
        }
        let store = Store::open(&self.store_path(), &key)?;
        if fs::symlink_metadata(self.spool_path()).is_err() {
            make_private_dir(&self.spool_path())?;
        }
        Ok((key, store))
    }

    /// Destroys the profile (`sanad panic`): shreds the key file first
    /// (see [`KeyFile::destroy`] for what that does and does not achieve),
    /// then removes the store, the spool, the evidence archive and the
    /// directory if it is then
    /// empty. Drop any open [`Store`] of this profile before calling.
    /// [`ProfileError::NotFound`] if there was nothing to remove.
    pub fn destroy(&self) -> Result<(), ProfileError> {
        // Every part is attempted even if one fails; the first error returns.
        let mut first_error: Option<ProfileError> = None;
        let mut found = match KeyFile::destroy(&self.key_path()) {
            Ok(()) => true,
            Err(KeyFileError::NotFound) => false,
            Err(e) => {
                first_error = Some(e.into());
                true
            }
        };
        for dir in [self.store_path(), self.spool_path(), self.archive_path()] {
            match fs::remove_dir_all(&dir) {
                Ok(()) => found = true,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    found = true;
                    first_error.get_or_insert(e.into());
                }
            }
        }
        // Only if empty: leaves anything this module did not put there.
        let _ = fs::remove_dir(&self.root);
        match first_error {
            Some(e) => Err(e),
            None if !found => Err(ProfileError::NotFound),
            None => Ok(()),
        }
    }
}

/// Makes one directory, mode 0700 on Unix.
fn make_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Sets an existing directory to mode 0700 on Unix.
fn restrict_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(unix, not(target_os = "macos")))]
fn data_home() -> Option<PathBuf> {
    xdg_data_home(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
}

#[cfg(target_os = "macos")]
fn data_home() -> Option<PathBuf> {
    absolute(std::env::var_os("HOME")).map(|h| h.join("Library").join("Application Support"))
}

#[cfg(windows)]
fn data_home() -> Option<PathBuf> {
    absolute(std::env::var_os("APPDATA"))
}

#[cfg(not(any(unix, windows)))]
fn data_home() -> Option<PathBuf> {
    None
}

/// The XDG base directory rule: `$XDG_DATA_HOME` if set and absolute, else
/// `$HOME/.local/share`.
#[cfg(any(test, all(unix, not(target_os = "macos"))))]
fn xdg_data_home(
    xdg_data_home: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    absolute(xdg_data_home).or_else(|| absolute(home).map(|h| h.join(".local").join("share")))
}

fn absolute(var: Option<std::ffi::OsString>) -> Option<PathBuf> {
    var.map(PathBuf::from).filter(|p| p.is_absolute())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass() -> Passphrase {
        Passphrase::new("a long and unguessable sentence".to_string())
    }

    fn listing(root: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Ok(entries) = fs::read_dir(root) {
            for entry in entries.flatten() {
                out.push(entry.path());
                out.extend(listing(&entry.path()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_create_that_fails_at_any_step_leaves_no_new_directory() {
        for failing in [Step::KeyFile, Step::Store, Step::Spool] {
            let tmp = tempfile::tempdir().expect("temp dir");
            let profile = ProfileDir::new(tmp.path().join("p"));
            let result = profile.create_with_faults(
                &pass(),
                KdfParams::dangerous_fast_for_tests(),
                &|step| {
                    if step == failing {
                        Err(ProfileError::Io(io::Error::other("injected")))
                    } else {
                        Ok(())
                    }
                },
            );
            assert!(matches!(result, Err(ProfileError::Io(_))), "{failing:?}");
            assert!(!profile.path().exists(), "{failing:?}");
            assert_eq!(listing(tmp.path()), Vec::<PathBuf>::new(), "{failing:?}");
        }
    }

    #[test]
    fn a_create_that_fails_in_an_existing_empty_directory_leaves_it_empty() {
        for failing in [Step::KeyFile, Step::Store, Step::Spool] {
            let tmp = tempfile::tempdir().expect("temp dir");
            let profile = ProfileDir::new(tmp.path());
            let result = profile.create_with_faults(
                &pass(),
                KdfParams::dangerous_fast_for_tests(),
                &|step| {
                    if step == failing {
                        Err(ProfileError::Io(io::Error::other("injected")))
                    } else {
                        Ok(())
                    }
                },
            );
            assert!(result.is_err());
            assert!(tmp.path().is_dir());
            assert_eq!(listing(tmp.path()), Vec::<PathBuf>::new(), "{failing:?}");
        }
    }

    #[test]
    fn the_default_location_follows_the_xdg_rule() {
        assert_eq!(
            xdg_data_home(Some("/xdg".into()), Some("/home/u".into())),
            Some(PathBuf::from("/xdg"))
        );
        // A relative XDG_DATA_HOME is ignored, as the specification says.
        assert_eq!(
            xdg_data_home(Some("rel".into()), Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.local/share"))
        );
        assert_eq!(xdg_data_home(None, None), None);
    }
}
