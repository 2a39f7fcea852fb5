//! The relay's long-term keys and the files that hold them.
//!
//! `sanad-relay init` creates, in the data directory (mode 0700):
//!
//! - [`TLS_CERT_FILE`]: a self-signed certificate (DER) for an Ed25519 key.
//!   Its subject and name are the fixed string [`CERT_NAME`]: nothing in it
//!   identifies the operator. Clients trust it only through the pin (SHA-256
//!   of its SubjectPublicKeyInfo) carried in the relay address.
//! - [`TLS_KEY_FILE`]: that key (PKCS#8 DER).
//! - [`LOG_KEY_FILE`]: the 32-byte Ed25519 seed that signs transparency-log
//!   checkpoints.
//! - [`ADDRESS_FILE`]: the one-line relay address to hand to clients.
//!
//! Every file is written with mode 0600 and made durable (write a temporary
//! file, fsync, link it into place, fsync the directory). Key files are never
//! overwritten: they are the relay's identity, and every invite in
//! circulation pins them. Private key bytes are held in zeroizing buffers
//! for as long as this module holds them.
//!
//! This module never logs; its errors name files, never key bytes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ed25519_dalek::SigningKey;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_ED25519};
use rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};
use rustls::sign::CertifiedKey;
use sanad_protocol::{RelayAddress, SpkiPin};
use zeroize::Zeroizing;

/// The certificate file (DER).
pub const TLS_CERT_FILE: &str = "tls-cert.der";
/// The TLS private key file (PKCS#8 DER).
pub const TLS_KEY_FILE: &str = "tls-key.p8";
/// The transparency-log signing key file (32-byte Ed25519 seed).
pub const LOG_KEY_FILE: &str = "log-key.ed25519";
/// The file holding the relay address line.
pub const ADDRESS_FILE: &str = "relay.addr";
/// The certificate's subject common name and only subject alternative name.
pub const CERT_NAME: &str = "sanad-relay";

/// Largest key or certificate file read (they are a few hundred bytes).
const MAX_KEY_FILE_LEN: u64 = 16 * 1024;
/// Largest address file read.
const MAX_ADDRESS_FILE_LEN: u64 = 1024;
/// Length of an Ed25519 seed.
const SEED_LEN: usize = 32;

/// Why keys could not be created or loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// `init` found keys already there.
    #[error(
        "{} already holds relay keys; refusing to replace them, because every \
         invite in circulation pins them",
        .dir.display()
    )]
    AlreadyInitialised {
        /// The data directory.
        dir: PathBuf,
    },
    /// No keys in the data directory.
    #[error(
        "there are no relay keys in {}; run `sanad-relay init --data-dir {}` first",
        .dir.display(),
        .dir.display()
    )]
    NotInitialised {
        /// The data directory.
        dir: PathBuf,
    },
    /// A file could not be read or written.
    #[error("cannot use {}: {source}", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A file does not hold what it should (damaged, truncated, replaced).
    #[error("{} is damaged or is not a Sanad relay file", .path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
    },
    /// Certificate and private key do not belong together.
    #[error(
        "the certificate {} does not match the private key beside it",
        .path.display()
    )]
    Mismatch {
        /// The certificate file.
        path: PathBuf,
    },
    /// A private key file can be read by other users.
    #[error(
        "{} can be read by other users (mode {:o}); run `chmod 600 {}`",
        .path.display(),
        .mode,
        .path.display()
    )]
    Permissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The public host cannot be written in a relay address.
    #[error("'{host}' is not a host name or IP address that can go in a relay address")]
    BadHost {
        /// The rejected host.
        host: String,
    },
    /// Port 0 cannot be published.
    #[error("port 0 cannot go in a relay address; give the port clients connect to")]
    BadPort,
    /// The address file is missing.
    #[error(
        "there is no relay address in {}; write one with \
         `sanad-relay address --data-dir DIR --public-host HOST`",
        .path.display()
    )]
    NoAddress {
        /// The address file.
        path: PathBuf,
    },
    /// The address file does not match the keys.
    #[error(
        "{} was written for other keys; rewrite it with `sanad-relay address --public-host`",
        .path.display()
    )]
    AddressMismatch {
        /// The address file.
        path: PathBuf,
    },
    /// Certificate generation failed.
    #[error("cannot generate the relay certificate: {0}")]
    Generate(#[from] rcgen::Error),
}

/// The relay's loaded keys. Prints nothing secret.
pub struct RelayKeys {
    certified: Arc<CertifiedKey>,
    pin: SpkiPin,
    log_key: SigningKey,
}

impl std::fmt::Debug for RelayKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayKeys")
            .field("pin", &self.pin)
            .finish_non_exhaustive()
    }
}

impl RelayKeys {
    /// The pin clients check: SHA-256 of the certificate's SubjectPublicKeyInfo.
    pub fn pin(&self) -> SpkiPin {
        self.pin
    }

    /// The certificate (DER).
    pub fn certificate(&self) -> &CertificateDer<'static> {
        &self.certified.cert[0]
    }

    /// Certificate chain and parsed signing key, ready for rustls. The
    /// private key's DER bytes are not kept: they were zeroized once parsed.
    pub fn certified_key(&self) -> Arc<CertifiedKey> {
        Arc::clone(&self.certified)
    }

    /// The transparency-log signing key (zeroized on drop).
    pub fn log_signing_key(&self) -> &SigningKey {
        &self.log_key
    }
}

/// True when `host` can be written in a relay address and read back unchanged.
pub fn valid_host(host: &str) -> bool {
    let a = RelayAddress {
        host: host.to_string(),
        port: 1,
        pin: SpkiPin([0; 32]),
    };
    a.to_string().parse::<RelayAddress>().as_ref() == Ok(&a)
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> KeyError + '_ {
    move |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Create the relay's keys in `data_dir` (created with mode 0700 if missing,
/// tightened to 0700 if not) and write the address file for `public_host`
/// and `port`. Refuses to replace existing keys.
pub fn init(data_dir: &Path, public_host: &str, port: u16) -> Result<RelayAddress, KeyError> {
    if !valid_host(public_host) {
        return Err(KeyError::BadHost {
            host: public_host.to_string(),
        });
    }
    if port == 0 {
        return Err(KeyError::BadPort);
    }
    create_private_dir(data_dir)?;
    if any_key_file_exists(data_dir)? {
        return Err(KeyError::AlreadyInitialised {
            dir: data_dir.to_path_buf(),
        });
    }

    let key_pair = KeyPair::generate_for(&PKCS_ED25519)?;
    let key_der = Zeroizing::new(key_pair.serialize_der());
    let pin = SpkiPin::of_spki(&key_pair.public_key_der());
    let mut params = CertificateParams::new(vec![CERT_NAME.to_string()])?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, CERT_NAME);
    params.distinguished_name = name;
    let cert = params.self_signed(&key_pair)?;
    drop(key_pair);

    let log_key = SigningKey::generate(&mut rand_core::OsRng);
    let log_seed = Zeroizing::new(log_key.to_bytes());

    write_new_files(
        data_dir,
        &[
            (TLS_CERT_FILE, cert.der().as_ref()),
            (TLS_KEY_FILE, key_der.as_slice()),
            (LOG_KEY_FILE, log_seed.as_slice()),
        ],
    )?;
    let address = RelayAddress {
        host: public_host.to_string(),
        port,
        pin,
    };
    write_address(data_dir, &address)?;
    Ok(address)
}

/// Load the keys from `data_dir`, checking that the certificate belongs to
/// the private key and that private key files are readable by their owner only.
pub fn load(data_dir: &Path) -> Result<RelayKeys, KeyError> {
    if !any_key_file_exists(data_dir)? {
        return Err(KeyError::NotInitialised {
            dir: data_dir.to_path_buf(),
        });
    }
    let cert_path = data_dir.join(TLS_CERT_FILE);
    let key_path = data_dir.join(TLS_KEY_FILE);
    let log_path = data_dir.join(LOG_KEY_FILE);

    let cert = read_file(&cert_path, MAX_KEY_FILE_LEN, false)?;
    let key_der = read_file(&key_path, MAX_KEY_FILE_LEN, true)?;
    let seed = read_file(&log_path, MAX_KEY_FILE_LEN, true)?;

    let signing =
        rustls::crypto::ring::sign::any_eddsa_type(&PrivatePkcs8KeyDer::from(key_der.as_slice()))
            .map_err(|_| KeyError::Corrupt {
            path: key_path.clone(),
        })?;
    drop(key_der);
    let certified = CertifiedKey::new(vec![CertificateDer::from(cert.to_vec())], signing);
    match certified.keys_match() {
        Ok(()) => {}
        Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch)) => {
            return Err(KeyError::Mismatch { path: cert_path });
        }
        Err(_) => return Err(KeyError::Corrupt { path: cert_path }),
    }
    let spki = certified.key.public_key().ok_or(KeyError::Corrupt {
        path: key_path.clone(),
    })?;
    let pin = SpkiPin::of_spki(spki.as_ref());

    let seed: Zeroizing<[u8; SEED_LEN]> = Zeroizing::new(
        seed.as_slice()
            .try_into()
            .map_err(|_| KeyError::Corrupt { path: log_path })?,
    );
    let log_key = SigningKey::from_bytes(&seed);

    Ok(RelayKeys {
        certified: Arc::new(certified),
        pin,
        log_key,
    })
}

/// The address line from [`ADDRESS_FILE`], checked against the keys.
pub fn address(data_dir: &Path) -> Result<RelayAddress, KeyError> {
    let keys = load(data_dir)?;
    let path = data_dir.join(ADDRESS_FILE);
    if !path.exists() {
        return Err(KeyError::NoAddress { path });
    }
    let text = read_file(&path, MAX_ADDRESS_FILE_LEN, false)?;
    let address: RelayAddress = std::str::from_utf8(&text)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(KeyError::Corrupt { path: path.clone() })?;
    if !address.pin.ct_eq(&keys.pin()) {
        return Err(KeyError::AddressMismatch { path });
    }
    Ok(address)
}

/// Rewrite [`ADDRESS_FILE`] for a new public host and/or port (the pin comes
/// from the keys). Returns the new address.
pub fn set_address(
    data_dir: &Path,
    public_host: &str,
    port: u16,
) -> Result<RelayAddress, KeyError> {
    if !valid_host(public_host) {
        return Err(KeyError::BadHost {
            host: public_host.to_string(),
        });
    }
    if port == 0 {
        return Err(KeyError::BadPort);
    }
    let keys = load(data_dir)?;
    let address = RelayAddress {
        host: public_host.to_string(),
        port,
        pin: keys.pin(),
    };
    write_address(data_dir, &address)?;
    Ok(address)
}

fn any_key_file_exists(dir: &Path) -> Result<bool, KeyError> {
    for name in [TLS_CERT_FILE, TLS_KEY_FILE, LOG_KEY_FILE] {
        let path = dir.join(name);
        match fs::symlink_metadata(&path) {
            Ok(_) => return Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path)(e)),
        }
    }
    Ok(false)
}

fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(io_err(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io_err(dir))?;
    }
    Ok(())
}

fn tmp_name(name: &str) -> String {
    format!(".{name}.tmp")
}

/// Write `contents` to a fresh temporary file beside its target, mode 0600,
/// fsync'd. A temporary file left by an interrupted run is replaced.
fn write_tmp(dir: &Path, name: &str, contents: &[u8]) -> Result<PathBuf, KeyError> {
    let tmp = dir.join(tmp_name(name));
    match fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(&tmp)(e)),
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(io_err(&tmp))?;
    file.write_all(contents).map_err(io_err(&tmp))?;
    file.sync_all().map_err(io_err(&tmp))?;
    Ok(tmp)
}

fn sync_dir(dir: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))?;
    Ok(())
}

/// Create each file durably; fail without replacing anything if one exists.
/// Linking (not renaming) the temporary file into place is what refuses to
/// overwrite, atomically.
fn write_new_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), KeyError> {
    let mut tmps = Vec::with_capacity(files.len());
    let result = (|| {
        for (name, contents) in files {
            tmps.push(write_tmp(dir, name, contents)?);
        }
        let mut linked = Vec::with_capacity(files.len());
        for ((name, _), tmp) in files.iter().zip(&tmps) {
            let path = dir.join(name);
            if let Err(e) = fs::hard_link(tmp, &path) {
                for done in &linked {
                    let _ = fs::remove_file(done);
                }
                return Err(if e.kind() == io::ErrorKind::AlreadyExists {
                    KeyError::AlreadyInitialised {
                        dir: dir.to_path_buf(),
                    }
                } else {
                    io_err(&path)(e)
                });
            }
            linked.push(path);
        }
        Ok(())
    })();
    for tmp in &tmps {
        let _ = fs::remove_file(tmp);
    }
    result?;
    sync_dir(dir)
}

/// Write the address file, replacing it atomically.
fn write_address(dir: &Path, address: &RelayAddress) -> Result<(), KeyError> {
    let path = dir.join(ADDRESS_FILE);
    let tmp = write_tmp(dir, ADDRESS_FILE, format!("{address}\n").as_bytes())?;
    if let Err(e) = fs::rename(&tmp, &path) {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(&path)(e));
    }
    sync_dir(dir)
}

/// Read a whole file of at most `max` bytes into a zeroizing buffer.
/// `secret` files must not be accessible to group or others.
fn read_file(path: &Path, max: u64, secret: bool) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(KeyError::Corrupt {
                path: path.to_path_buf(),
            })
        }
        Err(e) => return Err(io_err(path)(e)),
    };
    let meta = file.metadata().map_err(io_err(path))?;
    if !meta.is_file() || meta.len() > max {
        return Err(KeyError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Permissions {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = secret;
    // Capacity for the whole file up front, so that no reallocation leaves a
    // copy of secret bytes behind.
    let cap = usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1);
    let mut buf = Zeroizing::new(Vec::with_capacity(cap));
    file.take(max + 1)
        .read_to_end(&mut buf)
        .map_err(io_err(path))?;
    if buf.len() as u64 > max {
        return Err(KeyError::Corrupt {
            path: path.to_path_buf(),
        });
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    #[test]
    fn init_then_load_gives_the_same_pin_and_address() {
        let d = dir();
        let data = d.path().join("relay");
        let addr = init(&data, "relay.example.org", 7443).expect("init");
        let keys = load(&data).expect("load");
        assert_eq!(keys.pin(), addr.pin);
        assert_eq!(addr.host, "relay.example.org");
        assert_eq!(addr.port, 7443);
        let line = fs::read_to_string(data.join(ADDRESS_FILE)).expect("address file");
        assert_eq!(line, format!("{addr}\n"));
        assert_eq!(address(&data).expect("address"), addr);
        // The log key round-trips too.
        let again = load(&data).expect("load again");
        assert_eq!(
            again.log_signing_key().verifying_key(),
            keys.log_signing_key().verifying_key()
        );
    }

    #[test]
    fn pin_is_the_hash_of_the_spki_inside_the_certificate() {
        let d = dir();
        let addr = init(d.path(), "127.0.0.1", 7443).expect("init");
        let keys = load(d.path()).expect("load");
        let cert = webpki::EndEntityCert::try_from(keys.certificate()).expect("parse cert");
        let spki = cert.subject_public_key_info();
        assert_eq!(SpkiPin::of_spki(spki.as_ref()), addr.pin);
    }

    #[test]
    fn certificate_names_nothing_but_sanad_relay() {
        let d = dir();
        init(d.path(), "operator-home.example", 7443).expect("init");
        let der = fs::read(d.path().join(TLS_CERT_FILE)).expect("cert");
        let find = |needle: &[u8]| der.windows(needle.len()).any(|w| w == needle);
        assert!(find(CERT_NAME.as_bytes()));
        assert!(!find(b"operator-home"));
        assert!(!find(b"rcgen"));
    }

    #[test]
    fn init_refuses_to_overwrite_existing_keys() {
        let d = dir();
        let first = init(d.path(), "127.0.0.1", 7443).expect("init");
        let before = fs::read(d.path().join(TLS_KEY_FILE)).expect("key");
        let err = init(d.path(), "127.0.0.1", 7443).expect_err("second init must fail");
        assert!(matches!(err, KeyError::AlreadyInitialised { .. }), "{err}");
        assert_eq!(fs::read(d.path().join(TLS_KEY_FILE)).expect("key"), before);
        assert_eq!(load(d.path()).expect("load").pin(), first.pin);
    }

    #[test]
    fn init_refuses_when_only_one_key_file_is_present() {
        let d = dir();
        fs::write(d.path().join(LOG_KEY_FILE), [0u8; 32]).expect("write");
        let err = init(d.path(), "127.0.0.1", 7443).expect_err("must refuse");
        assert!(matches!(err, KeyError::AlreadyInitialised { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn key_files_and_directory_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        let data = d.path().join("relay");
        init(&data, "127.0.0.1", 7443).expect("init");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        for f in [TLS_CERT_FILE, TLS_KEY_FILE, LOG_KEY_FILE, ADDRESS_FILE] {
            assert_eq!(mode(&data.join(f)), 0o600, "{f}");
        }
        let leftovers: Vec<_> = fs::read_dir(&data)
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn load_refuses_a_key_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir();
        init(d.path(), "127.0.0.1", 7443).expect("init");
        let key = d.path().join(TLS_KEY_FILE);
        fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(matches!(load(d.path()), Err(KeyError::Permissions { .. })));
    }

    #[test]
    fn load_without_init_says_to_run_init() {
        let d = dir();
        let err = load(d.path()).expect_err("no keys");
        assert!(matches!(err, KeyError::NotInitialised { .. }));
        assert!(err.to_string().contains("sanad-relay init"), "{err}");
    }

    #[test]
    fn load_detects_a_certificate_from_other_keys() {
        let a = dir();
        let b = dir();
        init(a.path(), "127.0.0.1", 7443).expect("init a");
        init(b.path(), "127.0.0.1", 7443).expect("init b");
        fs::copy(b.path().join(TLS_CERT_FILE), a.path().join(TLS_CERT_FILE)).expect("copy");
        assert!(matches!(load(a.path()), Err(KeyError::Mismatch { .. })));
    }

    #[test]
    fn load_detects_damaged_files() {
        let d = dir();
        init(d.path(), "127.0.0.1", 7443).expect("init");
        fs::write(d.path().join(LOG_KEY_FILE), [1u8; 31]).expect("truncate");
        assert!(matches!(load(d.path()), Err(KeyError::Corrupt { .. })));

        let d = dir();
        init(d.path(), "127.0.0.1", 7443).expect("init");
        fs::write(d.path().join(TLS_KEY_FILE), b"not a key").expect("damage");
        assert!(matches!(load(d.path()), Err(KeyError::Corrupt { .. })));
    }

    #[test]
    fn init_rejects_hosts_and_ports_that_cannot_be_published() {
        let d = dir();
        for host in ["", "a b", "x/y", "[::1]", "host:1"] {
            assert!(
                matches!(init(d.path(), host, 7443), Err(KeyError::BadHost { .. })),
                "{host}"
            );
        }
        assert!(matches!(
            init(d.path(), "127.0.0.1", 0),
            Err(KeyError::BadPort)
        ));
        assert!(valid_host("::1"));
        assert!(valid_host("relay-1.example.org"));
    }

    #[test]
    fn set_address_keeps_the_pin_and_changes_host_and_port() {
        let d = dir();
        let first = init(d.path(), "127.0.0.1", 7443).expect("init");
        let second = set_address(d.path(), "relay.example.org", 443).expect("set");
        assert_eq!(second.pin, first.pin);
        assert_eq!(address(d.path()).expect("address"), second);
        fs::remove_file(d.path().join(ADDRESS_FILE)).expect("remove");
        assert!(matches!(address(d.path()), Err(KeyError::NoAddress { .. })));
        let third = set_address(d.path(), "10.0.0.1", 7443).expect("rewrite");
        assert_eq!(address(d.path()).expect("address"), third);
    }
}
