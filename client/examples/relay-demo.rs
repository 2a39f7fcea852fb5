//! A walk through what the relay does, against a running relay:
//! `relay-demo --relay 'sanad://127.0.0.1:7443?pin=…' [--size-mib N]`.
//!
//! 1. Connects (QUIC, falling back to TLS over TCP) and pins the relay's key.
//! 2. Creates a mailbox, deposits three sealed messages, fetches, opens and
//!    acknowledges them.
//! 3. Uploads a file of random bytes as a blob, cuts the connection halfway,
//!    asks the relay what is missing, resumes, downloads and compares.
//!
//! `./demo.sh` at the repository root starts a relay and runs this.

#![forbid(unsafe_code)]

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use rand::RngCore;
use sanad_client::{Client, ConnectOptions, NoProgress, Progress};
use sanad_protocol::{envelope, RelayAddress};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use x25519_dalek::{PublicKey, StaticSecret};

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Printer {
    label: &'static str,
    last_tenth: AtomicU64,
    cut_at: Option<u64>,
    cut: Arc<Notify>,
    fired: AtomicBool,
}

impl Progress for Printer {
    fn advanced(&self, done: u64, total: u64) {
        let tenth = done * 10 / total.max(1);
        if self.last_tenth.swap(tenth, Ordering::Relaxed) != tenth {
            println!(
                "    {} {:>3}%  ({} of {} MiB)",
                self.label,
                tenth * 10,
                done >> 20,
                total >> 20
            );
        }
        if let Some(at) = self.cut_at {
            if done >= at && !self.fired.swap(true, Ordering::Relaxed) {
                self.cut.notify_one();
            }
        }
    }
}

async fn connect_with_retry(addr: &RelayAddress) -> Result<Client, Error> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match Client::connect(addr, ConnectOptions::default()).await {
            Ok(c) => return Ok(c),
            Err(e) if Instant::now() < deadline && e.is_transient() => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => return Err(format!("cannot reach the relay: {e}").into()),
        }
    }
}

fn sha256_file(path: &std::path::Path) -> Result<[u8; 32], Error> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().into())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(relay) = arg("--relay") else {
        eprintln!("usage: relay-demo --relay 'sanad://HOST:PORT?pin=…' [--size-mib N]");
        std::process::exit(2);
    };
    let addr: RelayAddress = relay.parse().map_err(|e| format!("{e}"))?;
    let size_mib: u64 = arg("--size-mib")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(48);

    println!("1. Connecting to {}:{} (key pinned)", addr.host, addr.port);
    let client = connect_with_retry(&addr).await?;
    println!(
        "   connected over {:?}; relay clock offset {} s",
        client.transport_kind(),
        client.relay_clock_offset()
    );

    println!("2. Mailbox");
    let owner = client
        .create_mailbox(&SigningKey::generate(&mut OsRng))
        .await?;
    println!("   created (the relay knows a random ID and a public key, nothing else)");
    let secret = StaticSecret::random_from_rng(OsRng);
    let public = PublicKey::from(&secret);
    for text in ["مرحبا من طرابلس", "Bonjour de Tunis", "Hello from the desk"] {
        let sealed = envelope::seal(&public, text.as_bytes(), &mut OsRng)?;
        let seq = client.deposit(&owner.send_id(), sealed).await?;
        println!("   deposited message #{seq} (durable before the relay said so)");
    }
    let page = client.fetch(&owner, 0, 100).await?;
    for m in &page.items {
        let text = envelope::open(&secret, &m.body)?;
        println!(
            "   fetched #{}: {} bytes on the relay, opens to \"\u{2068}{}\u{2069}\"",
            m.seq,
            m.body.len(),
            String::from_utf8_lossy(&text)
        );
    }
    let seqs: Vec<u64> = page.items.iter().map(|m| m.seq).collect();
    println!(
        "   acknowledged {} (deleted from the relay)",
        client.ack(&owner, &seqs).await?
    );

    println!("3. Resumable blob of {size_mib} MiB");
    let dir = tempfile::tempdir()?;
    let src = dir.path().join("evidence.bin");
    {
        let mut f = std::fs::File::create(&src)?;
        let mut buf = vec![0u8; 1 << 20];
        for _ in 0..size_mib {
            OsRng.fill_bytes(&mut buf);
            f.write_all(&buf)?;
        }
    }
    let size = size_mib << 20;
    let upload = client.create_blob(size).await?;
    let cut = Arc::new(Notify::new());
    let printer = Printer {
        label: "upload",
        last_tenth: AtomicU64::new(0),
        cut_at: Some(size / 2),
        cut: cut.clone(),
        fired: AtomicBool::new(false),
    };
    let started = Instant::now();
    tokio::select! {
        r = client.upload_file(&src, Some(&upload), &printer) => { r?; println!("   (finished before the cut)"); }
        () = cut.notified() => {
            client.close().await;
            println!("   connection cut at about half (as a dropped mobile link would)");
        }
    }
    let client = connect_with_retry(&addr).await?;
    let state = client.blob_status(&upload.blob_id()).await?;
    println!(
        "   relay reports {} of {} segments missing",
        state.missing.len(),
        sanad_protocol::segment_count(size)
    );
    let resume = Printer {
        label: "resume",
        last_tenth: AtomicU64::new(0),
        cut_at: None,
        cut,
        fired: AtomicBool::new(false),
    };
    let outcome = client.upload_file(&src, Some(&upload), &resume).await?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "   sealed; resumed upload sent {} MiB; {:.0} MiB/s overall",
        outcome.bytes_sent >> 20,
        size_mib as f64 / secs
    );
    let dst = dir.path().join("downloaded.bin");
    client
        .download_file(&outcome.blob.blob_id(), size, &dst, &NoProgress)
        .await?;
    let same = sha256_file(&src)? == sha256_file(&dst)?;
    println!(
        "   downloaded; SHA-256 {}",
        if same {
            "matches: byte-identical"
        } else {
            "DIFFERS"
        }
    );
    client.close().await;
    if !same {
        return Err("downloaded blob differs from the upload".into());
    }
    println!("Done.");
    Ok(())
}
