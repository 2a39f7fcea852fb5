//! A userspace UDP impairment proxy on loopback: bandwidth, delay, random
//! loss and a bounded bottleneck queue, in both directions, plus an on/off
//! switch for outages. The kernel here has no netem, so tests and
//! benchmarks put this between a client and a relay instead.
//!
//! ```text
//! client ──► [client socket] ─ queue ─ link (rate, loss) ─ delay ─► [upstream socket] ──► relay
//! client ◄── [client socket] ◄─ delay ─ link (rate, loss) ─ queue ─ [upstream socket] ◄── relay
//! ```
//!
//! Each direction models one bottleneck: a datagram waits in a drop-tail
//! queue of at most [`Impairment::queue_limit_bytes`], is serialised at
//! [`Impairment::rate_bits_per_sec`] (counting [`DATAGRAM_OVERHEAD`] bytes of
//! IPv4 and UDP headers), is lost with probability [`Impairment::loss`]
//! (after using the link, as on a radio hop), and arrives
//! [`Impairment::one_way_delay`] later. Loss decisions come from a seeded
//! generator, so a run is reproducible given the same datagram sequence.
//!
//! One socket faces the client; the client's address is learned from its
//! datagrams (the most recent source wins, like a NAT that re-maps, so a
//! client that reconnects from a new port after an outage still gets
//! through). One connected socket faces the upstream. The proxy stops when
//! the [`ImpairedLink`] is dropped.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Bytes of IPv4 and UDP headers counted on the link for each datagram.
pub const DATAGRAM_OVERHEAD: u64 = 28;
/// Largest datagram the proxy forwards (anything larger is truncated by the
/// receive buffer and so corrupted; QUIC never sends more than this).
const MAX_DATAGRAM: usize = 65_535;
/// Bound on datagrams travelling through the delay line of one direction,
/// whatever the rate (with an unlimited rate nothing else bounds it).
const MAX_DATAGRAMS_IN_FLIGHT: usize = 1 << 16;
/// A datagram delivered this much after its due time counts as late: the
/// proxy is a userspace program, and on a busy machine its timers slip.
pub const LATE_THRESHOLD: Duration = Duration::from_millis(2);

/// How the link between client and upstream misbehaves; the same in both
/// directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Impairment {
    /// Bottleneck rate per direction in bits per second; 0 for unlimited.
    pub rate_bits_per_sec: u64,
    /// Propagation delay per direction (the round trip adds twice this).
    pub one_way_delay: Duration,
    /// Probability in `0.0..=1.0` that a datagram is lost, independently
    /// for each datagram.
    pub loss: f64,
    /// Bytes (headers included) the bottleneck queue holds waiting for the
    /// link; a datagram that would exceed it is dropped (drop-tail).
    pub queue_limit_bytes: u64,
    /// Seed for the loss decisions (each direction derives its own).
    pub seed: u64,
}

impl Default for Impairment {
    /// A perfect link: no rate limit, no delay, no loss, a 1 MiB queue.
    fn default() -> Self {
        Impairment {
            rate_bits_per_sec: 0,
            one_way_delay: Duration::ZERO,
            loss: 0.0,
            queue_limit_bytes: 1 << 20,
            seed: 0x5a4a_d000,
        }
    }
}

impl Impairment {
    /// A link of `rate_bits_per_sec`, round trip `rtt` (split evenly) and
    /// `loss`, whose queue holds one bandwidth-delay product (at least 64
    /// KiB): the customary bottleneck buffer for such comparisons.
    pub fn link(rate_bits_per_sec: u64, rtt: Duration, loss: f64) -> Impairment {
        let bdp = (u128::from(rate_bits_per_sec) * rtt.as_nanos() / 8 / 1_000_000_000) as u64;
        Impairment {
            rate_bits_per_sec,
            one_way_delay: rtt / 2,
            loss,
            queue_limit_bytes: bdp.max(64 * 1024),
            ..Impairment::default()
        }
    }
}

/// Counters for one direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DirectionStats {
    /// Datagrams received from the sender (offered to the link).
    pub datagrams_in: u64,
    /// UDP payload bytes received from the sender.
    pub bytes_in: u64,
    /// Datagrams delivered to the receiver.
    pub datagrams_out: u64,
    /// UDP payload bytes delivered to the receiver.
    pub bytes_out: u64,
    /// Datagrams lost at random.
    pub dropped_loss: u64,
    /// Datagrams dropped because the queue was full.
    pub dropped_queue: u64,
    /// Datagrams dropped while the link was cut.
    pub dropped_cut: u64,
    /// Datagrams delivered more than [`LATE_THRESHOLD`] after their due
    /// time (the proxy's own timing error, not part of the impairment).
    pub delivered_late: u64,
    /// Sum over delivered datagrams of the time past their due time, in
    /// microseconds.
    pub lateness_micros: u64,
}

/// Counters for both directions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Client towards upstream.
    pub to_upstream: DirectionStats,
    /// Upstream towards client.
    pub to_client: DirectionStats,
}

impl DirectionStats {
    /// The counts accumulated since `earlier` was taken.
    pub fn since(&self, earlier: &DirectionStats) -> DirectionStats {
        DirectionStats {
            datagrams_in: self.datagrams_in.saturating_sub(earlier.datagrams_in),
            bytes_in: self.bytes_in.saturating_sub(earlier.bytes_in),
            datagrams_out: self.datagrams_out.saturating_sub(earlier.datagrams_out),
            bytes_out: self.bytes_out.saturating_sub(earlier.bytes_out),
            dropped_loss: self.dropped_loss.saturating_sub(earlier.dropped_loss),
            dropped_queue: self.dropped_queue.saturating_sub(earlier.dropped_queue),
            dropped_cut: self.dropped_cut.saturating_sub(earlier.dropped_cut),
            delivered_late: self.delivered_late.saturating_sub(earlier.delivered_late),
            lateness_micros: self.lateness_micros.saturating_sub(earlier.lateness_micros),
        }
    }
}

impl LinkStats {
    /// The counts accumulated since `earlier` was taken.
    pub fn since(&self, earlier: &LinkStats) -> LinkStats {
        LinkStats {
            to_upstream: self.to_upstream.since(&earlier.to_upstream),
            to_client: self.to_client.since(&earlier.to_client),
        }
    }
}

#[derive(Default)]
struct Counters {
    datagrams_in: AtomicU64,
    bytes_in: AtomicU64,
    datagrams_out: AtomicU64,
    bytes_out: AtomicU64,
    dropped_loss: AtomicU64,
    dropped_queue: AtomicU64,
    dropped_cut: AtomicU64,
    delivered_late: AtomicU64,
    lateness_micros: AtomicU64,
}

impl Counters {
    fn add(c: &AtomicU64, n: u64) {
        c.fetch_add(n, Ordering::Relaxed);
    }

    fn snapshot(&self) -> DirectionStats {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        DirectionStats {
            datagrams_in: g(&self.datagrams_in),
            bytes_in: g(&self.bytes_in),
            datagrams_out: g(&self.datagrams_out),
            bytes_out: g(&self.bytes_out),
            dropped_loss: g(&self.dropped_loss),
            dropped_queue: g(&self.dropped_queue),
            dropped_cut: g(&self.dropped_cut),
            delivered_late: g(&self.delivered_late),
            lateness_micros: g(&self.lateness_micros),
        }
    }
}

/// State shared by the proxy's two tasks and the handle.
struct Shared {
    cut: AtomicBool,
    client: Mutex<Option<SocketAddr>>,
    to_upstream: Counters,
    to_client: Counters,
}

impl Shared {
    fn client(&self) -> Option<SocketAddr> {
        *self.client.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_client(&self, addr: SocketAddr) {
        *self.client.lock().unwrap_or_else(|e| e.into_inner()) = Some(addr);
    }
}

/// A running impairment proxy. Clients send to [`ImpairedLink::local_addr`];
/// everything is forwarded to the upstream given to [`ImpairedLink::start`].
/// Dropping it stops the proxy and closes its sockets.
pub struct ImpairedLink {
    local: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl ImpairedLink {
    /// Bind on 127.0.0.1 (a free port) and forward to `upstream` through
    /// `impairment`. Must be called inside a tokio runtime.
    pub async fn start(upstream: SocketAddr, impairment: Impairment) -> io::Result<ImpairedLink> {
        if !(0.0..=1.0).contains(&impairment.loss) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "loss must lie in 0.0..=1.0",
            ));
        }
        let client_side = Arc::new(UdpSocket::bind(("127.0.0.1", 0)).await?);
        let bind_ip: SocketAddr = if upstream.is_ipv6() {
            ([0, 0, 0, 0, 0, 0, 0, 1u16], 0).into()
        } else {
            ([127, 0, 0, 1], 0).into()
        };
        let upstream_side = Arc::new(UdpSocket::bind(bind_ip).await?);
        upstream_side.connect(upstream).await?;
        let local = client_side.local_addr()?;
        let shared = Arc::new(Shared {
            cut: AtomicBool::new(false),
            client: Mutex::new(None),
            to_upstream: Counters::default(),
            to_client: Counters::default(),
        });
        let up = Direction {
            from: Arc::clone(&client_side),
            to: Arc::clone(&upstream_side),
            towards_upstream: true,
            link: LinkModel::new(&impairment, impairment.seed),
            shared: Arc::clone(&shared),
        };
        let down = Direction {
            from: upstream_side,
            to: client_side,
            towards_upstream: false,
            link: LinkModel::new(&impairment, impairment.seed ^ 0x9e37_79b9_7f4a_7c15),
            shared: Arc::clone(&shared),
        };
        let tasks = vec![tokio::spawn(up.run()), tokio::spawn(down.run())];
        Ok(ImpairedLink {
            local,
            shared,
            tasks,
        })
    }

    /// The address clients send to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Blackhole everything, in both directions, including datagrams already
    /// on their way, until [`ImpairedLink::restore`].
    pub fn cut(&self) {
        self.shared.cut.store(true, Ordering::SeqCst);
    }

    /// End a [`ImpairedLink::cut`].
    pub fn restore(&self) {
        self.shared.cut.store(false, Ordering::SeqCst);
    }

    /// Whether the link is cut.
    pub fn is_cut(&self) -> bool {
        self.shared.cut.load(Ordering::SeqCst)
    }

    /// Counters since start.
    pub fn stats(&self) -> LinkStats {
        LinkStats {
            to_upstream: self.shared.to_upstream.snapshot(),
            to_client: self.shared.to_client.snapshot(),
        }
    }
}

impl Drop for ImpairedLink {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// One direction's bottleneck: when the link is next free, and the loss
/// generator.
struct LinkModel {
    rate_bits_per_sec: u64,
    delay: Duration,
    loss: f64,
    queue_limit_bytes: u64,
    rng: StdRng,
    /// When the last admitted datagram finishes serialising.
    busy_until: Instant,
}

/// What happens to a datagram offered to the link.
enum Fate {
    /// Delivered at this instant.
    Deliver(Instant),
    /// Lost at random (after using the link).
    Lost,
    /// Queue full.
    QueueFull,
}

impl LinkModel {
    fn new(imp: &Impairment, seed: u64) -> LinkModel {
        LinkModel {
            rate_bits_per_sec: imp.rate_bits_per_sec,
            delay: imp.one_way_delay,
            loss: imp.loss,
            queue_limit_bytes: imp.queue_limit_bytes,
            rng: StdRng::seed_from_u64(seed),
            busy_until: Instant::now(),
        }
    }

    fn bytes_to_time(&self, bytes: u64) -> Duration {
        let nanos = u128::from(bytes) * 8 * 1_000_000_000 / u128::from(self.rate_bits_per_sec);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    fn time_to_bytes(&self, t: Duration) -> u64 {
        let bytes = t.as_nanos() * u128::from(self.rate_bits_per_sec) / 8 / 1_000_000_000;
        u64::try_from(bytes).unwrap_or(u64::MAX)
    }

    fn offer(&mut self, len: usize, now: Instant) -> Fate {
        let wire = len as u64 + DATAGRAM_OVERHEAD;
        let leaves_link = if self.rate_bits_per_sec == 0 {
            now
        } else {
            let backlog = self.time_to_bytes(self.busy_until.saturating_duration_since(now));
            if backlog + wire > self.queue_limit_bytes {
                return Fate::QueueFull;
            }
            let start = self.busy_until.max(now);
            self.busy_until = start + self.bytes_to_time(wire);
            self.busy_until
        };
        if self.loss > 0.0 && self.rng.gen_bool(self.loss) {
            return Fate::Lost;
        }
        Fate::Deliver(leaves_link + self.delay)
    }
}

struct Direction {
    from: Arc<UdpSocket>,
    to: Arc<UdpSocket>,
    towards_upstream: bool,
    link: LinkModel,
    shared: Arc<Shared>,
}

impl Direction {
    fn counters(&self) -> &Counters {
        if self.towards_upstream {
            &self.shared.to_upstream
        } else {
            &self.shared.to_client
        }
    }

    async fn run(mut self) {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        // Delivery times only grow (FIFO link, constant delay), so the
        // front is always the next datagram due.
        let mut line: VecDeque<(Instant, Vec<u8>)> = VecDeque::new();
        loop {
            let next_due = line.front().map(|(at, _)| *at);
            tokio::select! {
                // Deliveries first: their timing is the impairment.
                biased;
                _ = sleep_until_opt(next_due), if next_due.is_some() => {
                    self.deliver_due(&mut line).await;
                }
                r = self.from.recv_from(&mut buf) => {
                    // Errors (e.g. ICMP port unreachable reported on the
                    // connected socket) are ignored, as a router would.
                    if let Ok((n, src)) = r {
                        self.arrived(&buf[..n], src, &mut line);
                    }
                }
            }
        }
    }

    fn arrived(&mut self, data: &[u8], src: SocketAddr, line: &mut VecDeque<(Instant, Vec<u8>)>) {
        let c = self.counters();
        Counters::add(&c.datagrams_in, 1);
        Counters::add(&c.bytes_in, data.len() as u64);
        if self.towards_upstream {
            self.shared.set_client(src);
        }
        if self.shared.cut.load(Ordering::SeqCst) {
            Counters::add(&self.counters().dropped_cut, 1);
            return;
        }
        if line.len() >= MAX_DATAGRAMS_IN_FLIGHT {
            Counters::add(&self.counters().dropped_queue, 1);
            return;
        }
        match self.link.offer(data.len(), Instant::now()) {
            Fate::Deliver(at) => line.push_back((at, data.to_vec())),
            Fate::Lost => Counters::add(&self.counters().dropped_loss, 1),
            Fate::QueueFull => Counters::add(&self.counters().dropped_queue, 1),
        }
    }

    async fn deliver_due(&mut self, line: &mut VecDeque<(Instant, Vec<u8>)>) {
        let now = Instant::now();
        while line.front().is_some_and(|(at, _)| *at <= now) {
            let Some((due, data)) = line.pop_front() else {
                break;
            };
            if self.shared.cut.load(Ordering::SeqCst) {
                Counters::add(&self.counters().dropped_cut, 1);
                continue;
            }
            let sent = if self.towards_upstream {
                self.to.send(&data).await
            } else {
                match self.shared.client() {
                    Some(client) => self.to.send_to(&data, client).await,
                    None => continue,
                }
            };
            if let Ok(n) = sent {
                let late = Instant::now().saturating_duration_since(due);
                let c = self.counters();
                Counters::add(&c.datagrams_out, 1);
                Counters::add(&c.bytes_out, n as u64);
                Counters::add(
                    &c.lateness_micros,
                    u64::try_from(late.as_micros()).unwrap_or(u64::MAX),
                );
                if late > LATE_THRESHOLD {
                    Counters::add(&c.delivered_late, 1);
                }
            }
        }
    }
}

async fn sleep_until_opt(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A UDP echo server on loopback; returns its address.
    async fn echo_server() -> SocketAddr {
        let sock = UdpSocket::bind("127.0.0.1:0").await.expect("bind echo");
        let addr = sock.local_addr().expect("echo addr");
        tokio::spawn(async move {
            let mut buf = vec![0u8; MAX_DATAGRAM];
            while let Ok((n, from)) = sock.recv_from(&mut buf).await {
                let _ = sock.send_to(&buf[..n], from).await;
            }
        });
        addr
    }

    async fn client_for(link: &ImpairedLink) -> UdpSocket {
        let c = UdpSocket::bind("127.0.0.1:0").await.expect("bind client");
        c.connect(link.local_addr()).await.expect("connect client");
        c
    }

    /// Receive until nothing arrives for `quiet`; returns the count.
    async fn drain(c: &UdpSocket, quiet: Duration) -> usize {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        let mut n = 0;
        while let Ok(Ok(_)) = tokio::time::timeout(quiet, c.recv(&mut buf)).await {
            n += 1;
        }
        n
    }

    #[tokio::test]
    async fn echo_round_trip_takes_at_least_twice_the_delay() {
        let echo = echo_server().await;
        let link = ImpairedLink::start(
            echo,
            Impairment {
                one_way_delay: Duration::from_millis(40),
                ..Impairment::default()
            },
        )
        .await
        .expect("start");
        let c = client_for(&link).await;
        let mut buf = [0u8; 64];
        for i in 0..5u8 {
            let t0 = std::time::Instant::now();
            c.send(&[i; 10]).await.expect("send");
            let n = tokio::time::timeout(Duration::from_secs(2), c.recv(&mut buf))
                .await
                .expect("echo arrives")
                .expect("recv");
            let rtt = t0.elapsed();
            assert_eq!(&buf[..n], &[i; 10]);
            assert!(rtt >= Duration::from_millis(80), "round trip {rtt:?}");
            assert!(rtt < Duration::from_millis(400), "round trip {rtt:?}");
        }
        let s = link.stats();
        assert_eq!(s.to_upstream.datagrams_out, 5);
        assert_eq!(s.to_client.datagrams_out, 5);
        assert_eq!(s.to_client.bytes_out, 50);
    }

    #[tokio::test]
    async fn loss_fraction_is_near_the_configured_one() {
        const N: usize = 4000;
        const LOSS: f64 = 0.1;
        let echo = echo_server().await;
        let link = ImpairedLink::start(
            echo,
            Impairment {
                loss: LOSS,
                ..Impairment::default()
            },
        )
        .await
        .expect("start");
        let c = Arc::new(client_for(&link).await);
        // Read while sending, so the client's socket buffer never overflows.
        let reader = {
            let c = Arc::clone(&c);
            tokio::spawn(async move { drain(&c, Duration::from_millis(500)).await })
        };
        for i in 0..N {
            c.send(&(i as u32).to_be_bytes()).await.expect("send");
            if i % 50 == 49 {
                // Stay well inside loopback socket buffers.
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        let echoed = reader.await.expect("reader");
        let s = link.stats();
        for d in [s.to_upstream, s.to_client] {
            let frac = d.dropped_loss as f64 / d.datagrams_in as f64;
            assert!((frac - LOSS).abs() < 0.025, "loss fraction {frac} ({d:?})");
            assert_eq!(d.dropped_loss + d.datagrams_out, d.datagrams_in);
        }
        // Both directions lose: about (1 - loss)^2 come back.
        let back = echoed as f64 / N as f64;
        let expected = (1.0 - LOSS) * (1.0 - LOSS);
        assert!((back - expected).abs() < 0.04, "echoed fraction {back}");
    }

    #[tokio::test]
    async fn rate_limit_spreads_a_burst_and_the_queue_drops_its_tail() {
        let echo = echo_server().await;
        // 1 Mbit/s: 1000-byte datagrams (1028 on the link) take 8.2 ms each.
        let link = ImpairedLink::start(
            echo,
            Impairment {
                rate_bits_per_sec: 1_000_000,
                queue_limit_bytes: 20 * 1028,
                ..Impairment::default()
            },
        )
        .await
        .expect("start");
        let c = client_for(&link).await;
        let t0 = std::time::Instant::now();
        for _ in 0..40 {
            c.send(&[7u8; 1000]).await.expect("send");
        }
        let got = drain(&c, Duration::from_millis(300)).await;
        let s = link.stats();
        assert!(s.to_upstream.dropped_queue >= 15, "{s:?}");
        assert_eq!(got as u64, s.to_upstream.datagrams_out);
        // What passed took about its serialisation time.
        let min = Duration::from_micros(8_224 * (got as u64 - 1));
        let took = t0.elapsed() - Duration::from_millis(300);
        assert!(took >= min, "took {took:?}, at least {min:?}");
    }

    #[tokio::test]
    async fn cut_drops_everything_and_restore_resumes() {
        let echo = echo_server().await;
        let link = ImpairedLink::start(
            echo,
            Impairment {
                one_way_delay: Duration::from_millis(50),
                ..Impairment::default()
            },
        )
        .await
        .expect("start");
        let c = client_for(&link).await;
        c.send(b"before").await.expect("send");
        // On its way back when the cut happens: must not arrive either.
        tokio::time::sleep(Duration::from_millis(70)).await;
        link.cut();
        assert!(link.is_cut());
        for _ in 0..20 {
            c.send(b"during").await.expect("send");
        }
        assert_eq!(drain(&c, Duration::from_millis(300)).await, 0);
        let s = link.stats();
        assert_eq!(s.to_upstream.dropped_cut, 20);
        assert_eq!(s.to_client.dropped_cut, 1);
        link.restore();
        c.send(b"after").await.expect("send");
        assert_eq!(drain(&c, Duration::from_millis(300)).await, 1);
    }

    #[tokio::test]
    async fn dropping_the_link_frees_its_port() {
        let echo = echo_server().await;
        let link = ImpairedLink::start(echo, Impairment::default())
            .await
            .expect("start");
        let addr = link.local_addr();
        drop(link);
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        loop {
            if std::net::UdpSocket::bind(addr).is_ok() {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "port still bound");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test]
    async fn invalid_loss_is_refused() {
        let r = ImpairedLink::start(
            "127.0.0.1:9".parse().expect("addr"),
            Impairment {
                loss: 1.5,
                ..Impairment::default()
            },
        )
        .await;
        assert!(r.is_err());
    }
}
