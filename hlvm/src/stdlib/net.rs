//! net natives (`sys.net.Socket`, `sys.net.Host`): not implemented yet.
//!
//! They are registered so that modules which reference them (the Haxe standard library
//! pulls them in whenever `sys.net` is compiled) link and run; calling one throws
//! `Socket natives are not supported by hlvm yet`, except `socket_init` (a no-op).

use super::{noop, Table};
use crate::vm::{Exc, Vm};

pub(super) const NATIVES: Table = &[
    ("socket_init", noop),
    ("host_resolve", unsupported),
    ("host_to_string", unsupported),
    ("host_local", unsupported),
    ("host_reverse", unsupported),
    ("socket_new", unsupported),
    ("socket_close", unsupported),
    ("socket_connect", unsupported),
    ("socket_bind", unsupported),
    ("socket_listen", unsupported),
    ("socket_accept", unsupported),
    ("socket_send", unsupported),
    ("socket_send_char", unsupported),
    ("socket_recv", unsupported),
    ("socket_recv_char", unsupported),
    ("socket_select", unsupported),
    ("socket_fd_size", unsupported),
    ("socket_host", unsupported),
    ("socket_peer", unsupported),
    ("socket_set_blocking", unsupported),
    ("socket_set_fast_send", unsupported),
    ("socket_set_timeout", unsupported),
    ("socket_shutdown", unsupported),
    ("socket_recv_from", unsupported),
    ("socket_send_to", unsupported),
    ("socket_set_broadcast", unsupported),
];

fn unsupported(vm: &mut Vm, _: &[u64]) -> Result<u64, Exc> {
    Err(vm.throw_msg("Socket natives are not supported by hlvm yet"))
}
