//! `sanad-bench`: runs the benchmarks of `sanad_tests::bench` and prints
//! each as a markdown table (progress goes to standard error). The figures
//! in `docs/benchmarks.md` come from this binary.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use sanad_protocol::RelayAddress;
use sanad_tests::bench::{self, BenchError, DepositSettings, RssSettings, UploadSettings};

const USAGE: &str = "\
Usage: sanad-bench <COMMAND> [OPTIONS]

Build both binaries first: cargo build --release -p sanad-tests --bins
(deposits and rss run `relay-under-test` from the same directory).

Commands:
  upload     1 GiB blob upload/download over loopback vs raw quinn
             [--size BYTES] [--reps N] [--concurrency 1,2,4]
             [--tcp N (0 skips)] [--download yes|no]
             [--baseline yes|no (no: to profile Sanad alone)]
             [--reference yes|no (the relay's storage alone, and the
              raw transfer while it stores the same bytes; default yes)]
             [--congestion bbr,cubic (both ends; ratios per controller)]
  deposits   durable 1 KiB deposits/s and latency, 100 and 10 clients
             [--seconds S] [--reps N] [--clients 100,10]
  rss        relay peak RSS under 200 concurrent 256 KiB uploads;
             client peak RSS for 1 MiB, 64 MiB, 1 GiB uploads  [--bursts N]
  parts      cost of the pieces of an upload (SHA-256, fsync, quinn)
             [--reps N] [--size BYTES of sustained segment writes]
  all        every benchmark above, in that order
  client-upload --relay ADDR --file PATH --size BYTES
             (internal: the child process of `rss`)
";

/// `--name value` options after the command.
struct Opts(Vec<String>);

impl Opts {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }

    fn num<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, BenchError> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("{name}: not a number: {v}").into())
            })
            .transpose()
    }

    fn nums(&self, name: &str) -> Result<Option<Vec<usize>>, BenchError> {
        self.get(name)
            .map(|v| {
                v.split(',')
                    .map(|x| {
                        x.trim()
                            .parse()
                            .map_err(|_| format!("{name}: bad list: {v}").into())
                    })
                    .collect()
            })
            .transpose()
    }
}

fn upload_settings(o: &Opts) -> Result<UploadSettings, BenchError> {
    let mut s = UploadSettings::default();
    s.size = o.num("--size")?.unwrap_or(s.size);
    s.reps = o.num("--reps")?.unwrap_or(s.reps);
    s.concurrencies = o.nums("--concurrency")?.unwrap_or(s.concurrencies);
    if let Some(c) = o.num::<usize>("--tcp")? {
        s.tcp_concurrency = (c > 0).then_some(c);
    }
    if let Some(d) = o.get("--download") {
        s.download = d != "no";
    }
    if let Some(b) = o.get("--reference") {
        s.reference = b != "no";
    }
    if let Some(b) = o.get("--baseline") {
        s.baseline = b != "no";
    }
    if let Some(list) = o.get("--congestion") {
        s.congestion = list
            .split(',')
            .map(|c| c.trim().parse())
            .collect::<Result<_, String>>()?;
    }
    Ok(s)
}

fn deposit_settings(o: &Opts) -> Result<DepositSettings, BenchError> {
    let mut s = DepositSettings::default();
    if let Some(secs) = o.num::<u64>("--seconds")? {
        s.duration = Duration::from_secs(secs);
    }
    s.reps = o.num("--reps")?.unwrap_or(s.reps);
    s.clients = o.nums("--clients")?.unwrap_or(s.clients);
    Ok(s)
}

fn rss_settings(o: &Opts) -> Result<RssSettings, BenchError> {
    let mut s = RssSettings::default();
    s.bursts = o.num("--bursts")?.unwrap_or(s.bursts);
    Ok(s)
}

async fn run(command: &str, o: &Opts) -> Result<(), BenchError> {
    match command {
        "upload" => println!("{}", bench::upload(&upload_settings(o)?).await?),
        "deposits" => println!("{}", bench::deposits(&deposit_settings(o)?).await?),
        "rss" => println!("{}", bench::rss(&rss_settings(o)?).await?),
        "parts" => {
            let u = upload_settings(o)?;
            println!("{}", bench::parts(u.reps, u.size).await?);
        }
        "all" => {
            println!("Machine: {}\n", bench::machine());
            let u = upload_settings(o)?;
            println!("{}", bench::parts(u.reps, u.size).await?);
            println!("{}", bench::upload(&upload_settings(o)?).await?);
            println!("{}", bench::deposits(&deposit_settings(o)?).await?);
            println!("{}", bench::rss(&rss_settings(o)?).await?);
        }
        "client-upload" => {
            let relay: RelayAddress = o.get("--relay").ok_or("--relay is required")?.parse()?;
            let file = PathBuf::from(o.get("--file").ok_or("--file is required")?);
            let size = o.num("--size")?.ok_or("--size is required")?;
            println!("{}", bench::client_upload(&relay, &file, size).await?);
        }
        other => return Err(format!("unknown command `{other}`\n\n{USAGE}").into()),
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(command) = args.next() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    if command == "-h" || command == "--help" {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let opts = Opts(args.collect());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sanad-bench: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&command, &opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sanad-bench {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
