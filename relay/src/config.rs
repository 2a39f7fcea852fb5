//! The relay's configuration: an optional TOML file, merged with
//! command-line flags (flags win), checked and turned into
//! [`RelayOptions`].
//!
//! Example file (every key optional; unknown keys are an error):
//!
//! ```toml
//! data_dir = "/var/lib/sanad-relay"
//! listen = "0.0.0.0:7443"
//! tcp_listen = "off"            # or an address; default: same port as `listen`
//! public_host = "relay.example.org"
//! congestion = "bbr"            # or "cubic"
//! disable_gso = false
//! log_level = "info"
//!
//! [quotas]
//! max_messages_per_mailbox = 10000
//! max_bytes_per_mailbox = 268435456
//! max_message_len = 262144
//! max_blob_len = 4294967296
//! max_total_blob_bytes = 0      # 0: no limit
//! message_ttl_days = 30
//! blob_ttl_days = 30
//! ```

use std::fmt;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;

use crate::keys::valid_host;
use crate::limits::Quotas;
use crate::server::RelayOptions;

/// Largest configuration file read.
pub const MAX_CONFIG_FILE_LEN: u64 = 64 * 1024;
/// Default UDP (and TCP) port.
pub const DEFAULT_PORT: u16 = 7443;
/// Default listening address.
pub const DEFAULT_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::UNSPECIFIED), DEFAULT_PORT);
/// Longest expiry accepted, in days (ten years).
pub const MAX_TTL_DAYS: u32 = 3650;

/// QUIC congestion controller.
///
/// BBR is the default: DESIGN §4 records that on a lossy 200 ms link quinn's
/// Cubic collapses (about 0.6 Mbit/s at 1 % loss) while BBR keeps most of the
/// bandwidth; the benchmarks will confirm or change this choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Congestion {
    /// Loss-based; quinn's default.
    Cubic,
    /// Model-based; holds throughput on lossy links.
    #[default]
    Bbr,
}

impl fmt::Display for Congestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Congestion::Cubic => "cubic",
            Congestion::Bbr => "bbr",
        })
    }
}

/// How much the relay logs. Only the relay's own messages are affected:
/// dependency logs stay off because they can carry client addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Nothing.
    Off,
    /// Failures only.
    Error,
    /// Failures and warnings.
    Warn,
    /// Start, stop and notable events.
    #[default]
    Info,
    /// Per-connection events (never addresses or identifiers).
    Debug,
    /// Everything the relay logs.
    Trace,
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        })
    }
}

/// Where the TLS-over-TCP fallback listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "String")]
pub enum TcpListen {
    /// The `listen` IP and the port the UDP socket got.
    #[default]
    SamePort,
    /// This address.
    Addr(SocketAddr),
    /// No TCP listener.
    Off,
}

impl FromStr for TcpListen {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("off") {
            return Ok(TcpListen::Off);
        }
        s.parse()
            .map(TcpListen::Addr)
            .map_err(|_| ConfigError::BadTcpListen(s.chars().take(80).collect()))
    }
}

impl TryFrom<String> for TcpListen {
    type Error = ConfigError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Why the configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration file {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_CONFIG_FILE_LEN`].
    #[error(
        "the configuration file {} is larger than {} bytes; is it the right file?",
        .path.display(),
        MAX_CONFIG_FILE_LEN
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The file is not valid TOML or holds an unknown key or a wrong type.
    #[error("the configuration is not valid: {0}")]
    Parse(String),
    /// `tcp_listen` is neither `off` nor an address.
    #[error("tcp_listen must be `off` or an address such as 0.0.0.0:7443, not '{0}'")]
    BadTcpListen(String),
    /// No data directory anywhere.
    #[error("no data directory given: use --data-dir or set data_dir in the configuration file")]
    MissingDataDir,
    /// `public_host` cannot go in a relay address.
    #[error("public_host '{0}' is not a host name or IP address that can go in a relay address")]
    BadPublicHost(String),
    /// A value is outside its allowed range.
    #[error("{field} is {value}, but it must be between {min} and {max}")]
    OutOfRange {
        /// Configuration key.
        field: &'static str,
        /// Given value.
        value: u64,
        /// Smallest allowed.
        min: u64,
        /// Largest allowed (for sizes: the wire protocol's maximum).
        max: u64,
    },
}

/// Quota settings as written in the file or on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaConfig {
    /// Messages a mailbox may hold.
    pub max_messages_per_mailbox: Option<u64>,
    /// Bytes of messages a mailbox may hold.
    pub max_bytes_per_mailbox: Option<u64>,
    /// Largest message body, bytes.
    pub max_message_len: Option<u64>,
    /// Largest blob, bytes.
    pub max_blob_len: Option<u64>,
    /// Total bytes of all blobs; 0 for no limit.
    pub max_total_blob_bytes: Option<u64>,
    /// Days before a message is deleted.
    pub message_ttl_days: Option<u32>,
    /// Days before a blob is deleted.
    pub blob_ttl_days: Option<u32>,
}

/// One layer of settings (the file, or the flags). `None` means "not set
/// here"; [`Config::merged`] stacks layers and [`Config::into_options`]
/// applies defaults and checks every value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where keys and data live.
    pub data_dir: Option<PathBuf>,
    /// UDP address for QUIC.
    pub listen: Option<SocketAddr>,
    /// TCP address for the TLS fallback.
    pub tcp_listen: Option<TcpListen>,
    /// Host name written in the relay address.
    pub public_host: Option<String>,
    /// QUIC congestion controller.
    pub congestion: Option<Congestion>,
    /// Turn off UDP segmentation offload.
    pub disable_gso: Option<bool>,
    /// Log verbosity.
    pub log_level: Option<LogLevel>,
    /// Quotas and expiry.
    #[serde(default)]
    pub quotas: QuotaConfig,
}

impl Config {
    /// Parse a TOML document.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        if text.len() as u64 > MAX_CONFIG_FILE_LEN {
            return Err(ConfigError::Parse(format!(
                "the text is larger than {MAX_CONFIG_FILE_LEN} bytes"
            )));
        }
        toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))
    }

    /// Read and parse a TOML file of at most [`MAX_CONFIG_FILE_LEN`] bytes.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let io = |source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut bytes = Vec::new();
        file.take(MAX_CONFIG_FILE_LEN + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_CONFIG_FILE_LEN {
            return Err(ConfigError::TooLarge {
                path: path.to_path_buf(),
            });
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| ConfigError::Parse(format!("{} is not UTF-8 text", path.display())))?;
        Config::from_toml(&text).map_err(|e| match e {
            ConfigError::Parse(m) => ConfigError::Parse(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// This layer with `over` on top: every setting `over` has wins.
    pub fn merged(self, over: Config) -> Config {
        let q = self.quotas;
        let o = over.quotas;
        Config {
            data_dir: over.data_dir.or(self.data_dir),
            listen: over.listen.or(self.listen),
            tcp_listen: over.tcp_listen.or(self.tcp_listen),
            public_host: over.public_host.or(self.public_host),
            congestion: over.congestion.or(self.congestion),
            disable_gso: over.disable_gso.or(self.disable_gso),
            log_level: over.log_level.or(self.log_level),
            quotas: QuotaConfig {
                max_messages_per_mailbox: o.max_messages_per_mailbox.or(q.max_messages_per_mailbox),
                max_bytes_per_mailbox: o.max_bytes_per_mailbox.or(q.max_bytes_per_mailbox),
                max_message_len: o.max_message_len.or(q.max_message_len),
                max_blob_len: o.max_blob_len.or(q.max_blob_len),
                max_total_blob_bytes: o.max_total_blob_bytes.or(q.max_total_blob_bytes),
                message_ttl_days: o.message_ttl_days.or(q.message_ttl_days),
                blob_ttl_days: o.blob_ttl_days.or(q.blob_ttl_days),
            },
        }
    }

    /// Apply defaults, check every value, and build the relay's options.
    pub fn into_options(self) -> Result<RelayOptions, ConfigError> {
        let data_dir = self.data_dir.ok_or(ConfigError::MissingDataDir)?;
        if let Some(h) = &self.public_host {
            if !valid_host(h) {
                return Err(ConfigError::BadPublicHost(h.chars().take(80).collect()));
            }
        }
        let mut opts = RelayOptions::new(data_dir);
        opts.listen = self.listen.unwrap_or(DEFAULT_LISTEN);
        opts.tcp_listen = self.tcp_listen.unwrap_or_default();
        opts.public_host = self.public_host;
        opts.congestion = self.congestion.unwrap_or_default();
        opts.disable_gso = self.disable_gso.unwrap_or(false);
        opts.quotas = self.quotas.into_quotas()?;
        Ok(opts)
    }
}

fn in_range(field: &'static str, value: u64, min: u64, max: u64) -> Result<u64, ConfigError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::OutOfRange {
            field,
            value,
            min,
            max,
        })
    }
}

fn days(field: &'static str, value: u32) -> Result<Duration, ConfigError> {
    let d = in_range(field, u64::from(value), 1, u64::from(MAX_TTL_DAYS))?;
    Ok(Duration::from_secs(d * 24 * 3600))
}

impl QuotaConfig {
    fn into_quotas(self) -> Result<Quotas, ConfigError> {
        use sanad_protocol::limits::{MAX_BLOB_LEN, MAX_MESSAGE_LEN};
        let mut q = Quotas::default();
        if let Some(v) = self.max_messages_per_mailbox {
            q.max_messages_per_mailbox =
                in_range("quotas.max_messages_per_mailbox", v, 1, u64::from(u32::MAX))?;
        }
        if let Some(v) = self.max_bytes_per_mailbox {
            q.max_bytes_per_mailbox = in_range("quotas.max_bytes_per_mailbox", v, 1, u64::MAX)?;
        }
        if let Some(v) = self.max_message_len {
            let v = in_range("quotas.max_message_len", v, 1, MAX_MESSAGE_LEN as u64)?;
            q.max_message_len = usize::try_from(v).unwrap_or(MAX_MESSAGE_LEN);
        }
        if let Some(v) = self.max_blob_len {
            q.max_blob_len = in_range("quotas.max_blob_len", v, 1, MAX_BLOB_LEN)?;
        }
        if let Some(v) = self.max_total_blob_bytes {
            q.max_total_blob_bytes = v;
        }
        if let Some(v) = self.message_ttl_days {
            q.message_ttl = days("quotas.message_ttl_days", v)?;
        }
        if let Some(v) = self.blob_ttl_days {
            q.blob_ttl = days("quotas.blob_ttl_days", v)?;
        }
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(text: &str) -> Result<RelayOptions, ConfigError> {
        Config::from_toml(text)?.into_options()
    }

    #[test]
    fn an_empty_file_with_a_data_dir_gives_the_defaults() {
        let o = opts("data_dir = \"/d\"").expect("valid");
        assert_eq!(o.data_dir, PathBuf::from("/d"));
        assert_eq!(o.listen, DEFAULT_LISTEN);
        assert_eq!(o.tcp_listen, TcpListen::SamePort);
        assert_eq!(o.congestion, Congestion::Bbr);
        assert!(!o.disable_gso);
        assert_eq!(o.quotas, Quotas::default());
    }

    #[test]
    fn every_key_is_read() {
        let o = opts(
            r#"
            data_dir = "/d"
            listen = "127.0.0.1:9000"
            tcp_listen = "off"
            public_host = "relay.example.org"
            congestion = "cubic"
            disable_gso = true
            log_level = "debug"
            [quotas]
            max_messages_per_mailbox = 5
            max_bytes_per_mailbox = 1000
            max_message_len = 1000
            max_blob_len = 2000
            max_total_blob_bytes = 3000
            message_ttl_days = 2
            blob_ttl_days = 3
            "#,
        )
        .expect("valid");
        assert_eq!(o.listen, "127.0.0.1:9000".parse().expect("addr"));
        assert_eq!(o.tcp_listen, TcpListen::Off);
        assert_eq!(o.public_host.as_deref(), Some("relay.example.org"));
        assert_eq!(o.congestion, Congestion::Cubic);
        assert!(o.disable_gso);
        assert_eq!(o.quotas.max_messages_per_mailbox, 5);
        assert_eq!(o.quotas.max_bytes_per_mailbox, 1000);
        assert_eq!(o.quotas.max_message_len, 1000);
        assert_eq!(o.quotas.max_blob_len, 2000);
        assert_eq!(o.quotas.max_total_blob_bytes, 3000);
        assert_eq!(o.quotas.message_ttl, Duration::from_secs(2 * 86400));
        assert_eq!(o.quotas.blob_ttl, Duration::from_secs(3 * 86400));
    }

    #[test]
    fn unknown_keys_are_refused_at_top_level_and_in_quotas() {
        for text in [
            "data_dir = \"/d\"\nlisten_port = 1",
            "data_dir = \"/d\"\n[quotas]\nmax_mesages_per_mailbox = 1",
        ] {
            let err = Config::from_toml(text).expect_err("unknown key");
            assert!(matches!(err, ConfigError::Parse(_)), "{err}");
            assert!(err.to_string().contains("unknown field"), "{err}");
        }
    }

    #[test]
    fn values_over_the_wire_maxima_are_refused() {
        let err = opts("data_dir = \"/d\"\n[quotas]\nmax_message_len = 262145").expect_err("over");
        assert!(
            matches!(
                err,
                ConfigError::OutOfRange {
                    field: "quotas.max_message_len",
                    max: 262144,
                    ..
                }
            ),
            "{err}"
        );
        let err = opts("data_dir = \"/d\"\n[quotas]\nmax_blob_len = 4294967297").expect_err("over");
        assert!(matches!(
            err,
            ConfigError::OutOfRange {
                field: "quotas.max_blob_len",
                ..
            }
        ));
        for zero in [
            "max_message_len",
            "message_ttl_days",
            "max_messages_per_mailbox",
        ] {
            let err = opts(&format!("data_dir = \"/d\"\n[quotas]\n{zero} = 0")).expect_err("zero");
            assert!(matches!(err, ConfigError::OutOfRange { .. }), "{zero}");
        }
        let err = opts("data_dir = \"/d\"\n[quotas]\nblob_ttl_days = 3651").expect_err("ttl");
        assert!(matches!(err, ConfigError::OutOfRange { .. }));
    }

    #[test]
    fn wrong_types_and_bad_addresses_are_refused() {
        for text in [
            "data_dir = \"/d\"\nlisten = \"nowhere\"",
            "data_dir = \"/d\"\ntcp_listen = \"sometimes\"",
            "data_dir = \"/d\"\ncongestion = \"reno\"",
            "data_dir = \"/d\"\n[quotas]\nmax_blob_len = -1",
            "data_dir = \"/d\"\ndisable_gso = \"yes\"",
        ] {
            assert!(
                matches!(Config::from_toml(text), Err(ConfigError::Parse(_))),
                "{text}"
            );
        }
        assert!(matches!(
            opts("data_dir = \"/d\"\npublic_host = \"a b\""),
            Err(ConfigError::BadPublicHost(_))
        ));
        assert!(matches!(opts(""), Err(ConfigError::MissingDataDir)));
    }

    #[test]
    fn an_oversized_file_is_refused_before_parsing() {
        let d = tempfile::tempdir().expect("temp dir");
        let path = d.path().join("relay.toml");
        let mut text = String::from("data_dir = \"/d\"\n");
        while (text.len() as u64) <= MAX_CONFIG_FILE_LEN {
            text.push_str("# padding padding padding padding padding padding padding\n");
        }
        std::fs::write(&path, &text).expect("write");
        assert!(matches!(
            Config::load(&path),
            Err(ConfigError::TooLarge { .. })
        ));
        assert!(matches!(
            Config::from_toml(&text),
            Err(ConfigError::Parse(_))
        ));
    }

    #[test]
    fn a_file_is_loaded_and_flags_win_over_it() {
        let d = tempfile::tempdir().expect("temp dir");
        let path = d.path().join("relay.toml");
        std::fs::write(
            &path,
            "data_dir = \"/file\"\ncongestion = \"cubic\"\n[quotas]\nblob_ttl_days = 7\nmessage_ttl_days = 9",
        )
        .expect("write");
        let file = Config::load(&path).expect("load");
        let flags = Config {
            data_dir: Some("/flag".into()),
            quotas: QuotaConfig {
                blob_ttl_days: Some(1),
                ..QuotaConfig::default()
            },
            ..Config::default()
        };
        let o = file.merged(flags).into_options().expect("valid");
        assert_eq!(o.data_dir, PathBuf::from("/flag"));
        assert_eq!(o.congestion, Congestion::Cubic);
        assert_eq!(o.quotas.blob_ttl, Duration::from_secs(86400));
        assert_eq!(o.quotas.message_ttl, Duration::from_secs(9 * 86400));
    }
}
