//! `sanad-relay`: the relay's command line (see `sanad_relay::cli`).

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    sanad_relay::cli::cli_main()
}
