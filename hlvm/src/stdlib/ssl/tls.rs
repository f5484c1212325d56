//! TLS configurations and connections behind `sys.ssl.Socket` (`conf_*` and `ssl_*`
//! natives), on `rustls` with the `ring` provider.
//!
//! # Values
//! - **Config** (`hl.Abstract<"mbedtls_ssl_config">`): an `Obj::Native(Traced)` holding a
//!   [`Conf`]: client or server side, own certificate and key, trusted certificates,
//!   verification mode and server-name callback (traced: the collector keeps it alive).
//! - **Context** (`hl.Abstract<"mbedtls_ssl_context">`): an `Obj::Native(Traced)` holding
//!   a [`Ctx`]: a copy of its config taken by `ssl_new` (Haxe builds the config first),
//!   the socket handle slot from `ssl_set_socket` (traced, looked up at every I/O through
//!   [`super::super::net::socket_of`]), the host name, and the connection state.
//!
//! # Protocol
//! TLS 1.2 only, as the reference VM speaks it (HashLink 1.17 built on the system's Mbed
//! TLS 2.28, whose TLS 1.3 support is off), with `rustls`' cipher suites (ECDHE with
//! AES-GCM or ChaCha20-Poly1305: Mbed TLS also offers CBC, RSA and DHE key exchanges).
//! The client sends the host name as SNI unless it is an IP address (Mbed TLS sends IP
//! addresses too). Closing a context sends no `close_notify`, as HashLink's `ssl_close`
//! (which only frees it).
//!
//! # Verification (`conf_set_verify`: 0 none, 1 required, 2 optional)
//! - **Client**: "required" checks the server's chain against the certificates of
//!   `conf_set_ca` (none set: every chain fails) and, when a host name was set, the name
//!   as Mbed TLS 2.28 does (`dNSName` entries only, else the `CN`s; `*.` wildcards for one
//!   label; IP address entries never match). A self-issued certificate that is itself in
//!   the trusted list is accepted within its validity period. "Optional" and "none"
//!   accept any certificate (Mbed TLS records the failure where Haxe cannot read it).
//!   Handshake signatures are always checked.
//! - **Server**: "none" asks for no client certificate; "optional" asks for one and
//!   accepts anything, including none; "required" wants one that chains to the trusted
//!   certificates (a server whose client sends none fails without an alert, so the client
//!   keeps waiting, as with Mbed TLS). Haxe's `sys.ssl.Socket` uses "required" for servers
//!   too unless `verifyCert` is set to false.
//! - **SNI** (`conf_set_servername_callback`): when the client sends a name, the Haxe
//!   callback gets it (NUL-terminated UTF-8) and returns the certificate and key to use;
//!   a null result fails the handshake.
//!
//! # Results
//! `ssl_handshake` returns 0 when done, -1 when the socket would block (and, as on
//! HashLink, when a socket call fails: Mbed TLS passes the socket's -1 through), -2 at the
//! end of the stream, else a negative Mbed TLS code (certificate verification failed
//! -0x2700, fatal alert received -0x7780, no client certificate -0x7480, others mapped to
//! the nearest Mbed TLS code). `ssl_recv`/`ssl_send` return a byte count, 0 on
//! `ssl_recv` when the peer sent `close_notify`, -1 when blocked, -2 on any error or at
//! the end of the stream; they finish the handshake first. `ssl_send` takes at most
//! 16384 bytes per call (one record, as Mbed TLS); on a non-blocking socket, a record
//! that did not fit in the socket's buffer makes it return -1 and is sent by the next
//! `ssl_send`, which then returns its own length (Mbed TLS's "call again with the same
//! data" contract).
//!
//! Facts from HashLink 1.17's `libs/ssl/ssl.c` and Haxe 4.2.5's
//! `std/hl/_std/sys/ssl/Socket.hx` and `Context.hx`, checked against the reference VM by
//! the `ssl_socket` program of `haxe-tests/haxe/`.

use std::io::{Read, Write};
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{Acceptor, ClientHello, ParsedCertificate, ResolvesServerCert, WebPkiClientVerifier};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};
use socket2::Socket;

use super::cert::{Cert, CertRef, Trust};
use super::errors::{self, Code};
use super::key::KeyRef;
use crate::gc::{NativeObj, NativeRefs, Obj};
use crate::stdlib::net::{is_block_error, poll_all, socket_of, SEND_FLAGS};
use crate::value::handle;
use crate::vm::{Exc, Vm};

/// The crypto provider every configuration uses.
fn provider() -> Arc<CryptoProvider> {
    static P: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    P.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider())).clone()
}

/// The protocol versions offered (see the module docs).
const VERSIONS: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];

/// Largest plaintext `ssl_send` takes at once.
const MAX_RECORD: usize = 16384;

/// `conf_set_verify` modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verify {
    None,
    Required,
    Optional,
}

/// An own certificate chain and its key.
#[derive(Clone)]
pub(crate) struct Own {
    pub cert: CertRef,
    pub key: KeyRef,
}

/// A TLS configuration (see the module docs).
#[derive(Clone)]
pub(crate) struct Conf {
    server: bool,
    own: Option<Own>,
    ca: Option<CertRef>,
    verify: Verify,
    /// The server-name callback closure (0: none).
    sni: u64,
}

impl NativeRefs for Conf {
    fn refs(&self, f: &mut dyn FnMut(u64)) {
        f(self.sni);
    }
}

/// A connection's progress.
enum State {
    /// Not started: the first handshake step creates the connection.
    New,
    /// Server side, reading the client's hello.
    Accepting(Box<Acceptor>),
    /// Client or server connection, handshaking or established.
    Conn(Box<rustls::Connection>),
    /// The handshake failed with this code.
    Failed(Code),
    /// Closed by `ssl_close`.
    Closed,
}

/// A TLS context (see the module docs).
pub(crate) struct Ctx {
    conf: Conf,
    /// The socket handle slot (0: none yet).
    socket: u64,
    hostname: Option<String>,
    state: State,
    /// Application data was taken by `ssl_send`, which returned -1 because the socket
    /// would block before all of it was sent: the next `ssl_send` finishes sending it
    /// and reports its own data as sent (Mbed TLS's contract: call again with the same
    /// data).
    write_pending: bool,
}

impl NativeRefs for Ctx {
    fn refs(&self, f: &mut dyn FnMut(u64)) {
        f(self.socket);
        f(self.conf.sni);
    }
}

/// What one handshake step ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Done,
    /// The socket would block.
    WouldBlock,
    /// A socket call failed (not at the end of the stream).
    SocketError,
    /// The peer closed the connection.
    Eof,
    /// The handshake failed with this Mbed TLS code.
    Fatal(Code),
}

// ---------------------------------------------------------------------- socket I/O

/// `Read`/`Write` over the context's socket; `send` without `SIGPIPE`, as HashLink.
struct Io(Arc<Socket>);

impl Read for Io {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        crate::stdlib::retry(|| (&*self.0).read(buf))
    }
}

impl Write for Io {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        crate::stdlib::retry(|| self.0.send_with_flags(buf, SEND_FLAGS))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A socket error as a handshake step result.
fn io_step(e: &std::io::Error) -> Step {
    if is_block_error(e) {
        Step::WouldBlock
    } else {
        Step::SocketError
    }
}

// ---------------------------------------------------------------------- verifiers

/// Mbed TLS's acceptance of a self-issued certificate listed as trusted (see the module
/// docs).
fn locally_trusted(trust: &Trust, ee: &CertificateDer<'_>, now: UnixTime) -> bool {
    trust.certs.iter().any(|c| c.der.as_slice() == ee.as_ref() && c.self_issued() && c.valid_at(now.as_secs()))
}

fn bad_cert(e: rustls::CertificateError) -> rustls::Error {
    rustls::Error::InvalidCertificate(e)
}

/// The client side's check of the server certificate (see the module docs).
#[derive(Debug)]
struct ServerVerifier {
    verify: Verify,
    trust: Option<Arc<Trust>>,
    hostname: Option<String>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for ServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.verify != Verify::Required {
            return Ok(ServerCertVerified::assertion());
        }
        let Some(trust) = &self.trust else { return Err(bad_cert(rustls::CertificateError::UnknownIssuer)) };
        if !locally_trusted(trust, end_entity, now) {
            let parsed = ParsedCertificate::try_from(end_entity)?;
            rustls::client::verify_server_cert_signed_by_trust_anchor(
                &parsed,
                &trust.roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
        }
        if let Some(host) = &self.hostname {
            let ok = Cert::parse_der(end_entity.as_ref()).is_ok_and(|c| c.matches_host(host.as_bytes()));
            if !ok {
                return Err(bad_cert(rustls::CertificateError::NotValidForName));
            }
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// The server side's check of client certificates (see the module docs).
#[derive(Debug)]
struct ClientVerifier {
    verify: Verify,
    trust: Option<Arc<Trust>>,
    /// `rustls`' chain check on the trusted certificates (`None` when there are none).
    webpki: Option<Arc<dyn ClientCertVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for ClientVerifier {
    fn client_auth_mandatory(&self) -> bool {
        self.verify == Verify::Required
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(&self, end_entity: &CertificateDer<'_>, intermediates: &[CertificateDer<'_>], now: UnixTime) -> Result<ClientCertVerified, rustls::Error> {
        if self.verify != Verify::Required || self.trust.as_ref().is_some_and(|t| locally_trusted(t, end_entity, now)) {
            return Ok(ClientCertVerified::assertion());
        }
        match &self.webpki {
            Some(v) => v.verify_client_cert(end_entity, intermediates, now),
            None => Err(bad_cert(rustls::CertificateError::UnknownIssuer)),
        }
    }

    fn verify_tls12_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(&self, message: &[u8], cert: &CertificateDer<'_>, dss: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A server without a certificate: every handshake fails.
#[derive(Debug)]
struct NoCert;

impl ResolvesServerCert for NoCert {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<rustls::sign::CertifiedKey>> {
        None
    }
}

// ---------------------------------------------------------------------- configs

/// The Mbed TLS code for a `rustls` error (see the module docs).
fn error_code(e: &rustls::Error) -> Code {
    use rustls::Error as E;
    match e {
        E::InvalidCertificate(_) => errors::X509_CERT_VERIFY_FAILED,
        E::AlertReceived(_) => errors::SSL_FATAL_ALERT_MESSAGE,
        E::NoCertificatesPresented => errors::SSL_NO_CLIENT_CERTIFICATE,
        E::DecryptError => errors::SSL_INVALID_MAC,
        E::PeerIncompatible(_) => errors::SSL_NO_CIPHER_CHOSEN,
        E::InappropriateMessage { .. } | E::InappropriateHandshakeMessage { .. } | E::InvalidMessage(_) | E::PeerMisbehaved(_) => errors::SSL_UNEXPECTED_MESSAGE,
        _ => errors::SSL_INTERNAL_ERROR,
    }
}

fn client_config(conf: &Conf, hostname: Option<&str>) -> Result<(ClientConfig, ServerName<'static>), Code> {
    let provider = provider();
    let verifier = Arc::new(ServerVerifier {
        verify: conf.verify,
        trust: conf.ca.as_ref().map(CertRef::trust),
        hostname: hostname.map(str::to_owned),
        provider: provider.clone(),
    });
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(VERSIONS)
        .map_err(|_| errors::SSL_INTERNAL_ERROR)?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let own = conf.own.as_ref().and_then(|o| Some((o.cert.ders(), o.key.private_der()?)));
    let mut cfg = match own {
        Some((chain, key)) => builder.with_client_auth_cert(chain, key).map_err(|e| error_code(&e))?,
        None => builder.with_no_client_auth(),
    };
    let name = hostname.and_then(|h| ServerName::try_from(h.to_owned()).ok());
    cfg.enable_sni = name.is_some();
    let name = name.unwrap_or(ServerName::DnsName(rustls::pki_types::DnsName::try_from("localhost").map_err(|_| errors::SSL_INTERNAL_ERROR)?));
    Ok((cfg, name))
}

fn server_config(conf: &Conf, own: Option<&Own>) -> Result<ServerConfig, Code> {
    let provider = provider();
    let builder = ServerConfig::builder_with_provider(provider.clone()).with_protocol_versions(VERSIONS).map_err(|_| errors::SSL_INTERNAL_ERROR)?;
    let builder = if conf.verify == Verify::None {
        builder.with_no_client_auth()
    } else {
        let trust = conf.ca.as_ref().map(CertRef::trust);
        let webpki = trust
            .as_ref()
            .filter(|t| !t.roots.is_empty())
            .and_then(|t| WebPkiClientVerifier::builder_with_provider(t.roots.clone(), provider.clone()).build().ok());
        builder.with_client_cert_verifier(Arc::new(ClientVerifier { verify: conf.verify, trust, webpki, provider }))
    };
    let own = own.and_then(|o| Some((o.cert.ders(), o.key.private_der()?)));
    match own {
        Some((chain, key)) => builder.with_single_cert(chain, key).map_err(|e| error_code(&e)),
        None => Ok(builder.with_cert_resolver(Arc::new(NoCert))),
    }
}

// ---------------------------------------------------------------------- handles

fn alloc_traced(vm: &mut Vm, v: impl NativeRefs) -> u64 {
    vm.heap.alloc(Obj::Native(NativeObj::Traced(Box::new(v).into()))) as u64
}

fn conf_mut(vm: &mut Vm, v: u64) -> Option<&mut Conf> {
    match vm.heap.get_mut(handle(v)) {
        Some(Obj::Native(NativeObj::Traced(b))) => (&mut **b as &mut dyn std::any::Any).downcast_mut::<Conf>(),
        _ => None,
    }
}

fn ctx_mut(vm: &mut Vm, v: u64) -> Option<&mut Ctx> {
    match vm.heap.get_mut(handle(v)) {
        Some(Obj::Native(NativeObj::Traced(b))) => (&mut **b as &mut dyn std::any::Any).downcast_mut::<Ctx>(),
        _ => None,
    }
}

/// The config at a handle slot, or HashLink's null access.
fn conf_arg(vm: &mut Vm, v: u64) -> Result<&mut Conf, Exc> {
    if conf_mut(vm, v).is_none() {
        return Err(vm.null_access(None));
    }
    conf_mut(vm, v).ok_or(Exc::Internal("ssl config vanished".into()))
}

/// The context at a handle slot, or HashLink's null access.
fn ctx_arg(vm: &mut Vm, v: u64) -> Result<&mut Ctx, Exc> {
    if ctx_mut(vm, v).is_none() {
        return Err(vm.null_access(None));
    }
    ctx_mut(vm, v).ok_or(Exc::Internal("ssl context vanished".into()))
}

// ---------------------------------------------------------------------- conf natives

/// `conf_new(server: Bool) -> config`: verification "required" for clients and "none"
/// for servers until `conf_set_verify` (Mbed TLS's defaults).
pub(super) fn conf_new(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let server = super::arg(a, 0) as u8 != 0;
    let verify = if server { Verify::None } else { Verify::Required };
    Ok(alloc_traced(vm, Conf { server, own: None, ca: None, verify, sni: 0 }))
}

/// `conf_close(config)`: nothing to release early (contexts hold their own copy).
pub(super) fn conf_close(_: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Ok(0)
}

/// `conf_set_ca(config, cert)`: trust `cert` and the certificates after it.
pub(super) fn conf_set_ca(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let cert = super::cert_arg(vm, super::arg(a, 1))?;
    conf_arg(vm, super::arg(a, 0))?.ca = Some(cert);
    Ok(0)
}

/// `conf_set_verify(config, mode)`: 1 required, 2 optional, anything else none.
pub(super) fn conf_set_verify(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let mode = match super::argi(a, 1) {
        1 => Verify::Required,
        2 => Verify::Optional,
        _ => Verify::None,
    };
    conf_arg(vm, super::arg(a, 0))?.verify = mode;
    Ok(0)
}

/// `conf_set_cert(config, cert, key)`: the own certificate chain (from `cert` on) and
/// its private key.
pub(super) fn conf_set_cert(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let cert = super::cert_arg(vm, super::arg(a, 1))?;
    let key = super::key_arg(vm, super::arg(a, 2))?;
    conf_arg(vm, super::arg(a, 0))?.own = Some(Own { cert, key });
    Ok(0)
}

/// `conf_set_servername_callback(config, cb: bytes -> SNICbResult)`.
pub(super) fn conf_set_servername_callback(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    conf_arg(vm, super::arg(a, 0))?.sni = super::arg(a, 1);
    Ok(0)
}

// ---------------------------------------------------------------------- ssl natives

/// `ssl_new(config) -> context`.
pub(super) fn ssl_new(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let conf = conf_arg(vm, super::arg(a, 0))?.clone();
    Ok(alloc_traced(vm, Ctx { conf, socket: 0, hostname: None, state: State::New, write_pending: false }))
}

/// `ssl_close(context)`: drops the connection (no `close_notify`); later calls fail.
pub(super) fn ssl_close(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    if let Some(c) = ctx_mut(vm, super::arg(a, 0)) {
        c.state = State::Closed;
    }
    Ok(0)
}

/// `ssl_set_socket(context, socket)`.
pub(super) fn ssl_set_socket(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    ctx_arg(vm, super::arg(a, 0))?.socket = super::arg(a, 1);
    Ok(0)
}

/// `ssl_set_hostname(context, name: bytes)`: the name to verify and send as SNI;
/// longer than 255 bytes throws `SSL - Bad input parameters to function`.
pub(super) fn ssl_set_hostname(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(name) = super::c_string(vm, super::arg(a, 1)) else { return Err(vm.null_access(None)) };
    if name.len() > 255 {
        return Err(super::throw_code(vm, errors::SSL_BAD_INPUT_DATA));
    }
    let name = String::from_utf8_lossy(&name).into_owned();
    ctx_arg(vm, super::arg(a, 0))?.hostname = Some(name);
    Ok(0)
}

/// `ssl_set_bio(context, [obj, read, write])`: custom I/O through Haxe closures, which
/// nothing in Haxe's standard library uses; not supported.
pub(super) fn ssl_set_bio(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Err(vm.throw_msg("ssl_set_bio is not supported"))
}

/// Calls the server-name callback: the own certificate and key it picks, or `None`.
fn call_sni(vm: &mut Vm, cb: u64, name: &str) -> Result<Option<Own>, Exc> {
    let ret = match vm.heap.get(handle(cb)) {
        Some(Obj::Closure { fun, .. }) => {
            let fun = *fun;
            vm.fun_type(fun).and_then(|t| vm.types.get(t as usize)?.fun().map(|f| f.ret))
        }
        _ => None,
    };
    let Some(ret) = ret else { return Err(vm.null_access(None)) };
    let mut z = name.as_bytes().to_vec();
    z.push(0);
    let b = vm.alloc_bytes_from(z);
    let mark = vm.temp_root_len();
    vm.push_temp_root(b);
    let r = vm.call_closure_typed(handle(cb), &[b], &[], ret);
    vm.truncate_temp_roots(mark);
    let r = r?;
    let (c, k) = match vm.heap.get(handle(r)) {
        Some(Obj::Instance { fields, .. }) if fields.len() >= 2 => (fields[0], fields[1]),
        _ => return Ok(None),
    };
    match (super::cert_of(vm, c), super::key_of(vm, k)) {
        (Some(cert), Some(key)) => Ok(Some(Own { cert, key })),
        _ => Ok(None),
    }
}

/// Sends what the connection has queued. `Done` when nothing is left.
fn flush(conn: &mut rustls::Connection, io: &mut Io) -> Step {
    while conn.wants_write() {
        if let Err(e) = conn.write_tls(io) {
            return io_step(&e);
        }
    }
    Step::Done
}

/// After a failed `process_new_packets`: sends the alert `rustls` queued (one attempt),
/// except where Mbed TLS sends none (no client certificate).
fn fail(conn: &mut rustls::Connection, io: &mut Io, e: &rustls::Error) -> Step {
    if !matches!(e, rustls::Error::NoCertificatesPresented) {
        let _ = conn.write_tls(io);
    }
    Step::Fatal(error_code(e))
}

/// Runs the handshake as far as the socket allows. The context's state is taken out
/// while it runs (the server-name callback may run Haxe code) and put back after.
fn handshake_step(vm: &mut Vm, ctx_slot: u64) -> Result<Step, Exc> {
    let Some(ctx) = ctx_mut(vm, ctx_slot) else { return Err(vm.null_access(None)) };
    let mut state = std::mem::replace(&mut ctx.state, State::Closed);
    let (conf, socket, hostname) = (ctx.conf.clone(), ctx.socket, ctx.hostname.clone());
    let r = run_handshake(vm, &conf, socket, hostname.as_deref(), &mut state);
    if let Some(ctx) = ctx_mut(vm, ctx_slot) {
        if let Ok(Step::Fatal(c)) = r {
            state = State::Failed(c);
        }
        ctx.state = state;
    }
    r
}

fn run_handshake(vm: &mut Vm, conf: &Conf, socket: u64, hostname: Option<&str>, state: &mut State) -> Result<Step, Exc> {
    loop {
        match state {
            State::Closed => return Ok(Step::Fatal(errors::SSL_BAD_INPUT_DATA)),
            State::Failed(c) => return Ok(Step::Fatal(*c)),
            State::New => {
                if conf.server {
                    *state = State::Accepting(Box::default());
                } else {
                    let (cfg, name) = match client_config(conf, hostname) {
                        Ok(x) => x,
                        Err(c) => return Ok(Step::Fatal(c)),
                    };
                    match ClientConnection::new(Arc::new(cfg), name) {
                        Ok(c) => *state = State::Conn(Box::new(c.into())),
                        Err(e) => return Ok(Step::Fatal(error_code(&e))),
                    }
                }
            }
            State::Accepting(acc) => {
                let Some(sock) = socket_of(vm, socket) else { return Ok(Step::SocketError) };
                let mut io = Io(sock);
                match acc.read_tls(&mut io) {
                    Ok(0) => return Ok(Step::Eof),
                    Ok(_) => {}
                    Err(e) => return Ok(io_step(&e)),
                }
                let accepted = match acc.accept() {
                    Ok(None) => continue,
                    Ok(Some(a)) => a,
                    Err((e, mut alert)) => {
                        let _ = alert.write_all(&mut io);
                        return Ok(Step::Fatal(error_code(&e)));
                    }
                };
                let mut own = conf.own.clone();
                if conf.sni != 0 {
                    if let Some(name) = accepted.client_hello().server_name().map(str::to_owned) {
                        own = call_sni(vm, conf.sni, &name)?;
                    }
                }
                let cfg = match server_config(conf, own.as_ref()) {
                    Ok(c) => c,
                    Err(c) => return Ok(Step::Fatal(c)),
                };
                match accepted.into_connection(Arc::new(cfg)) {
                    Ok(c) => *state = State::Conn(Box::new(c.into())),
                    Err((e, mut alert)) => {
                        let _ = alert.write_all(&mut io);
                        return Ok(Step::Fatal(error_code(&e)));
                    }
                }
            }
            State::Conn(conn) => {
                let Some(sock) = socket_of(vm, socket) else { return Ok(Step::SocketError) };
                return Ok(drive(conn, &mut Io(sock)));
            }
        }
    }
}

/// Runs an established connection's handshake as far as the socket allows: sends what
/// is queued, then reads and processes records until the handshake is over.
fn drive(conn: &mut rustls::Connection, io: &mut Io) -> Step {
    loop {
        match flush(conn, io) {
            Step::Done => {}
            other => return other,
        }
        if !conn.is_handshaking() {
            return Step::Done;
        }
        match conn.read_tls(io) {
            Ok(0) => return Step::Eof,
            Ok(_) => {}
            Err(e) => return io_step(&e),
        }
        if let Err(e) = conn.process_new_packets() {
            return fail(conn, io, &e);
        }
    }
}

/// Runs `attempt` (one try at TLS I/O for the context `ctx_slot`) so that a blocking socket
/// does not keep the VM lock while it waits, which would stop every other Haxe thread (a
/// TLS server thread and a client in the same program would never meet). Once Haxe code
/// has started threads, a blocking socket is made non-blocking for each attempt; when an
/// attempt would block (`blocked`), the wait happens in `poll` with the VM released, for
/// reading or, when the connection has records to send, for writing, up to the socket's
/// timeout (after which the blocked result is returned, as the timed-out call would);
/// then the attempt is made again. Without threads, or on a non-blocking socket, `attempt`
/// just runs.
fn without_holding_vm<T>(
    vm: &mut Vm,
    ctx_slot: u64,
    mut attempt: impl FnMut(&mut Vm) -> Result<T, Exc>,
    blocked: impl Fn(&T) -> bool,
) -> Result<T, Exc> {
    if !vm.threads.active() {
        return attempt(vm);
    }
    let Some(sock) = ctx_mut(vm, ctx_slot).map(|c| c.socket).and_then(|s| socket_of(vm, s)) else { return attempt(vm) };
    let fd = std::os::fd::AsRawFd::as_raw_fd(&*sock);
    // SAFETY: `fd` is the open descriptor `sock` owns (kept alive by the Arc); F_GETFL only
    // reads its flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || flags & libc::O_NONBLOCK != 0 {
        return attempt(vm);
    }
    loop {
        let _ = sock.set_nonblocking(true);
        let r = attempt(vm);
        let _ = sock.set_nonblocking(false);
        let r = r?;
        if !blocked(&r) {
            return Ok(r);
        }
        let write = matches!(ctx_mut(vm, ctx_slot).map(|c| &c.state), Some(State::Conn(c)) if c.wants_write());
        let timeout = if write { sock.write_timeout() } else { sock.read_timeout() }.ok().flatten();
        let events = if write { libc::POLLOUT } else { libc::POLLIN };
        let mut fds = [libc::pollfd { fd, events, revents: 0 }];
        let ready = vm.blocking(|| poll_all(&mut fds, timeout));
        if !ready || fds[0].revents == 0 {
            return Ok(r);
        }
    }
}

/// `ssl_handshake(context) -> Int` (see the module docs for the results).
pub(super) fn ssl_handshake(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let slot = super::arg(a, 0);
    let step = without_holding_vm(vm, slot, |vm| handshake_step(vm, slot), |s| matches!(s, Step::WouldBlock))?;
    let r = match step {
        Step::Done => 0,
        Step::WouldBlock | Step::SocketError => -1,
        Step::Eof => -2,
        Step::Fatal(c) => c,
    };
    Ok(crate::value::from_i32(r))
}

/// Finishes the handshake for `ssl_recv`/`ssl_send`: `Ok(None)` when the connection is
/// ready, else the result to return (-1 blocked, -2 failed).
fn ready(vm: &mut Vm, ctx_slot: u64) -> Result<Option<i32>, Exc> {
    Ok(match handshake_step(vm, ctx_slot)? {
        Step::Done => None,
        Step::WouldBlock => Some(-1),
        _ => Some(-2),
    })
}

/// The established connection of a context and its socket (after [`ready`]).
fn connection(vm: &mut Vm, ctx_slot: u64) -> Option<(&mut rustls::Connection, Io)> {
    let socket = ctx_mut(vm, ctx_slot)?.socket;
    let sock = socket_of(vm, socket)?;
    match &mut ctx_mut(vm, ctx_slot)?.state {
        State::Conn(c) => Some((&mut **c, Io(sock))),
        _ => None,
    }
}

/// Reads up to `max` bytes of application data: the bytes, or 0 after `close_notify`,
/// -1 blocked, -2 failed or end of stream.
fn recv_data(vm: &mut Vm, ctx_slot: u64, max: usize) -> Result<Result<Vec<u8>, i32>, Exc> {
    if ctx_mut(vm, ctx_slot).is_none() {
        return Err(vm.null_access(None));
    }
    if let Some(r) = ready(vm, ctx_slot)? {
        return Ok(Err(r));
    }
    let Some((conn, mut io)) = connection(vm, ctx_slot) else { return Ok(Err(-2)) };
    let mut buf = vec![0; max.min(1 << 16)];
    loop {
        match conn.reader().read(&mut buf) {
            Ok(0) => return Ok(Err(0)),
            Ok(n) => {
                buf.truncate(n);
                return Ok(Ok(buf));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return Ok(Err(-2)),
        }
        match conn.read_tls(&mut io) {
            Ok(0) => return Ok(Err(-2)),
            Ok(_) => {}
            Err(e) => return Ok(Err(if is_block_error(&e) { -1 } else { -2 })),
        }
        if let Err(e) = conn.process_new_packets() {
            fail(conn, &mut io, &e);
            return Ok(Err(-2));
        }
        let _ = flush(conn, &mut io);
    }
}

/// Writes application data: the count taken (at most one record), -1 blocked, -2
/// failed. As with Mbed TLS, data whose record could not be sent completely is kept and
/// -1 returned; the next call sends the rest and returns its own length.
fn send_data(vm: &mut Vm, ctx_slot: u64, data: &[u8]) -> Result<i32, Exc> {
    if ctx_mut(vm, ctx_slot).is_none() {
        return Err(vm.null_access(None));
    }
    if let Some(r) = ready(vm, ctx_slot)? {
        return Ok(r);
    }
    let Some(sock) = ctx_mut(vm, ctx_slot).map(|c| c.socket).and_then(|s| socket_of(vm, s)) else { return Ok(-2) };
    let Some(Ctx { state: State::Conn(conn), write_pending, .. }) = ctx_mut(vm, ctx_slot) else { return Ok(-2) };
    let mut io = Io(sock);
    let want = data.len().min(MAX_RECORD);
    match flush(conn, &mut io) {
        Step::Done => {}
        Step::WouldBlock => return Ok(-1),
        _ => return Ok(-2),
    }
    if *write_pending {
        *write_pending = false;
        return Ok(want as i32);
    }
    if want == 0 {
        return Ok(0);
    }
    let Ok(n) = conn.writer().write(&data[..want]) else { return Ok(-2) };
    match flush(conn, &mut io) {
        Step::Done => Ok(n as i32),
        Step::WouldBlock => {
            *write_pending = true;
            Ok(-1)
        }
        _ => Ok(-2),
    }
}

/// `ssl_recv(context, bytes, pos, len) -> Int`.
pub(super) fn ssl_recv(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let (buf, pos, len) = (super::arg(a, 1), super::argi(a, 2), super::argi(a, 3));
    if pos < 0 || len < 0 || super::byte_range(vm, buf, pos, len).is_none() {
        return Err(vm.out_of_bounds());
    }
    if len == 0 {
        return Ok(0);
    }
    let slot = super::arg(a, 0);
    let r = match without_holding_vm(vm, slot, |vm| recv_data(vm, slot, len as usize), |r| matches!(r, Err(-1)))? {
        Ok(data) => {
            let n = data.len();
            if let Some(dst) = super::byte_range_mut(vm, buf, pos, n as i32) {
                dst.copy_from_slice(&data);
            }
            n as i32
        }
        Err(r) => r,
    };
    Ok(crate::value::from_i32(r))
}

/// `ssl_recv_char(context) -> Int`: the next byte, -1 blocked, -2 otherwise (also after
/// `close_notify`).
pub(super) fn ssl_recv_char(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let slot = super::arg(a, 0);
    let r = match without_holding_vm(vm, slot, |vm| recv_data(vm, slot, 1), |r| matches!(r, Err(-1)))? {
        Ok(data) => data.first().map_or(-2, |&b| b as i32),
        Err(-1) => -1,
        Err(_) => -2,
    };
    Ok(crate::value::from_i32(r))
}

/// `ssl_send(context, bytes, pos, len) -> Int`.
pub(super) fn ssl_send(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(data) = super::byte_range(vm, super::arg(a, 1), super::argi(a, 2), super::argi(a, 3)).map(<[u8]>::to_vec) else {
        return Err(vm.out_of_bounds());
    };
    let slot = super::arg(a, 0);
    let r = without_holding_vm(vm, slot, |vm| send_data(vm, slot, &data), |&r| r == -1)?;
    Ok(crate::value::from_i32(r))
}

/// `ssl_send_char(context, c) -> Int`: 1 when sent, -1 blocked, -2 failed.
pub(super) fn ssl_send_char(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let slot = super::arg(a, 0);
    let byte = [super::argi(a, 1) as u8];
    let r = without_holding_vm(vm, slot, |vm| send_data(vm, slot, &byte), |&r| r == -1)?;
    Ok(crate::value::from_i32(if r > 0 { 1 } else { r }))
}

/// `ssl_get_peer_certificate(context) -> cert`: the peer's chain as it sent it; an empty
/// certificate when there is none (HashLink returns a handle on no certificate too).
pub(super) fn ssl_get_peer_certificate(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let ctx = ctx_arg(vm, super::arg(a, 0))?;
    let ders: Vec<Vec<u8>> = match &ctx.state {
        State::Conn(c) => c.peer_certificates().map(|l| l.iter().map(|d| d.as_ref().to_vec()).collect()).unwrap_or_default(),
        _ => Vec::new(),
    };
    let certs = ders.iter().filter_map(|d| Cert::parse_der(d).ok()).collect();
    Ok(super::new_cert_handle(vm, CertRef::new(certs)))
}
