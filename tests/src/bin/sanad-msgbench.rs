//! `sanad-msgbench`: runs the messaging benchmarks of
//! `sanad_tests::msgbench` and prints each as a markdown table (progress
//! goes to standard error). The figures in `docs/benchmarks-messaging.md`
//! come from this binary.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use sanad_protocol::RelayAddress;
use sanad_tests::bench::{self, BenchError};
use sanad_tests::msgbench::{self, FileSettings, GroupSettings, LatencySettings};

const USAGE: &str = "\
Usage: sanad-msgbench <COMMAND> [OPTIONS]

Messaging benchmarks: what MLS, the encrypted profile store, the outbox and
age add on top of the relay. Each Sanad figure is measured next to a
relay-only baseline in the same run (ratios), every case on a fresh
in-process relay, cases interleaved, repetitions' median and every run.

Build first, in release mode (`file` runs the `sanad` CLI found next to
this binary):
  cargo build --release -p sanad-tests --bins && cargo build --release -p sanad-client

Commands:
  latency   one 100-byte text Alice -> Bob through a loopback relay, one in
            flight: time from `send_text` until Bob's `sync()` returns it
            (p50/p99/max), with Bob polling `sync()` on his own device and
            with the two taking turns; baseline: raw `deposit` + `fetch` of
            the same ciphertext size. ~1 min with the defaults.
  group     a team of --members profiles; everyone sends --per-member texts
            at once, then syncs until it has all the others'; delivered
            messages/s and per-member catch-up sync throughput; baseline:
            raw clients on one shared mailbox. ~1-2 min.
  file      `send_file` of a --size file (age into the spool while the
            spool is uploaded, then announce) against `Client::upload_file`
            of the same file; where the time goes; peak RSS of `sanad send
            --file` and of a raw upload, each as a child process. ~3 min for
            1 GiB.
  all       latency, group and file, in that order (under 10 min)
  client-upload --relay ADDR --file PATH --size BYTES
            (internal: the raw-upload child process of `file`)

Options (each applies to the commands that use it):
  --reps N          repetitions of every case (default 3)
  --messages N      latency: timed messages per case and repetition (500)
  --warmup N        latency: untimed messages sent first (10)
  --members N       group: team size, its creator included (10)
  --per-member M    group: texts each member sends (50; above 99 the
                    members' key updates start, a commit every 100 sends)
  --size BYTES      file: file size (1073741824 = 1 GiB)
  --rss yes|no      file: measure peak RSS in child processes (yes)

A smoke run for CI:
  sanad-msgbench all --reps 1 --messages 20 --members 3 --per-member 5 --size 8388608
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

    /// Every `--option` given must be one this binary knows.
    fn check_known(&self) -> Result<(), BenchError> {
        const KNOWN: &[&str] = &[
            "--reps",
            "--messages",
            "--warmup",
            "--members",
            "--per-member",
            "--size",
            "--rss",
            "--relay",
            "--file",
        ];
        for a in self.0.iter().filter(|a| a.starts_with("--")) {
            if !KNOWN.contains(&a.as_str()) {
                return Err(format!("unknown option `{a}`\n\n{USAGE}").into());
            }
        }
        Ok(())
    }
}

fn latency_settings(o: &Opts) -> Result<LatencySettings, BenchError> {
    let mut s = LatencySettings::default();
    s.messages = o.num("--messages")?.unwrap_or(s.messages);
    s.warmup = o.num("--warmup")?.unwrap_or(s.warmup);
    s.reps = o.num("--reps")?.unwrap_or(s.reps);
    Ok(s)
}

fn group_settings(o: &Opts) -> Result<GroupSettings, BenchError> {
    let mut s = GroupSettings::default();
    s.members = o.num("--members")?.unwrap_or(s.members);
    s.per_member = o.num("--per-member")?.unwrap_or(s.per_member);
    s.reps = o.num("--reps")?.unwrap_or(s.reps);
    Ok(s)
}

fn file_settings(o: &Opts) -> Result<FileSettings, BenchError> {
    let mut s = FileSettings::default();
    s.size = o.num("--size")?.unwrap_or(s.size);
    s.reps = o.num("--reps")?.unwrap_or(s.reps);
    if let Some(r) = o.get("--rss") {
        s.rss = r != "no";
    }
    Ok(s)
}

async fn run(command: &str, o: &Opts) -> Result<(), BenchError> {
    o.check_known()?;
    match command {
        "latency" => println!("{}", msgbench::latency(&latency_settings(o)?).await?),
        "group" => println!("{}", msgbench::group(&group_settings(o)?).await?),
        "file" => {
            for t in msgbench::file(&file_settings(o)?).await? {
                println!("{t}");
            }
        }
        "all" => {
            println!("Machine: {}", bench::machine());
            println!("Load average at the start: {}\n", msgbench::load_average());
            println!("{}", msgbench::latency(&latency_settings(o)?).await?);
            println!("{}", msgbench::group(&group_settings(o)?).await?);
            for t in msgbench::file(&file_settings(o)?).await? {
                println!("{t}");
            }
            println!("Load average at the end: {}", msgbench::load_average());
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
    if opts.0.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sanad-msgbench: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&command, &opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sanad-msgbench {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
