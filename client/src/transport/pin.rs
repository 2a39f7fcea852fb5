//! TLS with the relay's key pinned: no certificate authority is trusted, the
//! end-entity certificate's SubjectPublicKeyInfo must hash to the pin in the
//! relay address, TLS 1.3 only.
//!
//! The verifier never decides anything from names, dates or chains: the pin
//! is the whole of the server's authentication, and the TLS 1.3 handshake
//! signature proves the relay holds the pinned key.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::Resumption;
use rustls::crypto::{verify_tls13_signature, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use sanad_protocol::{SpkiPin, ALPN};

use crate::error::ClientError;

/// The server name given to TLS. Only a placeholder: it is not sent (SNI is
/// off, so no fixed string marks our handshakes on the wire) and not checked
/// (the pin authenticates the relay).
pub(crate) const SERVER_NAME: &str = "sanad-relay";

/// Accepts exactly the certificates whose SPKI hashes to the pin.
#[derive(Debug)]
pub(crate) struct PinVerifier {
    pin: SpkiPin,
    algorithms: WebPkiSupportedAlgorithms,
    /// Set when a certificate was refused for its key, so the caller can tell
    /// "wrong relay" apart from every other handshake failure whatever the
    /// transport does with the TLS error.
    mismatch: Arc<AtomicBool>,
}

impl PinVerifier {
    pub(crate) fn new(pin: SpkiPin, provider: &CryptoProvider) -> Self {
        PinVerifier {
            pin,
            algorithms: provider.signature_verification_algorithms,
            mismatch: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A flag that becomes true once this verifier has refused a key.
    pub(crate) fn mismatch_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.mismatch)
    }
}

impl ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let cert = webpki::EndEntityCert::try_from(end_entity)
            .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
        let presented = SpkiPin::of_spki(cert.subject_public_key_info().as_ref());
        if presented.ct_eq(&self.pin) {
            Ok(ServerCertVerified::assertion())
        } else {
            self.mismatch.store(true, Ordering::SeqCst);
            tracing::warn!("relay presented a key that does not match the pin");
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        // The configuration offers TLS 1.3 only; refuse in depth.
        Err(rustls::Error::General("TLS 1.2 is not accepted".into()))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A TLS client configuration pinned to `pin`, with the flag its verifier
/// sets on a key mismatch. Build one per connection attempt so that the flag
/// speaks for that attempt only.
///
/// TLS 1.3 only, ALPN `sanad/1`, no SNI, no session resumption (tickets
/// would link a device's connections across networks) and no early data.
pub(crate) fn client_config(
    pin: SpkiPin,
) -> Result<(Arc<rustls::ClientConfig>, Arc<AtomicBool>), ClientError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = PinVerifier::new(pin, &provider);
    let flag = verifier.mismatch_flag();
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| ClientError::Setup(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![ALPN.to_vec()];
    config.enable_sni = false;
    config.resumption = Resumption::disabled();
    config.enable_early_data = false;
    Ok((Arc::new(config), flag))
}

/// The fixed server name as rustls wants it.
pub(crate) fn server_name() -> ServerName<'static> {
    ServerName::DnsName(
        rustls::pki_types::DnsName::try_from(SERVER_NAME)
            .expect("SERVER_NAME is a valid DNS name")
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    struct TestCert {
        cert: CertificateDer<'static>,
        key_der: Vec<u8>,
        pin: SpkiPin,
    }

    fn test_cert() -> TestCert {
        let ck = rcgen::generate_simple_self_signed(vec![SERVER_NAME.to_string()])
            .expect("rcgen makes a certificate");
        TestCert {
            cert: ck.cert.der().clone(),
            key_der: ck.key_pair.serialize_der(),
            pin: SpkiPin::of_spki(&ck.key_pair.public_key_der()),
        }
    }

    fn verify(verifier: &PinVerifier, cert: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        verifier
            .verify_server_cert(cert, &[], &server_name(), &[], UnixTime::now())
            .map(|_| ())
    }

    fn provider() -> CryptoProvider {
        rustls::crypto::ring::default_provider()
    }

    #[test]
    fn verifier_accepts_a_certificate_whose_spki_matches_the_pin() {
        let c = test_cert();
        let v = PinVerifier::new(c.pin, &provider());
        assert!(verify(&v, &c.cert).is_ok());
        assert!(!v.mismatch_flag().load(Ordering::SeqCst));
    }

    #[test]
    fn verifier_rejects_another_key_and_flags_the_mismatch() {
        let pinned = test_cert();
        let other = test_cert();
        let v = PinVerifier::new(pinned.pin, &provider());
        let err = verify(&v, &other.cert).expect_err("another key must be refused");
        assert_eq!(
            err,
            rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure)
        );
        assert!(v.mismatch_flag().load(Ordering::SeqCst));
    }

    #[test]
    fn pin_is_over_the_spki_not_the_whole_certificate() {
        let c = test_cert();
        let v = PinVerifier::new(SpkiPin::of_spki(c.cert.as_ref()), &provider());
        assert!(verify(&v, &c.cert).is_err());
    }

    #[test]
    fn verifier_rejects_garbage_as_bad_encoding_not_as_a_mismatch() {
        let c = test_cert();
        let v = PinVerifier::new(c.pin, &provider());
        let garbage = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        assert_eq!(
            verify(&v, &garbage),
            Err(rustls::Error::InvalidCertificate(
                CertificateError::BadEncoding
            ))
        );
        assert!(!v.mismatch_flag().load(Ordering::SeqCst));
    }

    fn server_config(c: &TestCert) -> Arc<rustls::ServerConfig> {
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(c.key_der.clone().into());
        let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(provider()))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("protocol versions are supported")
            .with_no_client_auth()
            .with_single_cert(vec![c.cert.clone()], key)
            .expect("test key matches certificate");
        cfg.alpn_protocols = vec![ALPN.to_vec()];
        Arc::new(cfg)
    }

    /// Runs a TLS handshake over an in-memory pipe; returns the client result.
    async fn handshake(
        server: Arc<rustls::ServerConfig>,
        pin: SpkiPin,
    ) -> (Result<(), std::io::Error>, bool) {
        let (a, b) = tokio::io::duplex(64 * 1024);
        let acceptor = tokio_rustls::TlsAcceptor::from(server);
        let srv = tokio::spawn(async move {
            if let Ok(mut s) = acceptor.accept(b).await {
                let mut x = [0u8; 1];
                if s.read_exact(&mut x).await.is_ok() {
                    let _ = s.write_all(&x).await;
                    let _ = s.flush().await;
                }
            }
        });
        let (cfg, flag) = client_config(pin).expect("client config builds");
        let connector = tokio_rustls::TlsConnector::from(cfg);
        let res = async {
            let mut s = connector.connect(server_name(), a).await?;
            assert_eq!(s.get_ref().1.alpn_protocol(), Some(ALPN));
            s.write_all(&[7]).await?;
            s.flush().await?;
            let mut x = [0u8; 1];
            s.read_exact(&mut x).await?;
            assert_eq!(x, [7]);
            Ok(())
        }
        .await;
        srv.abort();
        (res, flag.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn tls13_handshake_succeeds_with_the_right_pin() {
        let c = test_cert();
        let (res, mismatch) = handshake(server_config(&c), c.pin).await;
        assert!(res.is_ok(), "{res:?}");
        assert!(!mismatch);
    }

    #[tokio::test]
    async fn handshake_fails_and_flags_mismatch_with_a_wrong_pin() {
        let c = test_cert();
        let (res, mismatch) = handshake(server_config(&c), SpkiPin([9; 32])).await;
        assert!(res.is_err());
        assert!(mismatch);
    }
}
