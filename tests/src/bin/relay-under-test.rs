//! The relay's own command line, built inside this crate so that the
//! end-to-end tests can run it as a child process (and, with the
//! `negative-control` feature, with the dangerous early acknowledgement).

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    sanad_relay::cli::cli_main()
}
