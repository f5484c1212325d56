//! Socket and host natives behind `sys.net.Socket`, `sys.net.UdpSocket` and
//! `sys.net.Host` (HashLink's `socket_*` and `host_*` primitives), IPv4 only as in
//! HashLink 1.17.
//!
//! # Values
//! - **Socket handle** (`hl.Abstract<"hl_socket">`): an `Obj::Native(NativeObj::Opaque)`
//!   holding a [`SocketCell`]. `socket_close` closes the OS socket at once and leaves the
//!   cell empty; a socket that is never closed is closed when the collector frees its
//!   handle (HashLink never closes it). A null handle and a closed one both make the
//!   natives fail the way HashLink's do on them (-2, `false`, null), except
//!   `socket_shutdown(s, false, false)`, which is `true` on a closed socket only.
//! - **Host** (`Int`): an IPv4 address as its four bytes in network order (`a.b.c.d`)
//!   read as a native-endian Int, so `127.0.0.1` is `0x0100007F` on little-endian
//!   machines. Ports are plain Ints (truncated to 16 bits).
//!
//! # Results
//! I/O natives return a count, or -1 when the call would block (`EAGAIN`,
//! `EWOULDBLOCK`, `EINPROGRESS`, `EALREADY`: a non-blocking socket with nothing to do,
//! or a timeout set by `socket_set_timeout`) and -2 on any other error or on a null
//! socket. `Socket.hx` turns -1 into `haxe.io.Error.Blocked` and -2 (and a 0 from
//! `socket_recv`, the end of the stream) into `haxe.io.Eof`. The other natives return
//! `false` on failure and `Socket.hx` throws `Sys.SysError` with its own message
//! (`"Failed to connect on 127.0.0.1:80"`, `"listen() failure"`, ...).
//!
//! # `socket_select`
//! The Haxe side sizes a scratch buffer with `socket_fd_size` (the size of a C
//! `fd_set`, or -1 past `FD_SETSIZE` sockets) and passes it with its size; as in
//! HashLink, `select` fails when that size is too small for the non-null arrays. The
//! buffer itself is not used: readiness comes from `poll(2)`, mapped to what `select(2)`
//! reports (read: data, end of stream, hang-up or error; write: room or error; others:
//! urgent data), without `select`'s limit on descriptor numbers. Each array is then
//! compacted in place to its ready sockets, in order, followed by a null when some were
//! dropped. A negative timeout waits forever; a timeout whose seconds do not fit an Int
//! fails as `select(2)` does with such a `timeval`. Unlike HashLink, an interrupted wait
//! (`EINTR`) resumes for the time left instead of reporting every socket ready.
//!
//! # Blocking
//! `socket_connect`, `socket_accept`, `socket_recv*`, `socket_send*` (when the system
//! buffer is full) and `socket_select` block the calling thread as in HashLink; with one
//! Haxe thread per VM nothing else runs meanwhile. Once threads exist these are the calls
//! that must release the VM (HashLink marks them with `hl_blocking`).
//!
//! # For the TLS natives
//! `ssl_set_socket` receives a socket handle slot. Keep that slot and call
//! [`socket_of`] at each I/O to get the `socket2::Socket` (its raw descriptor through
//! `AsRawFd`, or `Read`/`Write` for `&Socket`): a `socket_close` then takes effect at
//! once as in HashLink, and a stale handle gives `None` instead of another descriptor.
//! The handle cell holds no heap references, so the TLS object must keep the socket
//! handle reachable itself (Haxe's `sys.ssl.Socket` does: it is the `__s` field).
//!
//! Facts from HashLink 1.17's `src/std/socket.c` and Haxe 4.2.5's
//! `std/hl/_std/sys/net/*.hx`; behaviour checked against the reference VM by the
//! `socket_*` and `host_basic` programs of `haxe-tests/haxe/`.

use std::io::Read;
use std::mem::MaybeUninit;
use std::net::{Ipv4Addr, Shutdown, SocketAddrV4, ToSocketAddrs};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use socket2::{Domain, SockAddr, Socket, Type};

use super::{arg, argi, byte_range, byte_range_mut, noop, Table};
use crate::gc::{NativeObj, Obj};
use crate::value::*;
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("socket_init", noop),
    ("host_resolve", host_resolve),
    ("host_to_string", host_to_string),
    ("host_local", host_local),
    ("host_reverse", host_reverse),
    ("socket_new", socket_new),
    ("socket_close", socket_close),
    ("socket_connect", socket_connect),
    ("socket_bind", socket_bind),
    ("socket_listen", socket_listen),
    ("socket_accept", socket_accept),
    ("socket_send", socket_send),
    ("socket_send_char", socket_send_char),
    ("socket_recv", socket_recv),
    ("socket_recv_char", socket_recv_char),
    ("socket_select", socket_select),
    ("socket_fd_size", socket_fd_size),
    ("socket_host", socket_host),
    ("socket_peer", socket_peer),
    ("socket_set_blocking", socket_set_blocking),
    ("socket_set_fast_send", socket_set_fast_send),
    ("socket_set_timeout", socket_set_timeout),
    ("socket_shutdown", socket_shutdown),
    ("socket_recv_from", socket_recv_from),
    ("socket_send_to", socket_send_to),
    ("socket_set_broadcast", socket_set_broadcast),
];

// ---------------------------------------------------------------------- handles

/// What a socket handle holds: the OS socket, or `None` once `socket_close` ran.
///
/// Dropping the last `Arc` closes the descriptor; natives clone the `Arc` for the length
/// of one call so the heap can be used meanwhile.
pub(crate) struct SocketCell(Option<Arc<Socket>>);

/// What a socket handle slot refers to.
enum Handle {
    /// Null, or not a socket handle.
    Null,
    /// A socket already closed by `socket_close`.
    Closed,
    Open(Arc<Socket>),
}

fn lookup(vm: &Vm, v: u64) -> Handle {
    match vm.heap.get(handle(v)) {
        Some(Obj::Native(NativeObj::Opaque(b))) => match b.downcast_ref::<SocketCell>() {
            Some(SocketCell(Some(s))) => Handle::Open(s.clone()),
            Some(SocketCell(None)) => Handle::Closed,
            None => Handle::Null,
        },
        _ => Handle::Null,
    }
}

/// The open socket behind a socket handle slot (`None` when null, closed or not a
/// socket handle). The `Arc` keeps the descriptor open while it is held; hold it only
/// for the length of one native call (see the module docs).
pub(crate) fn socket_of(vm: &Vm, v: u64) -> Option<Arc<Socket>> {
    match lookup(vm, v) {
        Handle::Open(s) => Some(s),
        _ => None,
    }
}

fn new_handle(vm: &mut Vm, s: Socket) -> u64 {
    vm.heap.alloc(Obj::Native(NativeObj::Opaque(Box::new(SocketCell(Some(Arc::new(s)))).into()))) as u64
}

/// True when a failed socket call would block or is in progress (`EAGAIN`,
/// `EWOULDBLOCK`, `EINPROGRESS`, `EALREADY`), HashLink's "blocked" errors.
pub(crate) fn is_block_error(e: &std::io::Error) -> bool {
    let c = e.raw_os_error();
    c == Some(libc::EAGAIN) || c == Some(libc::EWOULDBLOCK) || c == Some(libc::EINPROGRESS) || c == Some(libc::EALREADY)
}

/// HashLink's classification of a failed socket call: -1 when it would block (or is in
/// progress), -2 otherwise.
fn block_error(e: &std::io::Error) -> i32 {
    if is_block_error(e) {
        -1
    } else {
        -2
    }
}

fn count(r: std::io::Result<usize>) -> u64 {
    from_i32(match r {
        Ok(n) => n as i32,
        Err(e) => block_error(&e),
    })
}

fn argb(a: &[u64], i: usize) -> bool {
    arg(a, i) as u8 != 0
}

/// The IPv4 address of a host Int (see the module docs).
fn ipv4_of(host: i32) -> Ipv4Addr {
    Ipv4Addr::from(host.to_ne_bytes())
}

/// The host Int of an IPv4 address.
fn host_of(ip: Ipv4Addr) -> i32 {
    i32::from_ne_bytes(ip.octets())
}

fn sockaddr(host: i32, port: i32) -> SockAddr {
    SockAddr::from(SocketAddrV4::new(ipv4_of(host), port as u16))
}

// ---------------------------------------------------------------------- hosts

/// Parses an IPv4 address the way C's `inet_aton` does: one to four parts separated by
/// dots, each decimal, octal (leading `0`) or hexadecimal (leading `0x`), the last part
/// filling the remaining bytes (`127.1` is `127.0.0.1`), trailing ASCII white space
/// (C's `isspace`) allowed. Returns the address as a big-endian `u32`.
fn inet_aton(s: &[u8]) -> Option<u32> {
    let mut parts: Vec<u32> = Vec::with_capacity(4);
    let mut i = 0;
    loop {
        // Each part starts with a digit.
        if !s.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let (base, start) = match (s[i], s.get(i + 1)) {
            (b'0', Some(b'x' | b'X')) if s.get(i + 2).is_some_and(u8::is_ascii_hexdigit) => (16, i + 2),
            (b'0', _) => (8, i),
            _ => (10, i),
        };
        let mut v: u64 = 0;
        i = start;
        while let Some(d) = s.get(i).and_then(|&c| (c as char).to_digit(base)) {
            v = v * base as u64 + d as u64;
            if v > u32::MAX as u64 {
                return None;
            }
            i += 1;
        }
        match s.get(i) {
            Some(b'.') => {
                if parts.len() == 3 || v > 0xff {
                    return None;
                }
                parts.push(v as u32);
                i += 1;
            }
            // C's `isspace`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
            Some(&c) if c != b' ' && !(9..=13).contains(&c) => return None,
            _ => {
                let shift = 8 * (4 - parts.len() as u32 - 1);
                if v >> shift >> 8 != 0 {
                    return None;
                }
                let high = parts.iter().enumerate().fold(0u32, |acc, (k, &p)| acc | p << (24 - 8 * k as u32));
                return Some(high | v as u32);
            }
        }
    }
}

/// `host_resolve(name: bytes) -> Int`: a dotted address (`inet_aton` forms) or a host
/// name's first IPv4 address; -1 when it cannot be resolved (including for
/// `255.255.255.255`, as in HashLink).
fn host_resolve(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(d) = vm.bytes_at(arg(a, 0)) else { return Err(vm.null_access(None)) };
    let name = &d[..d.iter().position(|&c| c == 0).unwrap_or(d.len())];
    if let Some(ip) = inet_aton(name).filter(|&ip| ip != u32::MAX) {
        return Ok(from_i32(host_of(Ipv4Addr::from(ip))));
    }
    let name = String::from_utf8_lossy(name).into_owned();
    let found = (name.as_str(), 0u16)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.find_map(|a| if let std::net::SocketAddr::V4(v4) = a { Some(*v4.ip()) } else { None }));
    Ok(from_i32(found.map_or(-1, host_of)))
}

fn c_string(vm: &mut Vm, s: &[u8]) -> u64 {
    let mut v = s.to_vec();
    v.push(0);
    vm.alloc_bytes_from(v)
}

/// `host_to_string(host: Int) -> bytes`: `"a.b.c.d"`, NUL-terminated UTF-8.
fn host_to_string(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let s = ipv4_of(argi(a, 0)).to_string();
    Ok(c_string(vm, s.as_bytes()))
}

/// `host_reverse(host: Int) -> bytes`: the host's name from the system resolver, or
/// null when it has none.
fn host_reverse(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let addr = SockAddr::from(SocketAddrV4::new(ipv4_of(argi(a, 0)), 0));
    let mut name = [0u8; 1025];
    // SAFETY: `addr` is a valid IPv4 socket address of `addr.len()` bytes; `name` is a
    // writable buffer of the length passed; no service buffer is requested.
    let r = unsafe {
        libc::getnameinfo(
            addr.as_ptr().cast::<libc::sockaddr>(),
            addr.len(),
            name.as_mut_ptr().cast::<libc::c_char>(),
            name.len() as libc::socklen_t,
            std::ptr::null_mut(),
            0,
            libc::NI_NAMEREQD,
        )
    };
    if r != 0 {
        return Ok(0);
    }
    let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
    Ok(c_string(vm, &name[..end]))
}

/// `host_local() -> bytes`: this machine's host name, or null.
fn host_local(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    let mut name = [0u8; 256];
    // SAFETY: `name` is a writable buffer of the length passed.
    let r = unsafe { libc::gethostname(name.as_mut_ptr().cast::<libc::c_char>(), name.len()) };
    if r != 0 {
        return Ok(0);
    }
    let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
    Ok(c_string(vm, &name[..end]))
}

// ---------------------------------------------------------------------- sockets

/// `socket_new(udp: Bool) -> socket`: a new IPv4 TCP (or UDP) socket, blocking, not
/// inherited by child processes; null when the system refuses one.
fn socket_new(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let ty = if argb(a, 0) { Type::DGRAM } else { Type::STREAM };
    match Socket::new(Domain::IPV4, ty, None) {
        Ok(s) => Ok(new_handle(vm, s)),
        Err(_) => Ok(0),
    }
}

/// `socket_close(s)`: closes the OS socket now (nothing on null or closed).
fn socket_close(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    if let Some(Obj::Native(NativeObj::Opaque(b))) = vm.heap.get_mut(handle(arg(a, 0))) {
        if let Some(cell) = b.downcast_mut::<SocketCell>() {
            cell.0 = None;
        }
    }
    Ok(0)
}

/// `socket_connect(s, host, port) -> Bool`: `true` when connected, or when the
/// connection is in progress on a non-blocking socket.
fn socket_connect(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    let addr = sockaddr(argi(a, 1), argi(a, 2));
    Ok(match vm.blocking(|| s.connect(&addr)) {
        Ok(()) => 1,
        Err(e) => (block_error(&e) == -1) as u64,
    })
}

/// `socket_bind(s, host, port) -> Bool`, with `SO_REUSEADDR` set first.
fn socket_bind(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    let _ = s.set_reuse_address(true);
    Ok(s.bind(&sockaddr(argi(a, 1), argi(a, 2))).is_ok() as u64)
}

/// `socket_listen(s, backlog) -> Bool`.
fn socket_listen(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    Ok(s.listen(argi(a, 1)).is_ok() as u64)
}

/// `socket_accept(s) -> socket`: the next connection, or null (also when a non-blocking
/// socket has none waiting).
fn socket_accept(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    match vm.blocking(|| s.accept()) {
        Ok((c, _)) => Ok(new_handle(vm, c)),
        Err(_) => Ok(0),
    }
}

/// Writes an IPv4 socket address to `ref host` and `ref port`; `false` when the call
/// failed.
fn address_out(vm: &mut Vm, a: &[u64], addr: std::io::Result<SockAddr>) -> Result<u64, Exc> {
    let Ok(addr) = addr else { return Ok(0) };
    let v4 = addr.as_socket_ipv4().unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
    vm.set_ref_i32(arg(a, 1), host_of(*v4.ip()))?;
    vm.set_ref_i32(arg(a, 2), v4.port() as i32)?;
    Ok(1)
}

/// `socket_peer(s, ref host, ref port) -> Bool`: the connected peer's address.
fn socket_peer(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    address_out(vm, a, s.peer_addr())
}

/// `socket_host(s, ref host, ref port) -> Bool`: the socket's own address.
fn socket_host(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    address_out(vm, a, s.local_addr())
}

/// Flags for `send`: no `SIGPIPE` on a closed connection (Apple platforms get
/// `SO_NOSIGPIPE` from `socket2` instead).
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd", target_os = "netbsd", target_os = "openbsd"))]
pub(crate) const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;
#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd", target_os = "netbsd", target_os = "openbsd")))]
pub(crate) const SEND_FLAGS: libc::c_int = 0;

/// `socket_send(s, bytes, pos, len) -> Int`: bytes sent, -1 would block, -2 error.
fn socket_send(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(from_i32(-2)) };
    let Some(data) = byte_range(vm, arg(a, 1), argi(a, 2), argi(a, 3)) else { return Err(vm.out_of_bounds()) };
    let data = data.to_vec();
    Ok(count(vm.blocking(|| s.send_with_flags(&data, SEND_FLAGS))))
}

/// `socket_send_char(s, c) -> Int`: 1 when the byte was sent, -1 would block, -2 error.
fn socket_send_char(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(from_i32(-2)) };
    let c = argi(a, 1) as u8;
    Ok(match vm.blocking(|| s.send_with_flags(&[c], SEND_FLAGS)) {
        Ok(_) => 1,
        Err(e) => from_i32(block_error(&e)),
    })
}

/// `socket_recv(s, bytes, pos, len) -> Int`: bytes received (0 at the end of the
/// stream), -1 would block or timed out, -2 error.
fn socket_recv(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(from_i32(-2)) };
    if !vm.threads.active() {
        let Some(buf) = byte_range_mut(vm, arg(a, 1), argi(a, 2), argi(a, 3)) else { return Err(vm.out_of_bounds()) };
        return Ok(count((&*s).read(buf)));
    }
    let Some(buf) = byte_range_mut(vm, arg(a, 1), argi(a, 2), argi(a, 3)) else { return Err(vm.out_of_bounds()) };
    // Received into a buffer of our own while other threads run, then copied.
    let mut tmp = vec![0u8; buf.len()];
    let r = vm.blocking(|| (&*s).read(&mut tmp));
    if let (Ok(n), Some(buf)) = (&r, byte_range_mut(vm, arg(a, 1), argi(a, 2), argi(a, 3))) {
        let n = (*n).min(buf.len());
        buf[..n].copy_from_slice(&tmp[..n]);
    }
    Ok(count(r))
}

/// `socket_recv_char(s) -> Int`: the next byte, -1 would block or timed out, -2 at the
/// end of the stream or on error.
fn socket_recv_char(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(from_i32(-2)) };
    let mut c = [0u8];
    Ok(from_i32(match vm.blocking(|| (&*s).read(&mut c)) {
        Ok(1) => c[0] as i32,
        Ok(_) => -2,
        Err(e) => block_error(&e),
    }))
}

/// `socket_send_to(s, bytes, len, host, port) -> Int`: one datagram; bytes sent, -1
/// would block, -2 error.
fn socket_send_to(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(from_i32(-2)) };
    let Some(data) = byte_range(vm, arg(a, 1), 0, argi(a, 2)) else { return Err(vm.out_of_bounds()) };
    Ok(count(s.send_to_with_flags(data, &sockaddr(argi(a, 3), argi(a, 4)), SEND_FLAGS)))
}

/// `socket_recv_from(s, bytes, len, ref host, ref port) -> Int`: one datagram, its
/// sender written to the refs; bytes received, -1 would block or timed out, -2 error
/// (refs untouched then).
fn socket_recv_from(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(from_i32(-2)) };
    let Some(buf) = byte_range_mut(vm, arg(a, 1), 0, argi(a, 2)) else { return Err(vm.out_of_bounds()) };
    // Received into a buffer of our own while other threads run, then copied.
    let mut tmp = vec![MaybeUninit::<u8>::uninit(); buf.len()];
    match vm.blocking(|| s.recv_from(&mut tmp)) {
        Ok((n, from)) => {
            if let Some(buf) = byte_range_mut(vm, arg(a, 1), 0, argi(a, 2)) {
                let n = n.min(buf.len()).min(tmp.len());
                for (d, b) in buf[..n].iter_mut().zip(&tmp[..n]) {
                    // SAFETY: `recv_from` initialised the first `n` bytes it reports.
                    *d = unsafe { b.assume_init() };
                }
            }
            let v4 = from.as_socket_ipv4().unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
            vm.set_ref_i32(arg(a, 3), host_of(*v4.ip()))?;
            vm.set_ref_i32(arg(a, 4), v4.port() as i32)?;
            Ok(from_i32(n as i32))
        }
        Err(e) => Ok(from_i32(block_error(&e))),
    }
}

/// `socket_shutdown(s, read, write) -> Bool`; `true` without a call when neither side
/// is asked (on a closed socket too, not on null).
fn socket_shutdown(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let s = match lookup(vm, arg(a, 0)) {
        Handle::Null => return Ok(0),
        Handle::Closed => None,
        Handle::Open(s) => Some(s),
    };
    let how = match (argb(a, 1), argb(a, 2)) {
        (false, false) => return Ok(1),
        (true, true) => Shutdown::Both,
        (true, false) => Shutdown::Read,
        (false, true) => Shutdown::Write,
    };
    Ok(s.is_some_and(|s| s.shutdown(how).is_ok()) as u64)
}

/// `socket_set_blocking(s, b) -> Bool`.
fn socket_set_blocking(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    Ok(s.set_nonblocking(!argb(a, 1)).is_ok() as u64)
}

/// `socket_set_fast_send(s, b) -> Bool`: `TCP_NODELAY`.
fn socket_set_fast_send(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    Ok(s.set_tcp_nodelay(argb(a, 1)).is_ok() as u64)
}

/// `socket_set_broadcast(s, b) -> Bool`: `SO_BROADCAST`.
fn socket_set_broadcast(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    Ok(s.set_broadcast(argb(a, 1)).is_ok() as u64)
}

/// Seconds as HashLink splits them into a C `timeval`: whole seconds and microseconds,
/// each through C's float-to-int conversion (so out-of-range values give `i32::MIN`).
fn timeval_parts(t: f64) -> (i32, i32) {
    let sec = f64_to_i32(t);
    (sec, f64_to_i32((t - sec as f64) * 1_000_000.0))
}

/// `socket_set_timeout(s, seconds: Float) -> Bool`: the send and receive timeouts
/// (`SO_SNDTIMEO`, `SO_RCVTIMEO`); 0 waits forever. The `timeval` goes to the system
/// as HashLink builds it, so the system's rules apply unchanged (on Linux a negative
/// whole number of seconds makes every wait time out at once, and a negative fraction
/// is refused).
fn socket_set_timeout(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let Some(s) = socket_of(vm, arg(a, 0)) else { return Ok(0) };
    let (sec, usec) = timeval_parts(f64_of(arg(a, 1)));
    let tv = libc::timeval { tv_sec: sec as libc::time_t, tv_usec: usec as libc::suseconds_t };
    for opt in [libc::SO_SNDTIMEO, libc::SO_RCVTIMEO] {
        // SAFETY: the descriptor is open (`s` holds it); the option value points to a
        // `timeval` of the size passed, as these options require.
        let r = unsafe {
            libc::setsockopt(
                s.as_raw_fd(),
                libc::SOL_SOCKET,
                opt,
                (&tv as *const libc::timeval).cast::<libc::c_void>(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Ok(0);
        }
    }
    Ok(1)
}

// ---------------------------------------------------------------------- select

/// Bytes of scratch `socket_select` requires per socket array: the size of a C
/// `fd_set`, or -1 for more sockets than `FD_SETSIZE`.
fn fd_size(n: i32) -> i32 {
    if n as i64 > libc::FD_SETSIZE as i64 {
        -1
    } else {
        std::mem::size_of::<libc::fd_set>() as i32
    }
}

/// `socket_fd_size(count) -> Int`.
fn socket_fd_size(_: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    Ok(from_i32(fd_size(argi(a, 0))))
}

/// The `poll` events asked for each `select` set and the ones that count as ready
/// there (read: `select`'s readable also covers hang-up and error; write: error;
/// others: urgent data only).
const SETS: [(libc::c_short, libc::c_short); 3] = [
    (libc::POLLIN, libc::POLLIN | libc::POLLHUP | libc::POLLERR),
    (libc::POLLOUT, libc::POLLOUT | libc::POLLERR),
    (libc::POLLPRI, libc::POLLPRI),
];

/// `poll` until one entry is ready or `timeout` (`None`: forever) passes; resumes after
/// `EINTR`. `false` when `poll` fails or reports a bad descriptor.
pub(crate) fn poll_all(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> bool {
    let deadline = timeout.map(|t| Instant::now().checked_add(t));
    loop {
        let ms = match deadline {
            None | Some(None) => -1,
            Some(Some(d)) => {
                let left = d.saturating_duration_since(Instant::now());
                // Round up so the wait is never shorter than asked.
                left.as_micros().div_ceil(1000).min(i32::MAX as u128) as libc::c_int
            }
        };
        // SAFETY: `fds` is a valid, writable slice of `pollfd` of the length passed.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
        if r < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return false;
        }
        if fds.iter().any(|p| p.revents & libc::POLLNVAL != 0) {
            return false;
        }
        let timed_out = match deadline {
            Some(Some(d)) => Instant::now() >= d,
            _ => false,
        };
        if r > 0 || timed_out || ms == 0 {
            return true;
        }
    }
}

/// `socket_select(read, write, others: NativeArray<socket>, tmp: bytes, tmp_size,
/// timeout: Float) -> Bool`: waits until a socket of the arrays is ready (see the module
/// docs), then keeps only the ready ones in each array.
fn socket_select(vm: &mut Vm, a: &[u64]) -> Result<u64, Exc> {
    let mut tmp_size = argi(a, 4);
    // Each non-null array's sockets, up to its first null.
    let mut sets: [Option<Vec<u64>>; 3] = [None, None, None];
    for (k, set) in sets.iter_mut().enumerate() {
        let arr = arg(a, k);
        if arr == 0 {
            continue;
        }
        let Some(Obj::Array { data, .. }) = vm.heap.get(handle(arr)) else { return Err(vm.null_access(None)) };
        let req = fd_size(data.len() as i32);
        if tmp_size < req {
            return Ok(0);
        }
        tmp_size -= req;
        *set = Some(data.iter().copied().take_while(|&s| s != 0).collect());
    }
    let mut fds = Vec::new();
    let mut held = Vec::new();
    for (set, &(events, _)) in sets.iter().zip(&SETS) {
        for &h in set.iter().flatten() {
            let Some(s) = socket_of(vm, h) else { return Ok(0) };
            fds.push(libc::pollfd { fd: s.as_raw_fd(), events, revents: 0 });
            held.push(s);
        }
    }
    let t = f64_of(arg(a, 5));
    let timeout = if t < 0.0 {
        None
    } else {
        let (sec, usec) = timeval_parts(t);
        if sec < 0 || !(0..1_000_000).contains(&usec) {
            return Ok(0);
        }
        Some(Duration::from_secs(sec as u64) + Duration::from_micros(usec as u64))
    };
    if !vm.blocking(|| poll_all(&mut fds, timeout)) {
        return Ok(0);
    }
    drop(held);
    let mut ready = fds.iter();
    for (k, (set, &(_, ready_mask))) in sets.iter().zip(&SETS).enumerate() {
        let Some(socks) = set else { continue };
        let keep: Vec<u64> = socks.iter().copied().filter(|_| ready.next().is_some_and(|p| p.revents & ready_mask != 0)).collect();
        if let Some(Obj::Array { data, .. }) = vm.heap.get_mut(handle(arg(a, k))) {
            let n = keep.len();
            data[..n].copy_from_slice(&keep);
            if n < data.len() {
                data[n] = 0;
            }
        }
    }
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aton(s: &str) -> Option<String> {
        inet_aton(s.as_bytes()).map(|ip| Ipv4Addr::from(ip).to_string())
    }

    #[test]
    fn inet_aton_forms() {
        assert_eq!(aton("127.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(aton("127.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(aton("10.1.2").as_deref(), Some("10.1.0.2"));
        assert_eq!(aton("0x7f.0.0.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(aton("017.0.0.1").as_deref(), Some("15.0.0.1"));
        assert_eq!(aton("0").as_deref(), Some("0.0.0.0"));
        assert_eq!(aton("4294967295").as_deref(), Some("255.255.255.255"));
        assert_eq!(aton("127.0.0.1 ").as_deref(), Some("127.0.0.1"));
        for bad in ["", " 127.0.0.1", "127.0.0.1x", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1.2.65536", "08", "0x", "1..2", "1.", "4294967296", "-1"] {
            assert_eq!(aton(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn host_ints_are_network_order_in_memory() {
        let h = host_of(Ipv4Addr::new(127, 0, 0, 1));
        assert_eq!(h.to_ne_bytes(), [127, 0, 0, 1]);
        assert_eq!(ipv4_of(h), Ipv4Addr::new(127, 0, 0, 1));
    }
}
