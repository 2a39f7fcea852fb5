//! `sanad-logbench`: runs the transparency-log benchmarks of
//! `sanad_tests::logbench` and prints each as a markdown table (progress goes
//! to standard error). The figures in `docs/benchmarks-log.md` come from it.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use sanad_client::TransportMode;
use sanad_tests::bench::BenchError;
use sanad_tests::logbench::{self, ServiceSettings, StoreSettings, WireSettings};

const USAGE: &str = "\
Usage: sanad-logbench <COMMAND> [OPTIONS]

Build both binaries first: cargo build --release -p sanad-tests --bins
(wire runs `relay-under-test` from the same directory).

Commands:
  wire      durable log appends/s and latency through a relay on loopback
            [--appends N (200000)] [--clients C (32)] [--inflight I (8, at most 16)]
            [--reps R (3)] [--transport quic|tcp] [--verify N receipts per run (1000)]
  service   the same through the relay's request service, no network
            [--appends N (200000)] [--tasks T (256)] [--reps R (3)]
  store     the log store alone, one signed checkpoint and one flush per batch
            [--appends N (100000)] [--batch 1,16,256,4096]
  all       store, service, then wire
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
}

fn wire_settings(o: &Opts) -> Result<WireSettings, BenchError> {
    let mut s = WireSettings::default();
    s.appends = o.num("--appends")?.unwrap_or(s.appends);
    s.clients = o.num("--clients")?.unwrap_or(s.clients);
    s.inflight = o
        .num::<usize>("--inflight")?
        .unwrap_or(s.inflight)
        .clamp(1, 16);
    s.reps = o.num("--reps")?.unwrap_or(s.reps);
    s.verify_sample = o.num("--verify")?.unwrap_or(s.verify_sample);
    s.mode = match o.get("--transport") {
        None | Some("quic") => TransportMode::QuicOnly,
        Some("tcp") => TransportMode::TcpOnly,
        Some(other) => return Err(format!("--transport: quic or tcp, not {other}").into()),
    };
    Ok(s)
}

fn service_settings(o: &Opts) -> Result<ServiceSettings, BenchError> {
    let mut s = ServiceSettings::default();
    s.appends = o.num("--appends")?.unwrap_or(s.appends);
    s.tasks = o.num("--tasks")?.unwrap_or(s.tasks);
    s.reps = o.num("--reps")?.unwrap_or(s.reps);
    Ok(s)
}

fn store_settings(o: &Opts) -> Result<StoreSettings, BenchError> {
    let mut s = StoreSettings::default();
    s.appends = o.num("--appends")?.unwrap_or(s.appends);
    if let Some(v) = o.get("--batch") {
        s.batches = v
            .split(',')
            .map(|x| {
                x.trim()
                    .parse()
                    .map_err(|_| format!("--batch: bad list: {v}"))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(s)
}

async fn run(command: &str, o: &Opts) -> Result<(), BenchError> {
    match command {
        "wire" => println!("{}", logbench::wire(&wire_settings(o)?).await?),
        "service" => println!("{}", logbench::service(&service_settings(o)?).await?),
        "store" => println!("{}", logbench::store(&store_settings(o)?)?),
        "all" => {
            println!("Machine: {}\n", sanad_tests::bench::machine());
            println!("{}", logbench::store(&store_settings(o)?)?);
            println!("{}", logbench::service(&service_settings(o)?).await?);
            println!("{}", logbench::wire(&wire_settings(o)?).await?);
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
            eprintln!("sanad-logbench: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&command, &opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sanad-logbench {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
