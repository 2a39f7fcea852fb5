//! The `sanad-relay` command line: argument parsing, logging setup, and one
//! clear sentence on standard error when something fails. `main.rs` only
//! calls [`cli_main`]; test crates can wrap it in their own binary.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, Congestion, LogLevel, QuotaConfig, TcpListen, DEFAULT_PORT};
use crate::keys;
use crate::server;

const ABOUT: &str =
    "Sanad relay: stores and forwards encrypted messages and files for Sanad clients.";

const LONG_ABOUT: &str = "\
Sanad relay: stores and forwards encrypted messages and files for Sanad clients.

The relay sees only random mailbox identifiers and padded ciphertext. It keeps no accounts, \
no names and no IP addresses, and its logs never contain identifiers, keys, content or \
client addresses.

Typical use:
  sanad-relay init --data-dir /var/lib/sanad-relay --public-host relay.example.org
  sanad-relay run  --data-dir /var/lib/sanad-relay

`init` prints the relay address (sanad://HOST:PORT?pin=...). Give that line to the people \
who will use this relay: it tells their apps where the relay is and which key it must show.";

#[derive(Debug, Parser)]
#[command(name = "sanad-relay", version, about = ABOUT, long_about = LONG_ABOUT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create the relay's keys in a new data directory and print its address.
    #[command(long_about = "\
Create the relay's keys in the data directory and print the relay address.

This creates the directory if needed (readable only by you), a TLS certificate and key that \
identify this relay, and a key that will sign the relay's transparency log. It writes the \
address line to DIR/relay.addr and prints it. It never replaces existing keys: every invite \
already given out names them, so replacing them would cut those people off.")]
    Init(InitArgs),
    /// Serve clients until stopped with Ctrl-C or SIGTERM.
    #[command(long_about = "\
Serve clients until stopped with Ctrl-C or SIGTERM.

The relay listens for QUIC on a UDP port and, for networks that block UDP, for TLS on the \
TCP port with the same number. Settings come from the configuration file (--config) if \
given; any option on the command line overrides the file. Once listening, the relay prints \
its address line (with the port it actually got) on standard output. When stopped, it \
finishes the requests in progress (waiting at most 30 seconds) and saves everything to disk \
before exiting.")]
    Run(Box<RunArgs>),
    /// Print the relay address again, or change its host name or port.
    #[command(long_about = "\
Print the relay address line again (from DIR/relay.addr, checked against the keys).

With --public-host or --port, rewrite the address for a new host name or port first. The \
keys do not change, so existing invites keep working if the old name still reaches this \
machine.")]
    Address(AddressArgs),
    /// Print the public key that signs the relay's transparency log.
    #[command(long_about = "\
Print the public key that signs the relay's transparency log, as one line (a C2SP verifier \
key: sanad/log/<key in hex>+<key ID>+<key in base64>).

Give this line to whoever checks receipts and checkpoints from this relay, for instance the \
evidence desk: with it, and nothing else, they can verify offline that a commitment was \
logged. It never changes: the key is created once by `init`.")]
    LogKey(DataDirArg),
}

#[derive(Debug, Args)]
struct DataDirArg {
    /// The directory holding the relay's keys and stored data. Only the user running the relay should be able to read it.
    #[arg(long, value_name = "DIR", env = "SANAD_RELAY_DATA_DIR")]
    data_dir: PathBuf,
}

#[derive(Debug, Args)]
struct InitArgs {
    #[command(flatten)]
    dir: DataDirArg,
    /// The host name or IP address clients use to reach this relay, written into the address line. Without it the address says 127.0.0.1, which works only on this machine; fix it later with `sanad-relay address --public-host`.
    #[arg(long, value_name = "HOST")]
    public_host: Option<String>,
    /// The UDP port clients connect to, written into the address line. Use the port the relay will listen on (or the one your firewall forwards to it).
    #[arg(long, value_name = "PORT", default_value_t = DEFAULT_PORT)]
    port: u16,
}

#[derive(Debug, Args)]
struct AddressArgs {
    #[command(flatten)]
    dir: DataDirArg,
    /// Rewrite the address with this host name or IP address.
    #[arg(long, value_name = "HOST")]
    public_host: Option<String>,
    /// Rewrite the address with this port.
    #[arg(long, value_name = "PORT")]
    port: Option<u16>,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// The directory holding the relay's keys and stored data (created by `sanad-relay init`). Required here or as data_dir in the configuration file.
    #[arg(long, value_name = "DIR", env = "SANAD_RELAY_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// A TOML configuration file. Options given on the command line override its settings. Unknown keys are an error, so typing mistakes are caught.
    #[arg(long, value_name = "FILE", env = "SANAD_RELAY_CONFIG")]
    config: Option<PathBuf>,
    /// The IP address and UDP port to listen on for QUIC. The default, 0.0.0.0:7443, listens on every IPv4 interface; use [::]:7443 for IPv6 as well. Port 0 lets the system choose a free port.
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Where to listen for TLS over TCP, the fallback for networks that block UDP: an IP address and port, or `off` to disable it. By default the relay uses the --listen address with the same port number as QUIC.
    #[arg(long, value_name = "ADDR|off", value_parser = parse_tcp_listen)]
    tcp_listen: Option<TcpListen>,
    /// The host name or IP address clients use to reach this relay, for the address line printed at start. By default the host saved by `init` in DIR/relay.addr is used.
    #[arg(long, value_name = "HOST")]
    public_host: Option<String>,
    /// How QUIC adapts its sending rate to the network. `bbr` (the default) keeps files moving on lossy mobile links; `cubic` is the classic, more conservative choice.
    #[arg(long, value_enum, value_name = "ALGORITHM")]
    congestion: Option<Congestion>,
    /// Turn off UDP segmentation offload (GSO), a network-card feature that speeds up sending. Use this only if clients cannot connect over QUIC and the logs or your network card's documentation point to GSO.
    #[arg(long)]
    disable_gso: bool,
    /// How much the relay writes to its log (standard error). `info` logs one line at start and one at stop. No level ever logs client addresses, identifiers, keys or content.
    #[arg(long, value_enum, value_name = "LEVEL")]
    log_level: Option<LogLevel>,
    /// The most messages one mailbox may hold; further deposits are refused until its owner fetches and deletes some. Default: 10000.
    #[arg(long, value_name = "COUNT")]
    max_messages_per_mailbox: Option<u64>,
    /// The most bytes of messages one mailbox may hold. Default: 268435456 (256 MiB).
    #[arg(long, value_name = "BYTES")]
    max_bytes_per_mailbox: Option<u64>,
    /// The largest message accepted, in bytes. It cannot exceed the protocol's limit of 262144 (256 KiB), which is also the default.
    #[arg(long, value_name = "BYTES")]
    max_message_len: Option<u64>,
    /// The largest file (blob) accepted, in bytes. It cannot exceed the protocol's limit of 4294967296 (4 GiB), which is also the default.
    #[arg(long, value_name = "BYTES")]
    max_blob_len: Option<u64>,
    /// The most bytes all files together may take on disk; 0, the default, means no limit other than the disk itself.
    #[arg(long, value_name = "BYTES")]
    max_total_blob_bytes: Option<u64>,
    /// Messages not fetched and deleted within this many days are deleted by the relay. Default: 30.
    #[arg(long, value_name = "DAYS")]
    message_ttl_days: Option<u32>,
    /// Files (blobs), complete or not, are deleted this many days after they were created. Default: 30.
    #[arg(long, value_name = "DAYS")]
    blob_ttl_days: Option<u32>,
}

fn parse_tcp_listen(s: &str) -> Result<TcpListen, String> {
    s.parse()
        .map_err(|e: crate::config::ConfigError| e.to_string())
}

impl RunArgs {
    /// The command line as a configuration layer.
    fn into_config(self) -> (Option<PathBuf>, Config) {
        let flags = Config {
            data_dir: self.data_dir,
            listen: self.listen,
            tcp_listen: self.tcp_listen,
            public_host: self.public_host,
            congestion: self.congestion,
            disable_gso: self.disable_gso.then_some(true),
            log_level: self.log_level,
            quotas: QuotaConfig {
                max_messages_per_mailbox: self.max_messages_per_mailbox,
                max_bytes_per_mailbox: self.max_bytes_per_mailbox,
                max_message_len: self.max_message_len,
                max_blob_len: self.max_blob_len,
                max_total_blob_bytes: self.max_total_blob_bytes,
                message_ttl_days: self.message_ttl_days,
                blob_ttl_days: self.blob_ttl_days,
            },
        };
        (self.config, flags)
    }
}

/// Log to standard error: the relay's own messages at `level`, storage
/// warnings, and nothing from the network libraries (whose messages can
/// carry client addresses). No `log`-crate bridge is installed, for the same
/// reason.
fn init_logging(level: LogLevel) {
    let sled = match level {
        LogLevel::Off => "off",
        LogLevel::Error => "error",
        _ => "warn",
    };
    let filter = tracing_subscriber::EnvFilter::new(format!(
        "off,sanad_relay={level},sanad_protocol={level},sled={sled}"
    ));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
}

fn print_line(line: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to standard output: {e}"))
}

fn run(args: RunArgs) -> Result<(), String> {
    let (config_path, flags) = args.into_config();
    let file = match config_path {
        Some(p) => Config::load(&p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let config = file.merged(flags);
    init_logging(config.log_level.unwrap_or_default());
    let opts = config.into_options().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let relay = server::start(opts).await.map_err(|e| e.to_string())?;
        if let Err(e) = print_line(&relay.address().to_string()) {
            relay.shutdown().await;
            return Err(e);
        }
        relay.stop_on_signal().await.map_err(|e| e.to_string())
    })
}

fn dispatch(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Init(a) => {
            let host = match &a.public_host {
                Some(h) => h.as_str(),
                None => {
                    eprintln!(
                        "sanad-relay: no --public-host given, so the address uses 127.0.0.1, \
                         which works only on this machine; change it later with \
                         `sanad-relay address --public-host HOST`."
                    );
                    "127.0.0.1"
                }
            };
            let address = keys::init(&a.dir.data_dir, host, a.port).map_err(|e| e.to_string())?;
            print_line(&address.to_string())
        }
        Command::Address(a) => {
            let dir = &a.dir.data_dir;
            let address = match (a.public_host, a.port) {
                (None, None) => keys::address(dir),
                (host, port) => {
                    // Keep what is not being changed, if the current file is readable.
                    let current = keys::address(dir).ok();
                    let host = host
                        .or_else(|| current.as_ref().map(|c| c.host.clone()))
                        .ok_or("give --public-host as well: the current address cannot be read")?;
                    let port = port.or(current.map(|c| c.port)).unwrap_or(DEFAULT_PORT);
                    keys::set_address(dir, &host, port)
                }
            }
            .map_err(|e| e.to_string())?;
            print_line(&address.to_string())
        }
        Command::Run(a) => run(*a),
        Command::LogKey(a) => print_line(&log_vkey(&a.data_dir)?),
    }
}

/// The log key of the relay in `dir`, as a C2SP verifier key line.
fn log_vkey(dir: &std::path::Path) -> Result<String, String> {
    let keys = keys::load(dir).map_err(|e| e.to_string())?;
    let key = sanad_protocol::LogKey::new(keys.log_signing_key().verifying_key());
    Ok(key.verifier().to_vkey())
}

/// Parse the command line, run the command, and turn any failure into one
/// sentence on standard error and a non-zero exit code (2 for usage errors,
/// 1 for everything else).
pub fn cli_main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sanad-relay: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_flags_become_a_configuration_layer() {
        let cli = Cli::try_parse_from([
            "sanad-relay",
            "run",
            "--data-dir",
            "/d",
            "--tcp-listen",
            "off",
            "--congestion",
            "cubic",
            "--disable-gso",
            "--blob-ttl-days",
            "3",
        ])
        .expect("parses");
        let Command::Run(args) = cli.command else {
            panic!("run expected");
        };
        let (path, flags) = args.into_config();
        assert_eq!(path, None);
        let o = flags.into_options().expect("valid");
        assert_eq!(o.tcp_listen, TcpListen::Off);
        assert_eq!(o.congestion, Congestion::Cubic);
        assert!(o.disable_gso);
        assert_eq!(o.quotas.blob_ttl.as_secs(), 3 * 86400);
    }

    #[test]
    fn log_key_prints_a_verifier_key_for_the_log_signing_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        keys::init(dir.path(), "127.0.0.1", 7443).expect("init");
        let line = log_vkey(dir.path()).expect("keys load");
        let v = sanad_protocol::log::note::NoteVerifier::from_vkey(&line).expect("a vkey");
        let k = keys::load(dir.path()).expect("load");
        assert_eq!(v.public_key(), &k.log_signing_key().verifying_key());
        assert!(line.starts_with("sanad/log/"), "{line}");
        let cli =
            Cli::try_parse_from(["sanad-relay", "log-key", "--data-dir", "/d"]).expect("parses");
        assert!(matches!(cli.command, Command::LogKey(_)));
    }

    #[test]
    fn a_bad_tcp_listen_value_is_a_usage_error() {
        let err = Cli::try_parse_from(["sanad-relay", "run", "--tcp-listen", "maybe"])
            .expect_err("bad value");
        assert!(err.use_stderr());
    }
}
